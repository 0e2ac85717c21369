/**
 * The §2.32 notice wording set where a gated sync is configured: `runSync({ notice })` and the
 * `notice` of the disclosure file `peerkit sync --disclosure consent:<file>` reads. A configured
 * wording is the one that lands on the embedded FHIR server (loopback HTTP); bad values are coded
 * issues on the field; a resume must name the wording it started with.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import { PART2_NOTICE_STATEMENTS, REDISCLOSURE_NOTICE_TAG } from '@peerkit/safeguards';
import type { Bundle, DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recipientOf, stopWhenQueued, summaryOf } from '../test/disclosure-support';
import { FAST_RETRY, useEmbeddedServer } from '../test/helpers';
import { parseSyncDisclosureFile, parseSyncNotice } from './internal/disclosure-mode';
import { runSync } from './run-sync';
import { createFhirTransport } from './transport';

const server = useEmbeddedServer();

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-notice-option-'));
  file = join(dir, 'clinic.ndjson');
  writeFileSync(file, clinicToNdjson(generateClinic({ seed: 5, peers: 30, weeks: 2 })));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The notices on the server. */
async function noticesOnServer(): Promise<DocumentReference[]> {
  const url = `${server.baseUrl}/DocumentReference?_tag=${encodeURIComponent(REDISCLOSURE_NOTICE_TAG.system)}|${REDISCLOSURE_NOTICE_TAG.code}&_count=1000`;
  const bundle = (await (await fetch(url)).json()) as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'DocumentReference' ? [e.resource as DocumentReference] : []));
}

const textOf = (doc: DocumentReference): string => Buffer.from(doc.content[0]?.attachment.data ?? '', 'base64').toString('utf8');

const recipient = recipientOf('1234567893');
const transport = () => createFhirTransport({ baseUrl: server.baseUrl });
const VALID_RECIPIENT = { actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] };

describe('runSync notice option', () => {
  it('sends the configured wording and citation to the server, from a disclosure file as peerkit sync reads it', async () => {
    const text = 'Synthetic clinic wording: the records disclosed with this notice may not be redisclosed.';
    const source = '42 CFR §2.32(a)(1) (clinic wording)';
    const parsed = parseSyncDisclosureFile({ ...VALID_RECIPIENT, notice: { statement: { text, source } } });
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.code).join(', '));
    const before = new Set((await noticesOnServer()).map((n) => n.id));
    const summary = summaryOf(
      await runSync({ file, transport: transport(), stateDir: join(dir, 'state'), recipient: parsed.value.recipient, ...(parsed.value.notice === undefined ? {} : { notice: parsed.value.notice }), ledger: false, retry: FAST_RETRY, provenance: false }),
    );
    expect(summary).toMatchObject({ finished: true, deadLettered: 0 });
    const mine = (await noticesOnServer()).filter((n) => !before.has(n.id));
    expect(mine.length).toBeGreaterThan(0);
    for (const notice of mine) {
      expect(textOf(notice)).toContain(text);
      expect(textOf(notice)).toContain(source);
      // The configured wording replaces the default statement.
      expect(textOf(notice)).not.toContain(PART2_NOTICE_STATEMENTS['statement-2'].text);
    }
  }, 120_000);

  it('refuses a bad wording as a coded issue on the field, and a resume with another wording than the run started with', async () => {
    const bad = await runSync({ file, transport: transport(), stateDir: join(dir, 'bad'), recipient, notice: { statement: { text: '   ' } } });
    expect(bad.ok).toBe(false);
    expect(bad.issues[0]).toMatchObject({ code: 'sync.invalid-option', path: ['notice', 'statement', 'text'] });

    const stateDir = join(dir, 'state');
    const stopped = summaryOf(await runSync({ file, transport: transport(), stateDir, recipient, notice: { statement: 'statement-1' }, ledger: false, retry: FAST_RETRY, provenance: false, ...stopWhenQueued() }));
    expect(stopped.finished).toBe(false);
    const other = await runSync({ file, transport: transport(), stateDir, recipient, notice: { statement: 'statement-2' }, ledger: false, resume: true });
    expect(other.ok).toBe(false);
    expect(other.issues[0]).toMatchObject({ code: 'sync.recipient-mismatch', path: ['recipient'] });
    const same = await runSync({ file, transport: transport(), stateDir, recipient, notice: { statement: 'statement-1' }, ledger: false, resume: true, retry: FAST_RETRY, provenance: false });
    expect(same.ok && same.value.finished).toBe(true);
  }, 120_000);
});

describe('parseSyncNotice and parseSyncDisclosureFile', () => {
  it('accepts the two statements of §2.32(a) and the program\'s own text with its citation', () => {
    expect(parseSyncNotice({ statement: 'statement-1' })).toMatchObject({ ok: true, value: { statement: 'statement-1' } });
    expect(parseSyncNotice({})).toMatchObject({ ok: true, value: {} });
    expect(parseSyncNotice({ statement: { text: 'Synthetic wording.', source: '42 CFR §2.32' } })).toMatchObject({ ok: true, value: { statement: { text: 'Synthetic wording.', source: '42 CFR §2.32' } } });
  });

  it('gives each bad field a sync.invalid-option issue naming the field, never its value', () => {
    const secret = 'Synthetic-secret-value';
    const cases: [unknown, (string | number)[]][] = [
      ['statement-9', ['notice']],
      [{ statement: secret }, ['notice', 'statement']],
      [{ statement: { text: '' } }, ['notice', 'statement', 'text']],
      [{ statement: { text: 'ok', source: 7 } }, ['notice', 'statement', 'source']],
      [{ statement: { text: 'x'.repeat(4001) } }, ['notice', 'statement', 'text']],
      [{ statement: { text: 'ok', extra: secret } }, ['notice', 'statement', 'extra']],
      [{ wording: secret }, ['notice', 'wording']],
    ];
    for (const [input, path] of cases) {
      const result = parseSyncNotice(input, ['notice']);
      expect(result.ok).toBe(false);
      expect(result.issues[0]).toMatchObject({ severity: 'error', code: 'sync.invalid-option', path });
      expect(JSON.stringify(result.issues)).not.toContain(secret);
    }
  });

  it('reads the recipient and the notice of a disclosure file, and reports the issues of both', () => {
    expect(parseSyncDisclosureFile(VALID_RECIPIENT)).toMatchObject({ ok: true, value: { recipient: { purposeOfUse: [{ code: 'TREAT' }] } } });
    const both = parseSyncDisclosureFile({ actor: 'not-a-list', purposeOfUse: ['TREAT'], notice: { statement: 3 } });
    expect(both.ok).toBe(false);
    expect(both.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['actor', 'notice']));
  });
});
