import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureClaimsConfig, parseIndependently, type ParsedSegment } from '../../billing/src/__fixtures__/claims';
import { FIXTURE_LINES, peerkit, tempDir } from './helpers';

interface Out {
  x12?: { files: { file: string }[]; ledger?: { counts: { original: number; replacement: number; void: number; unchangedLines: number } } };
  exitCode: number;
}

const ENCOUNTER = JSON.parse(FIXTURE_LINES.encounter ?? '{}') as { id: string; start: string; end: string; durationMinutes: number };
/** A second encounter later in the same month, `minutes` long. */
const later = (minutes: number) => {
  const moved = JSON.parse((FIXTURE_LINES.encounter ?? '{}').replaceAll('2026-01-12', '2026-01-26')) as typeof ENCOUNTER & { note?: { signedAt?: string } };
  const end = `2026-01-26T${14 + Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:00-05:00`;
  return JSON.stringify({ ...moved, id: 'enc-2', start: '2026-01-26T14:00:00-05:00', end, durationMinutes: minutes, ...(moved.note ? { note: { ...moved.note, signedAt: '2026-01-26T18:00:00-05:00' } } : {}) });
};
const base = ['organization', 'specialist', 'peer', 'recovery-plan', 'consent', 'encounter'].map((k) => FIXTURE_LINES[k] ?? '');

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] }));
  writeFileSync(join(dir, 'claims-config.json'), JSON.stringify(fixtureClaimsConfig()));
});
afterAll(() => cleanup());

/** Bills an export of `lines` into `out` against the ledger; the 837P segments and the JSON summary. */
async function bill(lines: string[], out: string): Promise<{ json: Out; segments: ParsedSegment[] }> {
  writeFileSync(join(dir, 'clinic.ndjson'), `${lines.join('\n')}\n`);
  const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--evidence', 'evidence.json', '--claims-config', 'claims-config.json', '--837p', out, '--ledger', 'state/ledger.ndjson', '--json'], dir);
  const json = JSON.parse(run.stdout) as Out;
  const file = json.x12?.files[0]?.file;
  return { json, segments: file === undefined ? [] : await parseIndependently(readFileSync(join(dir, file), 'utf8')) };
}

const claims = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'CLM').map((s) => [s['1'], s['5-2']]);
const units = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'SV1').map((s) => s['4']);
const f8 = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'REF' && s['1'] === 'F8').map((s) => s['2']);

describe('peerkit bill --ledger', () => {
  it('bills only new services on a second run, replaces a changed claim (7) and voids a removed one (8), each 837P parsed back', async () => {
    const first = await bill(base, 'run1');
    expect(first.json.x12?.ledger?.counts).toEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 0 });
    const [original] = claims(first.segments);
    expect(original?.[1]).toBe('1');
    expect(units(first.segments)).toEqual(['3']);

    const second = await bill([...base, later(30)], 'run2');
    expect(second.json.x12?.ledger?.counts).toEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 1 });
    expect(units(second.segments)).toEqual(['2']);
    const [added] = claims(second.segments);
    expect(added?.[1]).toBe('1');
    expect(added?.[0]).not.toBe(original?.[0]);

    const changed = await bill([...base, later(60)], 'run3');
    expect(changed.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 1, void: 0, unchangedLines: 1 });
    expect(claims(changed.segments).map((c) => c[1])).toEqual(['7']);
    expect(f8(changed.segments)).toEqual([added?.[0]]);
    expect(units(changed.segments)).toEqual(['4']);

    const removed = await bill(base, 'run4');
    expect(removed.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 0, void: 1, unchangedLines: 1 });
    expect(claims(removed.segments).map((c) => c[1])).toEqual(['8']);

    const again = await bill(base, 'run5');
    expect(again.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 0, void: 0, unchangedLines: 1 });
    expect(again.json.x12?.files).toEqual([]);
    expect(readFileSync(join(dir, 'state', 'ledger.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it("records the payer's claim number from an 835 and names it in REF*F8 when the claim is corrected", async () => {
    const bill = (lines: string[], ...more: string[]) => {
      writeFileSync(join(dir, 'clinic.ndjson'), `${lines.join('\n')}\n`);
      return peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--evidence', 'evidence.json', '--ledger', 'paid/ledger.ndjson', ...more], dir);
    };
    expect(bill(base, '--claims-config', 'claims-config.json', '--837p', 'paid-1').code).toBe(0);
    bill(base, '--835', join(__dirname, 'fixtures', 'remittance.835'));
    const entries = readFileSync(join(dir, 'paid', 'ledger.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; payerClaimNumber?: string });
    expect(entries.map((e) => e.kind)).toEqual(['claim', 'payer-claim-number']);
    const longer = base.map((line) => (line.includes('"kind":"encounter"') ? line.replace('"durationMinutes":45', '"durationMinutes":35') : line));
    const out = JSON.parse(bill(longer, '--claims-config', 'claims-config.json', '--837p', 'paid-2', '--json').stdout) as Out;
    const segments = await parseIndependently(readFileSync(join(dir, out.x12?.files[0]?.file ?? ''), 'utf8'));
    expect(claims(segments).map((c) => c[1])).toEqual(['7']);
    expect(f8(segments)).toEqual([entries[1]?.payerClaimNumber]);
  });

  it('exits 2 naming the line of a damaged ledger, never its content', () => {
    writeFileSync(join(dir, 'bad-ledger.ndjson'), '{"kind":"claim","secret":"Jane"}\n');
    writeFileSync(join(dir, 'clinic.ndjson'), `${base.join('\n')}\n`);
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--ledger', 'bad-ledger.ndjson'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad-ledger.ndjson: line 1 is not a billing ledger entry');
    expect(run.stderr).not.toContain('Jane');
  });
});
