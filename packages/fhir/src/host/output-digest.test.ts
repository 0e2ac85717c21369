// The host readers' whole output on the fixture corpus, pinned by a SHA-256 digest: records (with their
// sources, unmapped elements and described references), context and findings, byte for byte, read
// whole and streamed in windows of 1, 2, 3, 7 and 10,000, from text, lines, objects and an async
// iterable. A change meant to keep the output (a faster reader, say) must keep this digest; a change
// meant to change it updates the digest below and says why in its commit. The bench does the same over
// its 100,000 lines (`node host-read.bench.mjs --digest`).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportProfile, US_CORE_IMPORT_PROFILE, type ImportProfile } from './import-profile';
import { readHostFhir } from './read-host';
import { streamHostFhir } from './stream-host';
import type { HostInput, HostLine } from './types';

const DIR = join(import.meta.dirname, '../../test/fixtures/host');

/**
 * The digest of today's output (see the file's comment before changing it). Last changed when streamed
 * windows began to close between two patients' resources (a patient known by every form of reference
 * to it, its Patient before or after its resources), and a window's ingest findings to follow its
 * entries: only the windows of 1, 2, 3 and 7 changed; the whole reads and the windows of 10,000 kept
 * their output.
 */
const DIGEST = '1c53ecf657fc1435b456bb1b3b6a13bd5b53a0ae33dc309fb760be6772819b13';

const expectations = JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as { profiles: Record<string, unknown> };

function profiles(): [string, ImportProfile][] {
  const parsed = parseImportProfile(expectations.profiles['example-host']);
  if (!parsed.ok) throw new Error('the example-host profile does not parse');
  return [
    ['default', US_CORE_IMPORT_PROFILE],
    ['example-host', parsed.value],
  ];
}

const jsonFiles = (dir: string): string[] =>
  readdirSync(join(DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${dir}/${f}`);

function lines(dir: string): HostLine[] {
  const out: HostLine[] = [];
  for (const file of readdirSync(join(DIR, dir)).filter((f) => f.endsWith('.ndjson')).sort()) {
    readFileSync(join(DIR, dir, file), 'utf8')
      .split('\n')
      .forEach((text, i) => out.push({ text, line: i + 1, file }));
  }
  return out;
}

/** Every input of the corpus, in the forms a host hands over. */
function inputs(): [string, () => HostInput | AsyncIterable<unknown>][] {
  const out: [string, () => HostInput | AsyncIterable<unknown>][] = [];
  for (const file of [...jsonFiles('resources'), ...jsonFiles('bundles'), ...jsonFiles('malformed'), ...jsonFiles('bulk')]) {
    const text = readFileSync(join(DIR, file), 'utf8');
    out.push([`${file} (text)`, () => text]);
  }
  const resources = jsonFiles('resources').map((f) => readFileSync(join(DIR, f), 'utf8'));
  out.push(['resources/*.json (lines)', () => resources.map((text) => text.replace(/\n\s*/g, ''))]);
  out.push(['resources/*.json (objects)', () => resources.map((text) => JSON.parse(text) as unknown)]);
  for (const dir of ['bulk', 'malformed/ndjson']) {
    out.push([`${dir}/*.ndjson (HostLines)`, () => lines(dir)]);
    out.push([`${dir}/*.ndjson (strings)`, () => lines(dir).map((l) => l.text)]);
    out.push([`${dir}/*.ndjson (objects)`, () => lines(dir).flatMap((l) => (l.text.trim() === '' ? [] : [JSON.parse(l.text) as unknown]))]);
    out.push([
      `${dir}/*.ndjson (async)`,
      () =>
        (async function* () {
          yield* lines(dir);
        })(),
    ]);
  }
  return out;
}

/** Every read of every input, as JSON text. */
async function outputs(): Promise<string[]> {
  const out: string[] = [];
  for (const [profileName, profile] of profiles()) {
    for (const [name, input] of inputs()) {
      const options = { profile, asOf: '2025-04-01' };
      out.push(`${profileName} ${name} whole ${JSON.stringify(await readHostFhir(input() as HostInput, options))}`);
      for (const windowSize of [1, 2, 3, 7, 10_000]) {
        const windows: unknown[] = [];
        for await (const result of streamHostFhir(input(), { ...options, windowSize })) windows.push(result);
        out.push(`${profileName} ${name} window ${windowSize} ${JSON.stringify(windows)}`);
      }
    }
  }
  return out;
}

describe('readHostFhir and streamHostFhir output', () => {
  it('is the pinned output on every fixture input, whole and in windows of 1 to 10,000', async () => {
    const texts = await outputs();
    expect(texts.length).toBeGreaterThan(200);
    const hash = createHash('sha256');
    for (const text of texts) hash.update(text).update('\n');
    expect(hash.digest('hex')).toBe(DIGEST);
  });
});
