/**
 * Runs the boundary and scope rule catalog over a clinic export: note rules on every progress and
 * group note, and the record rules that read one record, as records stream in; the record rules
 * over the whole export (credentials, supervision, workload, documentation, referrals) once every
 * record has been seen. Findings name the record, line, field and character span, never the text
 * or a value.
 */
import type { ClinicRecord, IssuePath, IssueSeverity } from '@peerkit/model';
import { ruleById } from './catalog';
import { createFinding, type Finding, type FindingPlace } from './finding';
import { noteHits } from './lint-note';
import { DEFAULT_POLICY, severityFor, type Policy } from './policy';
import { createClinicIndex } from './record/clinic-index';
import { isAddedRecordRule, SUBJECT_ORDER, type AddedRecordRule, type Emit, type ExportRule, type RecordPlace } from './record/record-rule';
import { RECORD_RULES } from './record/record-rules';
import { RULE_CATEGORIES, type NoteContext, type RuleCategory, type RuleDefinition } from './rule-definition';

/** Options of {@link createClinicChecker} and {@link checkClinic}. */
export interface CheckClinicOptions {
  /** The policy (see `parsePolicy`). Default {@link DEFAULT_POLICY}. */
  policy?: Policy;
  /** The date the export is judged at (`YYYY-MM-DD`). Default: the latest date of service in the export. */
  asOf?: string;
  /** Most findings kept (all are counted). Default: all. */
  maxFindings?: number;
  /** Whether the note model adds its `note-model.*` warnings to the note rules (as `lintNote`'s `model`). Default `true`. */
  model?: boolean;
}

/** Counts of findings. */
export interface FindingCounts {
  readonly byCategory: Readonly<Record<RuleCategory, number>>;
  readonly byRule: Readonly<Record<string, number>>;
  readonly bySeverity: Readonly<Record<IssueSeverity, number>>;
}

/** The result of checking a clinic export. */
export interface ClinicCheckReport {
  /** The date the record rules were judged at; `undefined` when the export has no dated service. */
  readonly asOf: string | undefined;
  /** Records checked. */
  readonly records: number;
  /** Findings, in line order (record rules after note rules of the same line). */
  readonly findings: readonly Finding[];
  /** Findings counted but not kept because of `maxFindings`. */
  readonly findingsOmitted: number;
  readonly counts: FindingCounts;
}

/** Accumulates a {@link ClinicCheckReport}; returned by {@link createClinicChecker}. */
export interface ClinicChecker {
  /** Checks one valid record; `line` is its line in the export. */
  add(record: ClinicRecord, line?: number): void;
  /** Runs the record rules and returns the report; calling it again returns the same report. */
  finish(): ClinicCheckReport;
}

/** A note of a record, and how the note rules read it. */
interface NoteText {
  readonly text: string;
  readonly context: NoteContext;
  readonly path: IssuePath;
  readonly crisisDocumented: boolean;
}

/** The notes of a record: an encounter's progress note; a group session's group note and attendee notes. */
function notesOf(record: ClinicRecord): NoteText[] {
  if (record.kind === 'encounter') {
    if (!record.note) return [];
    const documented = !!record.crisis?.indicated && (record.crisis.actions.length > 0 || record.crisis.referralId !== undefined);
    return [{ text: record.note.text, context: 'one-on-one', path: ['note', 'text'], crisisDocumented: documented }];
  }
  if (record.kind !== 'group-session') return [];
  const notes: NoteText[] = [];
  if (record.groupNote) notes.push({ text: record.groupNote.text, context: 'group', path: ['groupNote', 'text'], crisisDocumented: false });
  record.attendees.forEach((a, i) => {
    if (a.note) notes.push({ text: a.note.text, context: 'group-attendee', path: ['attendees', i, 'note', 'text'], crisisDocumented: false });
  });
  return notes;
}

/**
 * Creates a streaming checker: `add` each valid record, then `finish`.
 *
 * @param options - policy, as-of date, finding limit
 * @returns the checker
 * @example
 * const checker = createClinicChecker({ policy });
 * for await (const entry of readClinicExport(stream)) if (entry.result.ok) checker.add(entry.result.value, entry.line);
 * const report = checker.finish();
 */
export function createClinicChecker(options: CheckClinicOptions = {}): ClinicChecker {
  const policy = options.policy ?? DEFAULT_POLICY;
  const disabled = new Set(policy.disabledRules);
  const model = options.model ?? true;
  const maxFindings = options.maxFindings ?? Number.POSITIVE_INFINITY;
  const findings: Finding[] = [];
  const byCategory = Object.fromEntries(RULE_CATEGORIES.map((c) => [c, 0])) as Record<RuleCategory, number>;
  const byRule: Record<string, number> = {};
  const bySeverity: Record<IssueSeverity, number> = { error: 0, warning: 0, information: 0 };
  let omitted = 0;
  let records = 0;
  const index = createClinicIndex();
  let finished: ClinicCheckReport | undefined;

  const report = (rule: RuleDefinition, place: FindingPlace): void => {
    if (disabled.has(rule.id)) return;
    const finding = createFinding(rule, severityFor(policy, rule), place);
    byCategory[finding.category] += 1;
    byRule[finding.rule] = (byRule[finding.rule] ?? 0) + 1;
    bySeverity[finding.severity] += 1;
    if (findings.length < maxFindings) findings.push(finding);
    else omitted += 1;
  };

  const emitterOf = (rule: RuleDefinition): Emit => (place, path) => report(rule, { ...place, path });
  const enabled = RECORD_RULES.filter((rule) => !disabled.has(rule.definition.id));
  const added = enabled.filter(isAddedRecordRule).map((rule) => ({ rule, emit: emitterOf(rule.definition) }));
  const exported = enabled
    .filter((rule): rule is ExportRule => !isAddedRecordRule(rule))
    .map((rule) => ({ rule, emit: emitterOf(rule.definition) }));

  const runAdded = (rule: AddedRecordRule, record: ClinicRecord, place: RecordPlace, emit: Emit): void => {
    if (rule.records.includes(record.kind) && (rule.applies?.(record) ?? true)) rule.check(record, place, policy, emit);
  };

  const add = (record: ClinicRecord, line?: number): void => {
    records += 1;
    const place: RecordPlace = line === undefined ? { recordKind: record.kind, recordId: record.id } : { recordKind: record.kind, recordId: record.id, line };
    for (const note of notesOf(record)) {
      for (const hit of noteHits(note.text, { context: note.context, policy, crisisDocumented: note.crisisDocumented, model })) {
        report(ruleById(hit.rule), { ...place, path: note.path, start: hit.span.start, end: hit.span.end });
      }
    }
    for (const { rule, emit } of added) runAdded(rule, record, place, emit);
    index.add(record, place);
  };

  const finish = (): ClinicCheckReport => {
    if (finished) return finished;
    const asOf = options.asOf ?? index.latestDate();
    const facts = index.facts(policy, asOf);
    for (const kind of SUBJECT_ORDER) {
      const rules = exported.filter(({ rule }) => rule.subject === kind);
      if (rules.length === 0) continue;
      for (const subject of index.subjects(kind)) {
        for (const { rule, emit } of rules) if (rule.applies?.(subject, facts) ?? true) rule.check(subject, facts, emit);
      }
    }
    // Stable sort: a line's note findings keep their order, record findings follow.
    findings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    finished = { asOf, records, findings, findingsOmitted: omitted, counts: { byCategory, byRule, bySeverity } };
    return finished;
  };

  return { add, finish };
}

/**
 * Checks the records of a clinic export against the rule catalog.
 *
 * @param records - valid records (e.g. `generateClinic(…).records`), or `{ record, line }` pairs
 * @param options - policy, as-of date, finding limit
 * @returns findings with counts by category, rule and severity
 * @example
 * const report = checkClinic(generateClinic({ seed: 1 }).records);
 * console.log(report.counts.byCategory['scope-of-practice']);
 */
export function checkClinic(
  records: Iterable<ClinicRecord | { record: ClinicRecord; line: number }>,
  options: CheckClinicOptions = {},
): ClinicCheckReport {
  const checker = createClinicChecker(options);
  for (const item of records) {
    if ('record' in item) checker.add(item.record, item.line);
    else checker.add(item);
  }
  return checker.finish();
}
