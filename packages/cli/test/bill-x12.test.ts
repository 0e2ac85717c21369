import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIndependently, type ParsedSegment } from '../../billing/src/__fixtures__/claims';
import { FIXTURE, oneLineError, peerkit, tempDir } from './helpers';

/** An 835 for the claim the fixture clinic bills under medicaid-generic: the individual line paid (less CO-45), the group line denied (CO-197, N54). */
const REMITTANCE = join(__dirname, 'fixtures', 'remittance.835');

const address = { line1: '1 Example Way', city: 'Harrisburg', state: 'PA', postalCode: '171010000' };
const member = (lastName: string) => ({ lastName, firstName: 'Test', birthDate: '1980-06-15', gender: 'U', address: { ...address, postalCode: '17101' } });

/** Trading partners and billing provider (name and NPI from the export's organization); members added per test. */
function claimsConfig(members: Record<string, unknown>): Record<string, unknown> {
  return {
    submitter: { name: 'Example Peer Center', id: 'SUB123', contactName: 'Billing Desk', phone: '5550100000' },
    receiver: { name: 'Example Clearinghouse', id: 'RCV456' },
    billingProvider: { taxId: '123456789', address },
    payers: { 'medicaid-generic': { name: 'Example Medicaid Plan', id: 'EXMCD' } },
    members,
    chargePerUnit: { H0038: 15 },
  };
}

interface X12Json {
  x12?: {
    dir: string;
    files: { file: string; payerId: string; interchangeControlNumber: string; claimControlNumbers: string[]; lineIds: string[] }[];
    omitted: { claimKey: string; lineIds: string[]; reason: string }[];
    issues: { code: string; severity: string }[];
  };
  remittance?: {
    remittances: number;
    match: { lines: { lineId: string; outcome: string; adjustments: { group: string; reason: string }[] }[]; pending: string[]; unmatchedClaims: string[] };
    denials: { group: string; reason: string; lines: number; amount: number; reasonMeaning?: string }[];
  };
  billableLines: number;
  exitCode: number;
}

const named = (segments: readonly ParsedSegment[], name: string, first?: string): ParsedSegment[] =>
  segments.filter((s) => s.name === name && (first === undefined || s['1'] === first));

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(join(dir, 'clinic.ndjson'), readFileSync(FIXTURE, 'utf8'));
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] }));
  writeFileSync(join(dir, 'claims-config.json'), JSON.stringify(claimsConfig({ 'peer-1': member('Alpha') })));
});
afterAll(() => cleanup());

describe('peerkit bill --837p', () => {
  const bill = (...more: string[]) =>
    peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--evidence', 'evidence.json', '--claims-config', 'claims-config.json', ...more], dir);

  it('writes one 837P per payer that an independent parser reads back: envelopes, counts, the claim and every billable line once', async () => {
    const run = bill('--837p', 'claims', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as X12Json;
    expect(out.x12?.omitted).toEqual([]);
    expect(out.x12?.files).toHaveLength(1);
    const [file] = out.x12?.files ?? [];
    expect(file).toMatchObject({ file: join('claims', '837p-medicaid-generic-000000001.x12'), payerId: 'medicaid-generic', interchangeControlNumber: '000000001' });
    expect(readdirSync(join(dir, 'claims'))).toEqual(['837p-medicaid-generic-000000001.x12']);

    const segments = await parseIndependently(readFileSync(join(dir, file?.file ?? ''), 'utf8'));
    const [isa] = named(segments, 'ISA');
    const [iea] = named(segments, 'IEA');
    expect(isa?.['13']).toBe(iea?.['2']);
    expect(isa?.['15']).toBe('T');
    const st = segments.findIndex((s) => s.name === 'ST');
    const se = segments.findIndex((s) => s.name === 'SE');
    expect(Number(segments[se]?.['1'])).toBe(se - st + 1);
    expect(named(segments, 'GS')[0]?.['8']).toBe('005010X222A1');
    expect(named(segments, 'NM1', '85')[0]?.['9']).toBe('1234567893');
    expect(named(segments, 'NM1', 'PR')[0]?.['9']).toBe('EXMCD');
    expect(named(segments, 'CLM').map((s) => s['1'])).toEqual(file?.claimControlNumbers);
    expect(named(segments, 'SV1')).toHaveLength(out.billableLines);
    expect(named(segments, 'REF', '6R')).toHaveLength(file?.lineIds.length ?? -1);
    expect(named(segments, 'HI')[0]).toMatchObject({ '1': 'ABK', '1-1': 'F1120' });
  });

  it('says what the files hold in text, numbers them from --control-number and marks --production', async () => {
    const run = bill('--837p', 'prod', '--control-number', '41', '--production');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/837P: 1 file written to prod \(1 claim, 2 lines\), one per payer:\n\s+prod\/837p-medicaid-generic-000000041\.x12\s+medicaid-generic\s+1 claim\s+2 lines/);
    const segments = await parseIndependently(readFileSync(join(dir, 'prod', '837p-medicaid-generic-000000041.x12'), 'utf8'));
    expect(named(segments, 'ISA')[0]?.['15']).toBe('P');
  });

  it('leaves out claims the config or evidence cannot complete, counts them by reason and exits 1', () => {
    expect(peerkit(['generate', '--seed', '3', '--peers', '40', '--weeks', '6', '--out', 'generated.ndjson'], dir).code).toBe(0);
    const peers = readFileSync(join(dir, 'generated.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; id: string })
      .filter((r) => r.kind === 'peer')
      .map((r) => r.id);
    // Demographics for all but the first two peers; a diagnosis for every peer.
    writeFileSync(join(dir, 'generated-config.json'), JSON.stringify(claimsConfig(Object.fromEntries(peers.slice(2).map((id) => [id, member('Example')])))));
    writeFileSync(join(dir, 'generated-evidence.json'), JSON.stringify({ diagnoses: peers.map((peerId) => ({ peerId, code: 'F33.1' })) }));
    const args = ['bill', 'generated.ndjson', '--payer', 'medicaid-generic', '--evidence', 'generated-evidence.json', '--claims-config', 'generated-config.json', '--837p', 'generated'];
    const json = peerkit([...args, '--json'], dir);
    const out = JSON.parse(json.stdout) as X12Json;
    const omitted = out.x12?.omitted ?? [];
    expect(omitted.length).toBeGreaterThan(0);
    expect(new Set(omitted.map((o) => o.reason))).toEqual(new Set(['member']));
    expect(out.x12?.issues.map((i) => i.code)).toContain('billing.claim-member');
    expect(json.code).toBe(1);
    const text = peerkit(args, dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`claims left out: ${omitted.length} (member ${omitted.length})`);
    expect(text.stdout).toMatch(/warning\s+billing\.claim-member\s+\d+\s+Claim left out: no member demographics/);
    // Nothing of the members' demographics is printed.
    expect(text.stdout).not.toContain('Example Way');
  });

  it('exits 2 naming every missing or wrong field of the claims config, writing nothing', () => {
    writeFileSync(join(dir, 'bad-config.json'), JSON.stringify({ submitter: { name: 'x' }, receiver: { id: 'y', nme: 'z' }, members: { 'peer-1': { gender: 'X' } } }));
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--837p', 'never', '--claims-config', 'bad-config.json'], dir);
    expect(run.code).toBe(2);
    const line = oneLineError(run);
    expect(line).toMatch(/^peerkit: bad-config\.json: not a valid claims config: submitter\.id is missing; submitter\.contactName is missing;/);
    for (const problem of ['receiver.name is missing', 'receiver.nme is not a field PeerKit knows', 'billingProvider is missing', 'members.peer-1.gender must be one of F, M, U']) {
      expect(line).toContain(problem);
    }
    expect(readdirSync(dir)).not.toContain('never');
  });

  it.each([
    [['--837p', 'x'], /--837p needs --claims-config <file\.json>/],
    [['--claims-config', 'claims-config.json'], /--claims-config goes with --837p <dir>/],
    [['--837p', 'x', '--claims-config', 'claims-config.json', '--control-number', '0'], /--control-number must be between 1 and 999999999/],
  ])('exits 2 for the usage error in %j', (args, message) => {
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });
});

describe('peerkit bill --835', () => {
  const bill = (...more: string[]) => peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--835', REMITTANCE, ...more], dir);

  it('matches the remittance to the lines the 837P sent and lists the denials by reason (exit 1)', () => {
    // The fixture's control numbers are the ones the 837P of this clinic carries.
    const claims = JSON.parse(peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--evidence', 'evidence.json', '--claims-config', 'claims-config.json', '--837p', 'for-835', '--json'], dir).stdout) as X12Json;
    expect(readFileSync(REMITTANCE, 'utf8')).toContain(`CLP*${claims.x12?.files[0]?.claimControlNumbers[0] ?? '?'}*`);

    const run = bill();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/835: .*remittance\.835: 1 remittance, 2 lines remitted: 1 paid, 0 partial, 1 denied, 0 reversed; 0 billable lines not remitted yet/);
    expect(run.stdout).toMatch(/denied and reduced lines by reason:\n\s+CO-197\s+1 line\s+90\.00\s+Precertification, authorization or notification absent/);
  });

  it('--json prints the whole match and the denials', () => {
    const run = bill('--json');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as X12Json;
    expect(out.remittance?.remittances).toBe(1);
    expect(out.remittance?.match.lines.map((l) => l.outcome)).toEqual(['paid', 'denied']);
    expect(out.remittance?.match.pending).toEqual([]);
    expect(out.remittance?.denials).toEqual([
      { group: 'CO', reason: '197', groupMeaning: expect.any(String) as string, reasonMeaning: 'Precertification, authorization or notification absent', lines: 1, amount: 90 },
    ]);
    expect(out.exitCode).toBe(1);
  });

  it('exits 2 with one line for a file that is not an 835', () => {
    writeFileSync(join(dir, 'not-x12.835'), 'hello\n');
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--835', 'not-x12.835'], dir);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe('peerkit: not-x12.835: not a valid X12 835 remittance: The text is not a well-formed X12 interchange (ISA…IEA) [billing.x12-parse]');
  });
});
