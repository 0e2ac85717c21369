/**
 * Shared by the ledger tests (file and PostgreSQL): an export billed run after run against one
 * `--ledger`, its 837P parsed back with the independent parser, and the sequence of runs every
 * ledger must plan alike (a new service, a changed one, a removed one, nothing new).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { fixtureClaimsConfig, parseIndependently, type ParsedSegment } from '../../billing/src/__fixtures__/claims';
import { FIXTURE_LINES, peerkitAsync, tempDir } from './helpers';

/** The part of `peerkit bill --json` the ledger tests read. */
export interface LedgerRunOutput {
  x12?: { files: { file: string }[]; ledger?: { file: string; counts: { original: number; replacement: number; void: number; unchangedLines: number } } };
  exitCode: number;
}

const ENCOUNTER = JSON.parse(FIXTURE_LINES.encounter ?? '{}') as { id: string; start: string; end: string; durationMinutes: number };
/** A second encounter later in the same month, `minutes` long. */
export const later = (minutes: number): string => {
  const moved = JSON.parse((FIXTURE_LINES.encounter ?? '{}').replaceAll('2026-01-12', '2026-01-26')) as typeof ENCOUNTER & { note?: { signedAt?: string } };
  const end = `2026-01-26T${14 + Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:00-05:00`;
  return JSON.stringify({ ...moved, id: 'enc-2', start: '2026-01-26T14:00:00-05:00', end, durationMinutes: minutes, ...(moved.note ? { note: { ...moved.note, signedAt: '2026-01-26T18:00:00-05:00' } } : {}) });
};
/** The fixture's records up to its one encounter. */
export const base = ['organization', 'specialist', 'peer', 'recovery-plan', 'consent', 'encounter'].map((k) => FIXTURE_LINES[k] ?? '');

/** A temp working directory for the test file, with the evidence and claims config the runs use; removed after its tests. */
export function useLedgerDir(): { readonly dir: string } {
  let made: ReturnType<typeof tempDir> | undefined;
  beforeAll(() => {
    made = tempDir();
    writeFileSync(join(made.dir, 'evidence.json'), JSON.stringify({ diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] }));
    writeFileSync(join(made.dir, 'claims-config.json'), JSON.stringify(fixtureClaimsConfig()));
  });
  afterAll(() => made?.cleanup());
  return {
    get dir() {
      if (made === undefined) throw new Error('the ledger directory is made before the tests');
      return made.dir;
    },
  };
}

/** A run's JSON summary and its 837P segments (none when it wrote no file). */
export interface LedgerRun {
  json: LedgerRunOutput;
  segments: ParsedSegment[];
  stderr: string;
}

/**
 * Bills an export of `lines` (written to `<out>.ndjson` in `dir`) into the 837P folder `out` against `ledger`.
 *
 * @param dir - the working directory (from {@link useLedgerDir})
 * @param ledger - the `--ledger` argument: a file or a `postgres://` URL
 */
export async function billAgainst(dir: string, ledger: string, lines: readonly string[], out: string): Promise<LedgerRun> {
  writeFileSync(join(dir, `${out}.ndjson`), `${lines.join('\n')}\n`);
  const run = await peerkitAsync(
    ['bill', `${out}.ndjson`, '--payer', 'medicaid-generic', '--evidence', 'evidence.json', '--claims-config', 'claims-config.json', '--837p', out, '--ledger', ledger, '--json'],
    dir,
  );
  if (run.stdout === '') throw new Error(`peerkit bill printed nothing: ${run.stderr}`);
  const json = JSON.parse(run.stdout) as LedgerRunOutput;
  const file = json.x12?.files[0]?.file;
  return { json, segments: file === undefined ? [] : await parseIndependently(readFileSync(join(dir, file), 'utf8')), stderr: run.stderr };
}

/** CLM01 and CLM05-3 (frequency) of each claim. */
export const claims = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'CLM').map((s) => [s['1'], s['5-2']]);
/** SV104 (units) of each service line. */
export const units = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'SV1').map((s) => s['4']);
/** REF*F8 (the payer's claim number of the claim corrected). */
export const f8 = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'REF' && s['1'] === 'F8').map((s) => s['2']);

/**
 * Five runs against one empty ledger, each 837P parsed back: the first bills the encounter; the second
 * only the new service; a changed service is replaced (7, REF*F8 naming it); a removed one is voided
 * (8); a run with nothing new sends nothing. The ledger then holds four claims.
 *
 * @param dir - the working directory (from {@link useLedgerDir})
 * @param ledger - the `--ledger` argument
 * @param prefix - names this sequence's exports and 837P folders
 */
export async function expectLedgerSequence(dir: string, ledger: string, prefix: string): Promise<void> {
  const first = await billAgainst(dir, ledger, base, `${prefix}-1`);
  expect(first.json.x12?.ledger?.counts).toEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 0 });
  const [original] = claims(first.segments);
  expect(original?.[1]).toBe('1');
  expect(units(first.segments)).toEqual(['3']);

  const second = await billAgainst(dir, ledger, [...base, later(30)], `${prefix}-2`);
  expect(second.json.x12?.ledger?.counts).toEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 1 });
  expect(units(second.segments)).toEqual(['2']);
  const [added] = claims(second.segments);
  expect(added?.[1]).toBe('1');
  expect(added?.[0]).not.toBe(original?.[0]);

  const changed = await billAgainst(dir, ledger, [...base, later(60)], `${prefix}-3`);
  expect(changed.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 1, void: 0, unchangedLines: 1 });
  expect(claims(changed.segments).map((c) => c[1])).toEqual(['7']);
  expect(f8(changed.segments)).toEqual([added?.[0]]);
  expect(units(changed.segments)).toEqual(['4']);

  const removed = await billAgainst(dir, ledger, base, `${prefix}-4`);
  expect(removed.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 0, void: 1, unchangedLines: 1 });
  expect(claims(removed.segments).map((c) => c[1])).toEqual(['8']);

  const again = await billAgainst(dir, ledger, base, `${prefix}-5`);
  expect(again.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 0, void: 0, unchangedLines: 1 });
  expect(again.json.x12?.files).toEqual([]);
}
