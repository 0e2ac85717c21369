import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clinic, encounter, FIXTURES, groupSession, peer, specialist, type AnyRecordInput } from './__fixtures__/records';
import {
  createClinicExportReport,
  DEFAULT_MAX_LINE_LENGTH,
  parseClinicExport,
  readClinicExport,
  toClinicExport,
  type ClinicExportEntry,
  type ClinicExportReportOptions,
  type ReadClinicExportOptions,
} from './clinic-export';

const encoder = new TextEncoder();

async function collect(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options?: ReadClinicExportOptions,
): Promise<ClinicExportEntry[]> {
  const entries: ClinicExportEntry[] = [];
  for await (const entry of readClinicExport(source, options)) entries.push(entry);
  return entries;
}

/** Splits bytes at the given offsets (sorted, deduplicated, clamped). */
function splitBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(c, 0), bytes.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

/** Summary of entries: line, kind, ok and issue codes. */
function summary(entries: readonly ClinicExportEntry[]): { line: number; kind?: string; ok: boolean; codes: string[] }[] {
  return entries.map(({ line, kind, result }) => ({
    line,
    ...(kind === undefined ? {} : { kind }),
    ok: result.ok,
    codes: result.issues.map((i) => i.code),
  }));
}

function report(entries: readonly ClinicExportEntry[], options?: ClinicExportReportOptions) {
  const r = createClinicExportReport(options);
  for (const entry of entries) r.add(entry);
  return r.finish();
}

/** A record whose text fields hold multi-byte UTF-8 (2, 3 and 4 bytes per character). */
function multiByteEncounter(): AnyRecordInput {
  const e = encounter();
  e.note!.text = 'Zoë and Renée: ünïcode ✓ — 日本語 😀🎉 test note';
  e.statusReason = 'Ça va 👍';
  return e;
}

/** An export mixing valid lines, blank lines and every kind of broken line. */
const MIXED = [
  JSON.stringify(FIXTURES.organization()),
  '',
  JSON.stringify(multiByteEncounter()),
  '{"kind":"peer",',
  '   ',
  '[1,2,3]',
  JSON.stringify({ ...FIXTURES.peer(), id: 'bad id' }),
  '{"kind":"patient"}',
  '{"id":"x"}',
  JSON.stringify(FIXTURES.referral()),
].join('\n');

describe('parseClinicExport', () => {
  it('validates each line of a clinic and finds no issue', () => {
    const entries = parseClinicExport(toClinicExport(clinic()));
    expect(entries).toHaveLength(clinic().length);
    entries.forEach((entry, i) => {
      expect(entry.line).toBe(i + 1);
      expect(entry.kind).toBe(clinic()[i]!.kind);
      expect(entry.result).toEqual({ ok: true, value: clinic()[i], issues: [] });
    });
  });

  it('counts blank and whitespace-only lines in line numbers but returns no entry for them', () => {
    const entries = parseClinicExport(MIXED);
    expect(summary(entries)).toEqual([
      { line: 1, kind: 'organization', ok: true, codes: [] },
      { line: 3, kind: 'encounter', ok: true, codes: [] },
      { line: 4, ok: false, codes: ['record.invalid-json'] },
      { line: 6, ok: false, codes: ['record.not-object'] },
      { line: 7, kind: 'peer', ok: false, codes: ['schema.invalid-format'] },
      { line: 8, ok: false, codes: ['record.unknown-kind'] },
      { line: 9, ok: false, codes: ['record.missing-kind'] },
      { line: 10, kind: 'referral', ok: true, codes: [] },
    ]);
  });

  it('sets the line on every issue', () => {
    for (const entry of parseClinicExport(MIXED)) {
      for (const issue of entry.result.issues) expect(issue.line).toBe(entry.line);
    }
  });

  it('keeps the path of a record issue', () => {
    const [entry] = parseClinicExport(JSON.stringify({ ...FIXTURES.peer(), id: 'bad id' }));
    expect(entry?.result.issues).toEqual([
      { severity: 'error', code: 'schema.invalid-format', path: ['id'], message: expect.any(String), line: 1 },
    ]);
  });

  it('never loses a valid line to a bad one', () => {
    const lines = clinic().flatMap((r) => [JSON.stringify(r), '{not json', 'null', '{"kind":42}']);
    const entries = parseClinicExport(lines.join('\n'));
    expect(entries.filter((e) => e.result.ok)).toHaveLength(clinic().length);
    expect(entries.filter((e) => !e.result.ok)).toHaveLength(clinic().length * 3);
  });

  it('handles CRLF line endings', () => {
    const crlf = toClinicExport(clinic()).replaceAll('\n', '\r\n');
    expect(parseClinicExport(crlf)).toEqual(parseClinicExport(toClinicExport(clinic())));
  });

  it('handles CRLF with blank lines', () => {
    const entries = parseClinicExport(`\r\n${JSON.stringify(FIXTURES.peer())}\r\n\r\n${JSON.stringify(FIXTURES.consent())}\r\n`);
    expect(summary(entries)).toEqual([
      { line: 2, kind: 'peer', ok: true, codes: [] },
      { line: 4, kind: 'consent', ok: true, codes: [] },
    ]);
  });

  it('ignores a leading byte-order mark', () => {
    const text = toClinicExport(clinic());
    expect(parseClinicExport(`\uFEFF${text}`)).toEqual(parseClinicExport(text));
  });

  it('parses a last line without a trailing newline', () => {
    const text = toClinicExport(clinic()).slice(0, -1);
    const entries = parseClinicExport(text);
    expect(entries).toHaveLength(clinic().length);
    expect(entries.at(-1)?.result.ok).toBe(true);
  });

  it('returns no entry for an empty or blank export', () => {
    expect(parseClinicExport('')).toEqual([]);
    expect(parseClinicExport('\n\n  \r\n')).toEqual([]);
    expect(parseClinicExport('\uFEFF')).toEqual([]);
  });

  it('reports invalid JSON without quoting the line', () => {
    const line = '{"kind":"peer","id":"CANARY-7f3a-json", "patient": ';
    const [entry] = parseClinicExport(`${line}\n`);
    expect(entry?.result).toEqual({
      ok: false,
      issues: [{ severity: 'error', code: 'record.invalid-json', path: [], message: expect.any(String), line: 1 }],
    });
    expect(JSON.stringify(entry)).not.toContain('CANARY');
  });

  it.each([
    ['a truncated object', '{"kind":"peer"'],
    ['a single quote string', "{'kind':'peer'}"],
    ['a trailing comma', '{"kind":"peer",}'],
    ['bare text', 'CANARY-7f3a-text'],
    ['two objects on a line', '{"kind":"peer"}{"kind":"peer"}'],
    ['NaN', '{"kind":"peer","n":NaN}'],
  ])('reports record.invalid-json for %s', (_, line) => {
    const [entry] = parseClinicExport(line);
    expect(entry?.result.issues.map((i) => i.code)).toEqual(['record.invalid-json']);
    expect(entry?.result.issues[0]?.message).not.toContain('CANARY');
  });

  describe('with maxLineLength', () => {
    const lines = clinic().map((r) => JSON.stringify(r));
    const max = Math.max(...lines.map((l) => l.length));
    const long = JSON.stringify({ ...FIXTURES.encounter(), note: { text: 'x'.repeat(max) } });

    it('reports record.too-large at its line and parses the following lines', () => {
      const entries = parseClinicExport([lines[0], '', long, ...lines.slice(1)].join('\n'), { maxLineLength: max });
      expect(entries).toHaveLength(lines.length + 1);
      expect(entries[1]).toEqual({
        line: 3,
        result: {
          ok: false,
          issues: [{ severity: 'error', code: 'record.too-large', path: [], message: expect.any(String), line: 3 }],
        },
      });
      expect(entries.filter((e) => e.result.ok)).toHaveLength(lines.length);
      expect(entries.at(-1)?.line).toBe(lines.length + 2);
    });

    it('reports a too-long last line without newline', () => {
      const entries = parseClinicExport(`${lines[0]}\n${long}`, { maxLineLength: max });
      expect(summary(entries).at(-1)).toEqual({ line: 2, ok: false, codes: ['record.too-large'] });
    });

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['no line ending', ''],
    ])('accepts a line of exactly maxLineLength characters (%s)', (_, ending) => {
      const line = JSON.stringify(FIXTURES.peer());
      const entries = parseClinicExport(`${line}${ending}`, { maxLineLength: line.length });
      expect(summary(entries)).toEqual([{ line: 1, kind: 'peer', ok: true, codes: [] }]);
    });

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ])('reports a line one character over maxLineLength (%s)', (_, ending) => {
      const line = JSON.stringify(FIXTURES.peer());
      const entries = parseClinicExport(`${line}${ending}${line}${ending}`, { maxLineLength: line.length - 1 });
      expect(summary(entries).map((e) => e.codes)).toEqual([['record.too-large'], ['record.too-large']]);
    });

    it('defaults to 8 MiB', () => {
      expect(DEFAULT_MAX_LINE_LENGTH).toBe(8 * 1024 * 1024);
    });
  });
});

describe('readClinicExport', () => {
  it('gives the same entries as parseClinicExport for one string', async () => {
    expect(await collect([MIXED])).toEqual(parseClinicExport(MIXED));
  });

  it('gives the same entries for text chunks split mid-line', async () => {
    const chunks = MIXED.match(/[\s\S]{1,7}/g) ?? [];
    expect(await collect(chunks)).toEqual(parseClinicExport(MIXED));
  });

  it('gives the same entries for one character per chunk, splitting surrogate pairs', async () => {
    expect(await collect(MIXED.split(''))).toEqual(parseClinicExport(MIXED));
  });

  it('gives the same entries for byte chunks of one byte each', async () => {
    const bytes = encoder.encode(MIXED);
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(await collect(chunks)).toEqual(parseClinicExport(MIXED));
  });

  it('gives the same entries for byte chunks split anywhere, even inside a character', async () => {
    const text = `\uFEFF${MIXED}\r\n${JSON.stringify(multiByteEncounter())}`;
    const bytes = encoder.encode(text);
    const expected = parseClinicExport(text);
    expect(expected.filter((e) => e.kind === 'encounter' && e.result.ok)).toHaveLength(2);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (cuts) => {
        expect(await collect(splitBytes(bytes, cuts))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('splits inside each multi-byte character', async () => {
    const text = toClinicExport([multiByteEncounter()]);
    const bytes = encoder.encode(text);
    const expected = parseClinicExport(text);
    expect(expected[0]?.result.ok).toBe(true);
    // Every offset that falls inside a UTF-8 sequence (a continuation byte).
    const inside = [...bytes.keys()].filter((i) => ((bytes[i] ?? 0) & 0xc0) === 0x80);
    expect(inside.length).toBeGreaterThan(10);
    for (const cut of inside) expect(await collect(splitBytes(bytes, [cut]))).toEqual(expected);
  });

  it('ignores a byte-order mark split across chunks', async () => {
    const bytes = encoder.encode(`\uFEFF${toClinicExport([FIXTURES.peer()])}`);
    const entries = await collect(splitBytes(bytes, [1, 2, 3]));
    expect(summary(entries)).toEqual([{ line: 1, kind: 'peer', ok: true, codes: [] }]);
  });

  it('reads a Node.js stream of Buffers', async () => {
    const text = toClinicExport(clinic());
    const stream = Readable.from(splitBytes(Buffer.from(text), [100, 101, 1000, 2500]));
    expect(await collect(stream)).toEqual(parseClinicExport(text));
  });

  it('reports a too-long line split over many chunks and parses the next lines', async () => {
    const line = JSON.stringify(FIXTURES.peer());
    const text = `${line}\n${'x'.repeat(500)}\n${line}\n`;
    const chunks = text.match(/[\s\S]{1,16}/g) ?? [];
    const entries = await collect(chunks, { maxLineLength: line.length });
    expect(summary(entries)).toEqual([
      { line: 1, kind: 'peer', ok: true, codes: [] },
      { line: 2, ok: false, codes: ['record.too-large'] },
      { line: 3, kind: 'peer', ok: true, codes: [] },
    ]);
    expect(entries).toEqual(parseClinicExport(text, { maxLineLength: line.length }));
  });

  it('yields entries before the input ends', async () => {
    async function* source(): AsyncGenerator<string> {
      yield `${JSON.stringify(FIXTURES.peer())}\n`;
      throw new Error('stream broke after the first line');
    }
    const iterator = readClinicExport(source());
    const first = await iterator.next();
    expect(first.value).toMatchObject({ line: 1, kind: 'peer' });
    await expect(iterator.next()).rejects.toThrow('stream broke');
  });
});

describe('toClinicExport', () => {
  it('writes one JSON object per line, each ending in a newline', () => {
    const text = toClinicExport(clinic());
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(clinic().length + 1);
  });

  it('round-trips records through parseClinicExport', () => {
    const values = parseClinicExport(toClinicExport(clinic())).map((e) => (e.result.ok ? e.result.value : e.result.issues));
    expect(values).toEqual(clinic());
  });

  it('round-trips any free text, line breaks and non-ASCII included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }).filter((s) => s.trim() === s && s !== ''), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.constantFrom('\n', '\r\n', '\u2028', '\uFEFF', '"\\'),
        ([a, b, c], breaker) => {
          const e = encounter();
          e.note!.text = `${a}${breaker}${b}`;
          const g = groupSession();
          g.title = `${c}${breaker}${a}`.slice(0, 200).trim() || 'x';
          const records = [e, g, peer()];
          const entries = parseClinicExport(toClinicExport(records));
          expect(entries.map((x) => (x.result.ok ? x.result.value : x.result.issues))).toEqual(records);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('createClinicExportReport', () => {
  it('counts lines, valid and invalid records by kind', () => {
    const r = report(parseClinicExport(MIXED));
    expect(r).toMatchObject({ lines: 8, valid: 3, invalid: 5, jsonLines: 6, issuesOmitted: 0 });
    expect(r.byKind).toEqual({
      organization: { valid: 1, invalid: 0 },
      specialist: { valid: 0, invalid: 0 },
      peer: { valid: 0, invalid: 1 },
      'recovery-plan': { valid: 0, invalid: 0 },
      encounter: { valid: 1, invalid: 0 },
      'group-session': { valid: 0, invalid: 0 },
      consent: { valid: 0, invalid: 0 },
      referral: { valid: 1, invalid: 0 },
      'service-consent': { valid: 0, invalid: 0 },
    });
  });

  it('finds nothing to report in a consistent clinic', () => {
    const r = report(parseClinicExport(toClinicExport(clinic())));
    expect(r).toMatchObject({ lines: 9, valid: 9, invalid: 0, jsonLines: 9, issues: [], issueCounts: {}, issuesOmitted: 0 });
    expect(r.byKind.specialist).toEqual({ valid: 2, invalid: 0 });
  });

  it('counts issues by code', () => {
    const r = report(parseClinicExport(MIXED));
    expect(r.issueCounts).toEqual({
      'record.invalid-json': 1,
      'record.not-object': 1,
      'schema.invalid-format': 1,
      'record.unknown-kind': 1,
      'record.missing-kind': 1,
      // The referral names a plan, a consent and (through its encounter) records not in MIXED.
      'reference.unresolved': expect.any(Number),
    });
  });

  it('reports record.duplicate-id on the later record of the same kind', () => {
    const records = [...clinic(), { ...FIXTURES.peer(), birthDate: '1991-01-01' }];
    const r = report(parseClinicExport(toClinicExport(records)));
    expect(r.issues).toEqual([
      { severity: 'error', code: 'record.duplicate-id', path: ['id'], message: expect.any(String), line: 10 },
    ]);
    expect(r).toMatchObject({ valid: 9, invalid: 1 });
    expect(r.byKind.peer).toEqual({ valid: 1, invalid: 1 });
  });

  it('allows the same id in records of different kinds', () => {
    const records = [...clinic(), { ...FIXTURES.consent(), id: 'peer-001' }];
    expect(report(parseClinicExport(toClinicExport(records))).issues).toEqual([]);
  });

  it('reports reference.unresolved as a warning with line and path', () => {
    const e = encounter();
    e.peerId = 'peer-404';
    e.referralIds = ['ref-001', 'ref-404'];
    const g = groupSession();
    g.attendees.push({ peerId: 'peer-405', attendance: 'absent' });
    const records = [...clinic().filter((r) => r.kind !== 'encounter' && r.kind !== 'group-session'), e, g];
    const r = report(parseClinicExport(toClinicExport(records)));
    const unresolved = {
      severity: 'warning',
      code: 'reference.unresolved',
      message: expect.any(String),
      source: expect.any(String),
    };
    expect(r.issues).toEqual([
      { ...unresolved, path: ['peerId'], line: 8 },
      { ...unresolved, path: ['referralIds', 1], line: 8 },
      { ...unresolved, path: ['attendees', 1, 'peerId'], line: 9 },
    ]);
    expect(r).toMatchObject({ valid: 9, invalid: 0 });
    expect(r.issueCounts).toEqual({ 'reference.unresolved': 3 });
  });

  it('resolves references to records later in the export', () => {
    const records = clinic().reverse();
    expect(report(parseClinicExport(toClinicExport(records))).issues).toEqual([]);
  });

  it.each([
    ['specialist organizationId', (): AnyRecordInput[] => [peer(), { ...specialist(), organizationId: 'org-404' }], ['organizationId']],
    ['specialist supervisorId', (): AnyRecordInput[] => [{ ...specialist(), supervisorId: 'sp-404' }], ['supervisorId']],
    ['peer primarySpecialistId', (): AnyRecordInput[] => [{ ...peer(), primarySpecialistId: 'sp-404' }], ['primarySpecialistId']],
    ['plan specialistId', (): AnyRecordInput[] => [{ ...FIXTURES['recovery-plan'](), specialistId: 'sp-404' }], ['specialistId']],
    ['encounter planId', (): AnyRecordInput[] => [{ ...encounter(), planId: 'plan-404' }], ['planId']],
    ['group facilitatorIds', (): AnyRecordInput[] => [{ ...groupSession(), facilitatorIds: ['sp-001', 'sp-404'] }], ['facilitatorIds', 1]],
    ['consent peerId', (): AnyRecordInput[] => [{ ...FIXTURES.consent(), peerId: 'peer-404' }], ['peerId']],
    ['referral consentId', (): AnyRecordInput[] => [{ ...FIXTURES.referral(), consentId: 'cons-404' }], ['consentId']],
    ['referral planId', (): AnyRecordInput[] => [{ ...FIXTURES.referral(), planId: 'plan-404' }], ['planId']],
    ['referral encounterId', (): AnyRecordInput[] => [{ ...FIXTURES.referral(), encounterId: 'enc-404' }], ['encounterId']],
    ['encounter programId', (): AnyRecordInput[] => [{ ...encounter(), programId: 'prog-404' }], ['programId']],
    ['group programId', (): AnyRecordInput[] => [{ ...groupSession(), programId: 'prog-404' }], ['programId']],
    [
      'peer enrollment programId',
      (): AnyRecordInput[] => [{ ...peer(), enrollments: [{ programId: 'prog-404', programType: 'substance-use' as const, start: '2025-01-01' }] }],
      ['enrollments', 0, 'programId'],
    ],
    [
      'encounter crisis referralId',
      (): AnyRecordInput[] => [
        {
          ...encounter(),
          activities: ['crisis-support'],
          crisis: { indicated: true, actions: ['referred-988'], referralId: 'ref-404' },
        },
      ],
      ['crisis', 'referralId'],
    ],
    [
      'specialist supervisionLog supervisorId',
      (): AnyRecordInput[] => [{ ...specialist(), supervisionLog: [{ date: '2026-01-12', supervisorId: 'sp-404', minutes: 30, format: 'individual' }] }],
      ['supervisionLog', 0, 'supervisorId'],
    ],
  ])('checks the %s reference', (_, changed: () => AnyRecordInput[], path) => {
    const replaced = new Set(changed().map((r) => `${r.kind}/${r.id}`));
    const records = [...clinic().filter((r) => !replaced.has(`${r.kind}/${r.id}`)), ...changed()];
    const r = report(parseClinicExport(toClinicExport(records)));
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([['reference.unresolved', path]]);
  });

  it("reports encounter.cosign-missing for a trainee's signed note without co-signature", () => {
    const trainee = specialist();
    trainee.roleLevel = 'trainee';
    const e = encounter();
    delete e.note!.cosignedAt;
    delete e.note!.cosignedBy;
    // The trainee comes after the encounter: the check runs when the report is finished.
    const records = [...clinic().filter((r) => r.id !== 'sp-001' && r.kind !== 'encounter'), e, trainee];
    const r = report(parseClinicExport(toClinicExport(records)));
    expect(r.issues).toEqual([
      {
        severity: 'warning',
        code: 'encounter.cosign-missing',
        path: ['note', 'cosignedBy'],
        message: expect.any(String),
        line: 8,
        source: expect.stringContaining('CMS SMDL #07-011'),
      },
    ]);
    expect(r).toMatchObject({ valid: 9, invalid: 0 });
  });

  it.each([
    ['the author is not a trainee', false, true, true],
    ['the note is co-signed', true, false, true],
    ['the note is not signed', true, true, false],
  ])('does not report encounter.cosign-missing when %s', (_, isTrainee, removeCosign, signed) => {
    const author = specialist();
    if (isTrainee) author.roleLevel = 'trainee';
    const e = encounter();
    if (removeCosign) {
      delete e.note!.cosignedAt;
      delete e.note!.cosignedBy;
    }
    if (!signed) e.note = { text: 'Synthetic draft note' };
    const records = [...clinic().filter((r) => r.id !== 'sp-001' && r.kind !== 'encounter'), author, e];
    const codes = report(parseClinicExport(toClinicExport(records))).issues.map((i) => i.code);
    expect(codes).not.toContain('encounter.cosign-missing');
  });

  it('keeps at most maxIssues issues and counts the rest', () => {
    const text = ['{', '[]', '{"kind":"x"}', '{}', 'nope'].join('\n');
    const r = report(parseClinicExport(text), { maxIssues: 2 });
    expect(r.issues.map((i) => i.line)).toEqual([1, 2]);
    expect(r.issuesOmitted).toBe(3);
    expect(Object.values(r.issueCounts).reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(5);
    expect(r.issueCounts).toEqual({ 'record.invalid-json': 2, 'record.not-object': 1, 'record.unknown-kind': 1, 'record.missing-kind': 1 });
  });

  it('counts cross-record issues past maxIssues', () => {
    const e = encounter();
    e.peerId = 'peer-404';
    const r = report(parseClinicExport(toClinicExport([e])), { maxIssues: 0 });
    expect(r.issues).toEqual([]);
    expect(r.issuesOmitted).toBe(r.issueCounts['reference.unresolved']);
    expect(r.issuesOmitted).toBeGreaterThan(0);
  });

  it('counts issues by severity, cross-record ones included', () => {
    const e = encounter();
    e.peerId = 'peer-404';
    const broken = { ...encounter(), id: 'enc-900', end: '2020-01-01T00:00:00Z' };
    const r = report(parseClinicExport(toClinicExport([e, broken, e])));
    const bySeverity = { error: 0, warning: 0, information: 0 };
    for (const issue of r.issues) bySeverity[issue.severity] += 1;
    expect(r.severityCounts).toEqual(bySeverity);
    expect(r.severityCounts.error).toBe(2); // encounter.end-before-start + record.duplicate-id
    expect(r.severityCounts.warning).toBeGreaterThan(0);
  });

  it('lists errors before warnings when maxIssues cuts the list', () => {
    const early = encounter();
    early.peerId = 'peer-404'; // a warning on line 1
    const late = { ...encounter(), id: 'enc-900', end: '2020-01-01T00:00:00Z' }; // an error on line 2
    const r = report(parseClinicExport(toClinicExport([early, late])), { maxIssues: 1 });
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([['encounter.end-before-start', 2]]);
    expect(r.issuesOmitted).toBe(r.severityCounts.error + r.severityCounts.warning + r.severityCounts.information - 1);
  });

  it('skips cross-record checks when crossRecord is false', () => {
    const records = [encounter(), encounter()];
    const r = report(parseClinicExport(toClinicExport(records)), { crossRecord: false });
    expect(r).toMatchObject({ valid: 2, invalid: 0, issues: [], issueCounts: {} });
    expect(r.byKind.encounter).toEqual({ valid: 2, invalid: 0 });
  });

  it('returns the same report when finish is called again', () => {
    const r = createClinicExportReport();
    for (const entry of parseClinicExport(toClinicExport([encounter()]))) r.add(entry);
    const first = structuredClone(r.finish());
    expect(r.finish()).toEqual(first);
  });

  it('keeps the warnings of valid records', () => {
    const e = encounter();
    e.setting = 'street-outreach';
    e.modality = 'video';
    const records = [...clinic().filter((r) => r.kind !== 'encounter'), e];
    const r = report(parseClinicExport(toClinicExport(records)));
    expect(r.valid).toBe(9);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'encounter.setting-modality-mismatch', severity: 'warning', line: 9 })]);
  });
});
