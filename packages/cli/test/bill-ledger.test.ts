import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIndependently } from '../../billing/src/__fixtures__/claims';
import { base, claims, expectLedgerSequence, f8, useLedgerDir, type LedgerRunOutput } from './bill-ledger-runs';
import { peerkit } from './helpers';

const ledgerDir = useLedgerDir();

describe('peerkit bill --ledger', () => {
  it('bills only new services on a second run, replaces a changed claim (7) and voids a removed one (8), each 837P parsed back', async () => {
    const { dir } = ledgerDir;
    await expectLedgerSequence(dir, 'state/ledger.ndjson', 'run');
    expect(readFileSync(join(dir, 'state', 'ledger.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it("records the payer's claim number from an 835 and names it in REF*F8 when the claim is corrected", async () => {
    const { dir } = ledgerDir;
    const bill = (lines: string[], ...more: string[]) => {
      writeFileSync(join(dir, 'clinic.ndjson'), `${lines.join('\n')}\n`);
      return peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--evidence', 'evidence.json', '--ledger', 'paid/ledger.ndjson', ...more], dir);
    };
    expect(bill(base, '--claims-config', 'claims-config.json', '--837p', 'paid-1').code).toBe(0);
    bill(base, '--835', join(__dirname, 'fixtures', 'remittance.835'));
    const entries = readFileSync(join(dir, 'paid', 'ledger.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; payerClaimNumber?: string });
    expect(entries.map((e) => e.kind)).toEqual(['claim', 'payer-claim-number']);
    const longer = base.map((line) => (line.includes('"kind":"encounter"') ? line.replace('"durationMinutes":45', '"durationMinutes":35') : line));
    const out = JSON.parse(bill(longer, '--claims-config', 'claims-config.json', '--837p', 'paid-2', '--json').stdout) as LedgerRunOutput;
    const segments = await parseIndependently(readFileSync(join(dir, out.x12?.files[0]?.file ?? ''), 'utf8'));
    expect(claims(segments).map((c) => c[1])).toEqual(['7']);
    expect(f8(segments)).toEqual([entries[1]?.payerClaimNumber]);
  });

  it('exits 2 naming the line of a damaged ledger, never its content', () => {
    const { dir } = ledgerDir;
    writeFileSync(join(dir, 'bad-ledger.ndjson'), '{"kind":"claim","secret":"Jane"}\n');
    writeFileSync(join(dir, 'clinic.ndjson'), `${base.join('\n')}\n`);
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--ledger', 'bad-ledger.ndjson'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad-ledger.ndjson: line 1 is not a billing ledger entry');
    expect(run.stderr).not.toContain('Jane');
  });
});
