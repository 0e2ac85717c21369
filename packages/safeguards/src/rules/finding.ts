/**
 * A finding of the boundary and scope rules: where (record, field, character span), which rule,
 * how serious, and for notes a suggestion. Never the text or a value itself.
 */
import type { Finding as SharedFinding, IssueCode, IssuePath, IssueSeverity, RecordKind } from '@peerkit/model';
import type { RuleCategory, RuleDefinition } from './rule-definition';

/**
 * One finding: the shared {@link SharedFinding} shape of `@peerkit/model` (so `toOperationOutcome`
 * converts it), with the rule, its category and its source always set. Its `code` is the rule id:
 * the rule catalog (`RULES`) is this package's code registry.
 */
export interface Finding extends SharedFinding {
  /** The rule id, e.g. `scope.diagnosing` (same as `rule`). */
  readonly code: IssueCode;
  /** Rule id, e.g. `scope.diagnosing`. */
  readonly rule: string;
  readonly category: RuleCategory;
  readonly severity: IssueSeverity;
  /** The rule's title: names no value. */
  readonly message: string;
  readonly source: string;
  readonly recordKind?: RecordKind | 'fhir-resource';
  readonly recordId?: string;
  /** 1-based line of the record in a clinic export. */
  readonly line?: number;
  /** The field, e.g. `['note', 'text']` or `['attendees', 2, 'note', 'text']`. */
  readonly path: IssuePath;
  /** Character span in the field, `[start, end)`, for text findings. */
  readonly start?: number;
  readonly end?: number;
  /** For notes: a peer-appropriate alternative. */
  readonly suggestion?: string;
}

/** Where a finding is, besides the rule. */
export interface FindingPlace {
  readonly recordKind?: Finding['recordKind'];
  readonly recordId?: string;
  readonly line?: number;
  readonly path: IssuePath;
  readonly start?: number;
  readonly end?: number;
}

/** Builds a finding from a rule, a severity and a place. */
export function createFinding(rule: RuleDefinition, severity: IssueSeverity, place: FindingPlace): Finding {
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    // Rule ids are dotted (`<family>.<rule>`, checked by the catalog test), as issue codes are.
    code: rule.id as IssueCode,
    rule: rule.id,
    category: rule.category,
    severity,
    message: rule.title,
    source: rule.source,
    path: place.path,
  };
  if (place.recordKind !== undefined) finding.recordKind = place.recordKind;
  if (place.recordId !== undefined) finding.recordId = place.recordId;
  if (place.line !== undefined) finding.line = place.line;
  if (place.start !== undefined) finding.start = place.start;
  if (place.end !== undefined) finding.end = place.end;
  if (rule.suggestion !== undefined) finding.suggestion = rule.suggestion;
  return finding;
}
