import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

const PACK_IDS = [
  'medicaid-generic',
  'medicare-pin',
  'nj-medicaid',
  'nc-medicaid',
  'tx-medicaid',
  'va-medicaid',
  'pa-medicaid',
  'mi-medicaid',
  'ca-medi-cal',
  'wa-medicaid',
  'co-medicaid',
  'ga-medicaid',
];

interface BillJson {
  pack: { id: string };
  lines: number;
  billableLines: number;
  heldLines: number;
  units: number;
  unitsByCode: Record<string, number>;
  heldByReason: Record<string, number>;
  warningsByCheck: Record<string, number>;
  notBilled: { reason: string; payerId?: string; services: number }[];
  claims: number;
  exitCode: number;
}

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  expect(peerkit(['generate', '--seed', '3', '--peers', '60', '--weeks', '8', '--out', 'clinic.ndjson'], dir).code).toBe(0);
});
afterAll(() => cleanup());

function csvRows(file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

describe('peerkit bill --list-packs', () => {
  it('prints one pack a line, its id first', () => {
    const run = peerkit(['bill', '--list-packs'], dir);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(PACK_IDS);
  });

  it('--json prints the packs themselves, to copy as a template', () => {
    const run = peerkit(['bill', '--list-packs', '--json'], dir);
    expect(run.code).toBe(0);
    const packs = JSON.parse(run.stdout) as { id: string; format: string }[];
    expect(packs.map((p) => p.id)).toEqual(PACK_IDS);
    expect(packs.every((p) => p.format === 'peerkit-payer-pack/1')).toBe(true);
  });
});

describe('peerkit bill', () => {
  it.each(PACK_IDS)('bills a generated clinic under %s: Claims bundle, CSV and a summary', (id) => {
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', id, '--out', `${id}.json`, '--csv', `${id}.csv`, '--json'], dir);
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout) as BillJson;
    expect(run.code).toBe(summary.heldLines > 0 ? 1 : 0);
    expect(summary.exitCode).toBe(run.code);
    expect(summary.pack.id).toBe(id);
    expect(summary.billableLines).toBeGreaterThan(0);
    expect(summary.claims).toBeGreaterThan(0);
    const bundle = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as {
      resourceType: string;
      type: string;
      entry: { resource: { resourceType: string; item: unknown[] } }[];
    };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(summary.claims);
    expect(bundle.entry.every((e) => e.resource.resourceType === 'Claim')).toBe(true);
    expect(bundle.entry.reduce((n, e) => n + e.resource.item.length, 0)).toBe(summary.billableLines);
    expect(csvRows(`${id}.csv`)).toHaveLength(summary.billableLines + 1);
    expect(Object.values(summary.unitsByCode).reduce((a, b) => a + b, 0)).toBe(summary.units);
    // Every held line counted under at least one reason; members of other payers are reported.
    if (summary.heldLines > 0) expect(Object.values(summary.heldByReason).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(summary.heldLines);
    expect(summary.notBilled.some((n) => n.reason === 'no-pack' && n.payerId === 'commercial-generic')).toBe(true);
  });

  it('prints lines, units by code and held lines by reason', () => {
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic'], dir);
    expect(run.stdout).toMatch(/^clinic\.ndjson: billed under medicaid-generic 1\.0\.0/);
    expect(run.stdout).toMatch(/^lines\s+[\d,]+\s+[\d,]+$/m);
    expect(run.stdout).toMatch(/^units by code:\n {2}H0038\s+[\d,]+$/m);
    expect(run.stdout).toMatch(/^ {2}H0038 HQ\s+[\d,]+$/m);
    expect(run.stdout).toMatch(/^held lines by reason:\n {2}[A-Z_]+\s+[\d,]+\s+\w/m);
    expect(run.stdout).toMatch(/^ {2}payer commercial-generic: not billed by this pack/m);
    expect(run.stdout).toMatch(/^claims: [\d,]+ Claims \(use --out to write them\)$/m);
  });

  it('writes held lines with their reasons to the CSV with --include-held', () => {
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'tx-medicaid', '--csv', 'all.csv', '--include-held', '--json'], dir);
    const summary = JSON.parse(run.stdout) as BillJson;
    const rows = csvRows('all.csv');
    expect(rows).toHaveLength(summary.lines + 1);
    const header = rows[0]?.split(',') ?? [];
    const status = header.indexOf('status');
    const reasons = header.indexOf('hold_reasons');
    const held = rows.slice(1).map((r) => r.split(',')).filter((r) => r[status] === 'held');
    expect(held).toHaveLength(summary.heldLines);
    expect(held.every((r) => (r[reasons] ?? '') !== '')).toBe(true);
  });

  it('loads a custom pack, which --payer defaults to', () => {
    const packs = JSON.parse(peerkit(['bill', '--list-packs', '--json'], dir).stdout) as Record<string, unknown>[];
    const mine = {
      ...packs[0],
      id: 'my-medicaid',
      coveragePayerIds: ['medicaid-generic'],
      caps: [
        {
          id: 'daily',
          units: { value: 2, source: 'PK', status: 'unverified' },
          window: { value: { kind: 'day' }, source: 'PK', status: 'unverified' },
        },
      ],
    };
    writeFileSync(join(dir, 'my-pack.json'), JSON.stringify(mine));
    const list = peerkit(['bill', '--list-packs', '--pack', 'my-pack.json'], dir);
    expect(list.stdout.trimEnd().split('\n').at(-1)).toMatch(/^my-medicaid\s/);
    const run = peerkit(['bill', 'clinic.ndjson', '--pack', 'my-pack.json', '--json'], dir);
    const summary = JSON.parse(run.stdout) as BillJson;
    expect(summary.pack.id).toBe('my-medicaid');
    expect(summary.heldByReason.DAILY_CAP).toBeGreaterThan(0);
    expect(run.code).toBe(1);
  });

  it('rejects an invalid pack with one line naming the fields and rules', () => {
    const packs = JSON.parse(peerkit(['bill', '--list-packs', '--json'], dir).stdout) as { billing: { strategy: { value: string } } }[];
    const bad = structuredClone(packs[0]) as { billing: { strategy: { value: string } }; sources?: unknown };
    bad.billing.strategy.value = 'ROUND_UP';
    delete bad.sources;
    writeFileSync(join(dir, 'bad-pack.json'), JSON.stringify(bad));
    const run = peerkit(['bill', 'clinic.ndjson', '--pack', 'bad-pack.json'], dir);
    expect(run.code).toBe(2);
    const line = oneLineError(run);
    expect(line).toContain('bad-pack.json: not a valid payer pack:');
    expect(line).toContain('sources: Required field is missing [schema.required]');
    expect(line).toContain('billing.strategy.value: Must be one of: CMS_TIMED_TOTAL, MIDPOINT, FULL_UNIT, ANY_PORTION');
    writeFileSync(join(dir, 'not-json.json'), '{ id: ');
    expect(oneLineError(peerkit(['bill', 'clinic.ndjson', '--pack', 'not-json.json'], dir))).toBe(
      'peerkit: not-json.json: is not valid JSON (a payer pack is one JSON object)',
    );
  });

  it('holds lines whose evidence is missing with --strict, and reads an evidence file', () => {
    writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ diagnoses: [] }));
    const warn = JSON.parse(peerkit(['bill', 'clinic.ndjson', '--payer', 'nj-medicaid', '--json'], dir).stdout) as BillJson;
    expect(warn.warningsByCheck.DX).toBeGreaterThan(0);
    expect(warn.heldByReason.DX).toBeUndefined();
    const strict = JSON.parse(peerkit(['bill', 'clinic.ndjson', '--payer', 'nj-medicaid', '--strict', '--json'], dir).stdout) as BillJson;
    expect(strict.heldByReason.DX).toBeGreaterThan(0);
    const none = JSON.parse(peerkit(['bill', 'clinic.ndjson', '--payer', 'nj-medicaid', '--evidence', 'evidence.json', '--json'], dir).stdout) as BillJson;
    expect(none.heldByReason.DX).toBeGreaterThan(0);
    writeFileSync(join(dir, 'bad-evidence.json'), JSON.stringify({ diagnoses: [{ code: 'F11.20' }] }));
    expect(oneLineError(peerkit(['bill', 'clinic.ndjson', '--payer', 'nj-medicaid', '--evidence', 'bad-evidence.json'], dir))).toContain(
      'diagnoses[0].peerId: Required field is missing',
    );
  });

  it.each([
    [['bill', 'clinic.ndjson'], 'bill needs --payer <pack-id>'],
    [['bill', 'clinic.ndjson', '--payer', 'acme'], "unknown pack 'acme'"],
    [['bill', '--payer', 'medicaid-generic'], 'bill needs the clinic export to bill'],
    [['bill', 'a.ndjson', 'b.ndjson', '--payer', 'medicaid-generic'], 'bill takes one clinic export at a time'],
  ])('usage error: %j', (args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`peerkit: ${message}`);
    expect(run.stderr).toMatch(/usage: peerkit bill/);
  });

  it('skips invalid lines, says so and exits 1', () => {
    expect(peerkit(['generate', '--seed', '5', '--peers', '12', '--weeks', '2', '--invalid', '3', '--out', 'broken.ndjson'], dir).code).toBe(0);
    const json = peerkit(['bill', 'broken.ndjson', '--payer', 'medicaid-generic', '--json'], dir);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { invalidLines: number }).invalidLines).toBe(3);
    expect(peerkit(['bill', 'broken.ndjson', '--payer', 'medicaid-generic'], dir).stdout).toContain('skipped: 3 invalid lines (peerkit validate lists them)');
  });

  it('reports a missing file on one line', () => {
    expect(oneLineError(peerkit(['bill', 'nope.ndjson', '--payer', 'medicaid-generic'], dir))).toBe('peerkit: nope.ndjson: no such file');
  });
});

describe('peerkit units', () => {
  it.each([
    ['MIDPOINT', 37, 2],
    ['FULL_UNIT', 37, 2],
    ['ANY_PORTION', 37, 3],
    ['CMS_TIMED_TOTAL', 37, 2],
    ['midpoint', 7, 0],
    ['full-unit', 15, 1],
  ])('--strategy %s --minutes %i prints %i units', (strategy, minutes, units) => {
    const run = peerkit(['units', '--minutes', String(minutes), '--strategy', strategy], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${minutes} minutes under [A-Z_]+ \\(15-minute units\\): ${units} units?$`, 'm'));
  });

  it('adds up same-day services under CMS_TIMED_TOTAL and prints JSON', () => {
    const run = peerkit(['units', '--minutes', '5,7', '--strategy', 'CMS_TIMED_TOTAL', '--json'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ minutes: [5, 7], strategy: 'CMS_TIMED_TOTAL', unitMinutes: 15, units: 1, byService: [0, 1] });
  });

  it.each([
    [['units', '--minutes', '37', '--strategy', 'ROUND'], '--strategy must be one of: CMS_TIMED_TOTAL, MIDPOINT, FULL_UNIT, ANY_PORTION'],
    [['units', '--minutes', 'ten', '--strategy', 'MIDPOINT'], '--minutes must be a whole number'],
    [['units', '--strategy', 'MIDPOINT'], 'units needs --minutes'],
    [['units', '--minutes', '37'], 'units needs --strategy'],
  ])('usage error: %j', (args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`peerkit: ${message}`);
  });
});
