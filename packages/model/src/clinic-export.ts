/**
 * The clinic export: NDJSON, one record per line, each with a `kind`. The reader streams it, reports
 * issues per line (line number + path) and keeps going: one bad line never loses the valid ones.
 *
 * See: docs/clinic-export.md
 */
import { codesOf, RECORD_KINDS, type RecordKind } from './codes';
import { isRecordKind, parseRecord, type ClinicRecord } from './record';
import { fail, type Issue, type IssueSeverity, type Result } from './result';

/** One line of a clinic export, validated. Every issue carries `line`. */
export interface ClinicExportEntry {
  /** 1-based line number in the file. */
  readonly line: number;
  /** The record's declared kind, when the line has a known `kind` (also for invalid records). */
  readonly kind?: RecordKind;
  readonly result: Result<ClinicRecord>;
}

/** Options of {@link readClinicExport} and {@link parseClinicExport}. */
export interface ReadClinicExportOptions {
  /**
   * Longest line accepted, in characters; a longer line is reported as `record.too-large` and skipped
   * without being held in memory. Default 8 MiB (8,388,608).
   */
  maxLineLength?: number;
}

/** Default of {@link ReadClinicExportOptions.maxLineLength}. */
export const DEFAULT_MAX_LINE_LENGTH = 8 * 1024 * 1024;

function withLine(issues: readonly Issue[], line: number): Issue[] {
  return issues.map((issue) => ({ ...issue, line }));
}

function lineError(line: number, code: Issue['code'], message: string): ClinicExportEntry {
  return { line, result: fail([{ severity: 'error', code, path: [], message, line }]) };
}

/** Validates one line of text (without its newline). `undefined` for a blank line. */
function parseLine(text: string, line: number): ClinicExportEntry | undefined {
  if (!/\S/.test(text)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's own message quotes the input; never pass it on.
    return lineError(line, 'record.invalid-json', 'Line is not valid JSON');
  }
  const result = parseRecord(json);
  const withLines = result.issues.length === 0 ? result : { ...result, issues: withLine(result.issues, line) };
  const kind = (json as { kind?: unknown } | null)?.kind;
  return isRecordKind(kind) ? { line, kind, result: withLines } : { line, result: withLines };
}

/**
 * Splits text chunks into lines, never holding more than `maxLineLength` characters of one line.
 * Pure: the caller feeds chunks and receives completed lines.
 */
class LineSplitter {
  private buffer = '';
  private overflow = false;
  private lineNumber = 0;
  private first = true;

  constructor(private readonly maxLineLength: number) {}

  /** Feeds a chunk; calls `emit` for each completed line. */
  push(chunk: string, emit: (entry: ClinicExportEntry) => void): void {
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline === -1) {
        this.append(text.slice(from));
        return;
      }
      this.append(text.slice(from, newline));
      this.completeLine(emit);
      from = newline + 1;
    }
  }

  /** Ends the input; emits the last line if it had no newline. */
  end(emit: (entry: ClinicExportEntry) => void): void {
    if (this.buffer !== '' || this.overflow) this.completeLine(emit);
  }

  private append(piece: string): void {
    if (this.overflow || piece === '') return;
    // One character of slack for the `\r` of a CRLF ending, which is not part of the line.
    if (this.buffer.length + piece.length > this.maxLineLength + 1) {
      this.overflow = true;
      this.buffer = '';
      return;
    }
    this.buffer += piece;
  }

  private completeLine(emit: (entry: ClinicExportEntry) => void): void {
    this.lineNumber += 1;
    const text = this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer;
    if (this.overflow || text.length > this.maxLineLength) {
      emit(lineError(this.lineNumber, 'record.too-large', `Line is longer than the limit of ${this.maxLineLength} characters`));
    } else {
      const entry = parseLine(text, this.lineNumber);
      if (entry) emit(entry);
    }
    this.buffer = '';
    this.overflow = false;
  }
}

/**
 * Streams a clinic export and validates each line. Accepts text or byte chunks (UTF-8), e.g. a
 * Node.js `fs.createReadStream(path)` or a web `ReadableStream` body. Blank lines are skipped.
 *
 * @param source - the NDJSON text, in chunks
 * @param options - see {@link ReadClinicExportOptions}
 * @returns one entry per non-blank line, in order
 * @example
 * for await (const { line, result } of readClinicExport(createReadStream('clinic.ndjson'))) {
 *   if (!result.ok) console.log(line, result.issues);
 * }
 */
export async function* readClinicExport(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: ReadClinicExportOptions = {},
): AsyncGenerator<ClinicExportEntry> {
  const splitter = new LineSplitter(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  const decoder = new TextDecoder('utf-8');
  const pending: ClinicExportEntry[] = [];
  const emit = (entry: ClinicExportEntry): void => {
    pending.push(entry);
  };
  for await (const chunk of source) {
    splitter.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), emit);
    yield* pending;
    pending.length = 0;
  }
  splitter.push(decoder.decode(), emit);
  splitter.end(emit);
  yield* pending;
}

/**
 * Validates a whole clinic export held in memory. Same results as {@link readClinicExport}.
 *
 * @param text - the NDJSON text
 * @param options - see {@link ReadClinicExportOptions}
 */
export function parseClinicExport(text: string, options: ReadClinicExportOptions = {}): ClinicExportEntry[] {
  const splitter = new LineSplitter(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  const entries: ClinicExportEntry[] = [];
  const emit = (entry: ClinicExportEntry): void => {
    entries.push(entry);
  };
  splitter.push(text, emit);
  splitter.end(emit);
  return entries;
}

/**
 * Serializes records as a clinic export: one JSON object per line, each line ending in `\n`.
 *
 * @param records - records (or, for tests, any JSON values)
 */
export function toClinicExport(records: Iterable<unknown>): string {
  let out = '';
  for (const record of records) out += `${JSON.stringify(record)}\n`;
  return out;
}

/** Counts for one record kind. */
export interface KindCount {
  valid: number;
  invalid: number;
}

/** What a whole clinic export contained: counts, and every issue with its line. */
export interface ClinicExportReport {
  /** Non-blank lines read. */
  lines: number;
  valid: number;
  invalid: number;
  /** Lines that parsed as JSON objects (useful to tell a non-NDJSON file from a broken export). */
  jsonLines: number;
  /** Counts by record kind; lines whose kind could not be read are not counted here. */
  byKind: Record<RecordKind, KindCount>;
  /** Issue counts by code, over all lines and the cross-record checks. */
  issueCounts: Partial<Record<Issue['code'], number>>;
  /** Issue counts by severity, over all lines and the cross-record checks. */
  severityCounts: Record<IssueSeverity, number>;
  /**
   * Issues, at most `maxIssues` of them: errors first, then warnings and information, each in line
   * order, so the errors that make records invalid are never crowded out by warnings.
   */
  issues: Issue[];
  /** Issues not kept in `issues` because `maxIssues` was reached (still counted in `issueCounts`). */
  issuesOmitted: number;
}

/** Options of {@link createClinicExportReport}. */
export interface ClinicExportReportOptions {
  /** Most issues kept in the report (all are counted). Default 1,000. */
  maxIssues?: number;
  /** Run the cross-record checks (duplicate ids, unresolved references, co-signature). Default `true`. */
  crossRecord?: boolean;
}

/** Accumulates a {@link ClinicExportReport}; returned by {@link createClinicExportReport}. */
export interface ClinicExportReporter {
  /** Counts one entry and keeps what the cross-record checks need (ids and references, no content). */
  add: (entry: ClinicExportEntry) => void;
  /** Runs the cross-record checks and returns the report; calling it again returns the same report. */
  finish: () => ClinicExportReport;
}

/** What a reference can point at: a record kind, or a program of an organization. */
type RefTarget = RecordKind | 'program';

interface RecordRefs {
  line: number;
  refs: [path: (string | number)[], target: RefTarget, id: string][];
}

const REFERENCE_SOURCE = 'PeerKit clinic export: references resolve within the export';

function referencesOf(record: ClinicRecord): RecordRefs['refs'] {
  const refs: RecordRefs['refs'] = [];
  const note = (path: (string | number)[], n: { signedBy?: string | undefined; cosignedBy?: string | undefined } | undefined): void => {
    if (n?.signedBy !== undefined) refs.push([[...path, 'signedBy'], 'specialist', n.signedBy]);
    if (n?.cosignedBy !== undefined) refs.push([[...path, 'cosignedBy'], 'specialist', n.cosignedBy]);
  };
  switch (record.kind) {
    case 'specialist':
      refs.push([['organizationId'], 'organization', record.organizationId]);
      if (record.supervisorId !== undefined) refs.push([['supervisorId'], 'specialist', record.supervisorId]);
      record.supervisionLog.forEach((e, i) => refs.push([['supervisionLog', i, 'supervisorId'], 'specialist', e.supervisorId]));
      break;
    case 'peer':
      if (record.primarySpecialistId !== undefined) {
        refs.push([['primarySpecialistId'], 'specialist', record.primarySpecialistId]);
      }
      record.enrollments.forEach((e, i) => refs.push([['enrollments', i, 'programId'], 'program', e.programId]));
      break;
    case 'recovery-plan':
      refs.push([['peerId'], 'peer', record.peerId], [['specialistId'], 'specialist', record.specialistId]);
      if (record.programId !== undefined) refs.push([['programId'], 'program', record.programId]);
      break;
    case 'encounter':
      refs.push(
        [['peerId'], 'peer', record.peerId],
        [['specialistId'], 'specialist', record.specialistId],
        [['programId'], 'program', record.programId],
      );
      if (record.planId !== undefined) refs.push([['planId'], 'recovery-plan', record.planId]);
      record.referralIds.forEach((id, i) => refs.push([['referralIds', i], 'referral', id]));
      if (record.crisis?.referralId !== undefined) refs.push([['crisis', 'referralId'], 'referral', record.crisis.referralId]);
      note(['note'], record.note);
      break;
    case 'group-session':
      refs.push([['programId'], 'program', record.programId]);
      record.facilitatorIds.forEach((id, i) => refs.push([['facilitatorIds', i], 'specialist', id]));
      record.attendees.forEach((a, i) => refs.push([['attendees', i, 'peerId'], 'peer', a.peerId]));
      break;
    case 'consent':
      refs.push([['peerId'], 'peer', record.peerId]);
      if (record.discloser?.organizationId !== undefined) {
        refs.push([['discloser', 'organizationId'], 'organization', record.discloser.organizationId]);
      }
      break;
    case 'referral':
      refs.push([['peerId'], 'peer', record.peerId], [['specialistId'], 'specialist', record.specialistId]);
      if (record.planId !== undefined) refs.push([['planId'], 'recovery-plan', record.planId]);
      if (record.consentId !== undefined) refs.push([['consentId'], 'consent', record.consentId]);
      if (record.encounterId !== undefined) refs.push([['encounterId'], 'encounter', record.encounterId]);
      break;
    case 'service-consent':
      refs.push([['peerId'], 'peer', record.peerId]);
      if (record.programId !== undefined) refs.push([['programId'], 'program', record.programId]);
      if (record.documentedBy !== undefined) refs.push([['documentedBy'], 'specialist', record.documentedBy]);
      break;
    case 'organization':
      break;
  }
  return refs;
}

/**
 * Accumulates a report over the entries of a clinic export, adding the checks that need more than
 * one record: duplicate ids (`record.duplicate-id`), references to records the export does not hold
 * (`reference.unresolved`, a warning: exports may be incremental) and trainee notes without a
 * supervisor's co-signature (`encounter.cosign-missing`).
 *
 * @example
 * const report = createClinicExportReport();
 * for await (const entry of readClinicExport(stream)) report.add(entry);
 * const summary = report.finish();
 */
export function createClinicExportReport(options: ClinicExportReportOptions = {}): ClinicExportReporter {
  const maxIssues = options.maxIssues ?? 1000;
  const crossRecord = options.crossRecord ?? true;
  const byKind = Object.fromEntries(codesOf(RECORD_KINDS).map((k) => [k, { valid: 0, invalid: 0 }])) as Record<
    RecordKind,
    KindCount
  >;
  const report: ClinicExportReport = {
    lines: 0,
    valid: 0,
    invalid: 0,
    jsonLines: 0,
    byKind,
    issueCounts: {},
    severityCounts: { error: 0, warning: 0, information: 0 },
    issues: [],
    issuesOmitted: 0,
  };
  // Up to maxIssues of each group are kept while streaming; finish() merges and cuts to maxIssues.
  const errors: Issue[] = [];
  const others: Issue[] = [];
  const ids = new Map<RefTarget, Set<string>>([...codesOf(RECORD_KINDS), 'program' as const].map((k) => [k, new Set<string>()]));
  const pendingRefs: RecordRefs[] = [];
  const trainees = new Set<string>();
  const uncosigned: { line: number; specialistId: string }[] = [];
  let finished: ClinicExportReport | undefined;

  const record = (issue: Issue): void => {
    report.issueCounts[issue.code] = (report.issueCounts[issue.code] ?? 0) + 1;
    report.severityCounts[issue.severity] += 1;
    const kept = issue.severity === 'error' ? errors : others;
    if (kept.length < maxIssues) kept.push(issue);
  };

  const add = (entry: ClinicExportEntry): void => {
    report.lines += 1;
    const { result, line } = entry;
    if (!result.issues.some((i) => i.code === 'record.invalid-json' || i.code === 'record.too-large' || i.code === 'record.not-object')) {
      report.jsonLines += 1;
    }
    for (const issue of result.issues) record(issue);
    if (!result.ok) {
      report.invalid += 1;
      if (entry.kind) byKind[entry.kind].invalid += 1;
      return;
    }
    const value = result.value;
    byKind[value.kind].valid += 1;
    if (!crossRecord) {
      report.valid += 1;
      return;
    }
    const seen = ids.get(value.kind);
    if (seen?.has(value.id)) {
      report.invalid += 1;
      byKind[value.kind].valid -= 1;
      byKind[value.kind].invalid += 1;
      record({ severity: 'error', code: 'record.duplicate-id', path: ['id'], message: `Another ${value.kind} record earlier in the export has the same id`, line });
      return;
    }
    report.valid += 1;
    seen?.add(value.id);
    if (value.kind === 'organization') for (const program of value.programs) ids.get('program')?.add(program.id);
    const refs = referencesOf(value);
    if (refs.length > 0) pendingRefs.push({ line, refs });
    if (value.kind === 'specialist' && value.roleLevel === 'trainee') trainees.add(value.id);
    if (value.kind === 'encounter' && value.note?.signedAt !== undefined && value.note.cosignedBy === undefined) {
      uncosigned.push({ line, specialistId: value.specialistId });
    }
  };

  const finish = (): ClinicExportReport => {
    if (finished) return finished;
    const late: Issue[] = [];
    for (const { line, refs } of pendingRefs) {
      for (const [path, kind, id] of refs) {
        if (!ids.get(kind)?.has(id)) {
          late.push({
            severity: 'warning',
            code: 'reference.unresolved',
            path,
            message: `Refers to a ${kind} that is not in the export`,
            line,
            source: REFERENCE_SOURCE,
          });
        }
      }
    }
    for (const { line, specialistId } of uncosigned) {
      if (trainees.has(specialistId)) {
        late.push({
          severity: 'warning',
          code: 'encounter.cosign-missing',
          path: ['note', 'cosignedBy'],
          message: "A trainee's signed note has no supervisor co-signature",
          line,
          source: 'CMS SMDL #07-011 (supervision of peer support providers)',
        });
      }
    }
    for (const issue of late) record(issue);
    const byLine = (a: Issue, b: Issue): number => (a.line ?? 0) - (b.line ?? 0);
    // Stable sorts: a line's own issues keep their order.
    report.issues = [...errors.sort(byLine), ...others.sort(byLine)].slice(0, maxIssues);
    report.issuesOmitted =
      report.severityCounts.error + report.severityCounts.warning + report.severityCounts.information - report.issues.length;
    finished = report;
    return report;
  };

  return { add, finish };
}
