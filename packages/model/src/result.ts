/**
 * The shapes every PeerKit package shares: `Issue`, `Result<T>` and their conversion to a
 * FHIR `OperationOutcome`.
 *
 * See: https://hl7.org/fhir/R4/operationoutcome.html
 */
import type { IssueCode } from './issue-codes';

/** How serious an issue is; mirrors `OperationOutcome.issue.severity` (without `fatal`). */
export type IssueSeverity = 'error' | 'warning' | 'information';

/** A path into the input: object keys and array indexes, outermost first. */
export type IssuePath = readonly (string | number)[];

/**
 * The one problem shape every PeerKit package reports: validation issues, import issues, boundary
 * and scope findings, billing findings. Mirrors `OperationOutcome.issue`, so
 * {@link toOperationOutcome} converts any of them.
 *
 * `message` names the field and the rule, never the value: no patient data in findings.
 *
 * Each package keeps one registry of its codes with a documented prefix (`ISSUE_CODES` in
 * `@peerkit/model`, `BILLING_CHECKS` in `@peerkit/billing`, the rule catalog in
 * `@peerkit/safeguards`).
 *
 * See: https://hl7.org/fhir/R4/operationoutcome.html
 */
export interface Finding {
  /** `error` makes the result invalid; `warning` and `information` do not. */
  readonly severity: IssueSeverity;
  /** Stable machine-readable code, e.g. `consent.expiry-before-signature`. See {@link ISSUE_CODES}. */
  readonly code: IssueCode;
  /** Where in the input the problem is. Empty for the whole record. */
  readonly path: IssuePath;
  /** Human-readable explanation naming the field and the rule. */
  readonly message: string;
  /** 1-based line number, set by the clinic export reader. */
  readonly line?: number;
  /** Regulation or standard the rule comes from, where one applies. */
  readonly source?: string;
  /** Id of the rule that found it, where a rule catalog did (e.g. `scope.diagnosing`). */
  readonly rule?: string;
  /** The rule's category, e.g. `scope-of-practice` or a billing check family. */
  readonly category?: string;
  /** For text fields: where the span the finding is about starts (character offset, inclusive). */
  readonly start?: number;
  /** For text fields: where that span ends (character offset, exclusive). Never the text itself. */
  readonly end?: number;
  /** A peer-appropriate alternative or the next step to fix it. */
  readonly suggestion?: string;
}

/**
 * One problem found in the input: the {@link Finding} shape, under the name `Result` uses.
 */
export interface Issue extends Finding {}

/** A successful result: the value plus any warnings or information. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
  readonly issues: Issue[];
}

/** A failed result: at least one `error` issue, no value. */
export interface Err {
  readonly ok: false;
  readonly issues: Issue[];
}

/**
 * Expected outcomes are data: a value with its issues, or the issues alone.
 *
 * @example
 * const result = parsePeerEncounter(input);
 * if (!result.ok) console.log(result.issues.map((i) => `${i.code} at ${formatPath(i.path)}`));
 */
export type Result<T> = Ok<T> | Err;

/**
 * Builds a successful result.
 *
 * @param value - the value
 * @param issues - warnings or information to carry along (default none)
 */
export function ok<T>(value: T, issues: Issue[] = []): Ok<T> {
  return { ok: true, value, issues };
}

/**
 * Builds a failed result.
 *
 * @param issues - the issues; should contain at least one `error`
 */
export function fail(issues: Issue[]): Err {
  return { ok: false, issues };
}

/** `true` when any issue has severity `error`. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/**
 * Formats an issue path as a dotted string with bracketed indexes, e.g. `goals[2].target`.
 *
 * @returns `''` for the empty path
 */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** A FHIR R4 `OperationOutcome`, as PeerKit emits it. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** One `OperationOutcome.issue`. */
export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: 'invalid' | 'structure' | 'required' | 'value' | 'business-rule' | 'too-long' | 'not-supported';
  details: { coding: { system: string; code: string }[]; text: string };
  expression?: string[];
  diagnostics?: string;
}

/** CodeSystem URI under which PeerKit's issue codes are published in `OperationOutcome.issue.details`. */
export const ISSUE_CODE_SYSTEM = 'https://peerkit.dev/fhir/CodeSystem/issue-code';

function issueTypeOf(code: string): OperationOutcomeIssue['code'] {
  if (code === 'schema.required') return 'required';
  if (code === 'record.too-large') return 'too-long';
  if (code === 'record.unknown-kind') return 'not-supported';
  if (code.startsWith('schema.') || code === 'record.invalid-json' || code === 'record.not-object') return 'structure';
  return 'business-rule';
}

/**
 * Converts issues (any {@link Finding}: validation issues, billing or safeguards findings) into a
 * FHIR R4 `OperationOutcome`.
 *
 * @param issues - the issues to convert
 * @returns an OperationOutcome with one `issue` per input issue; the path becomes `expression`
 * @example
 * toOperationOutcome(result.issues).issue[0]?.details.coding[0]?.code; // 'encounter.end-before-start'
 * See: https://hl7.org/fhir/R4/operationoutcome.html
 */
export function toOperationOutcome(issues: readonly Finding[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => {
      const out: OperationOutcomeIssue = {
        severity: issue.severity,
        code: issueTypeOf(issue.code),
        details: { coding: [{ system: ISSUE_CODE_SYSTEM, code: issue.code }], text: issue.message },
      };
      const location = formatPath(issue.path);
      const where = issue.line === undefined ? location : `line ${issue.line}${location ? `: ${location}` : ''}`;
      if (location) out.expression = [location];
      if (issue.line !== undefined) out.diagnostics = where;
      if (issue.source) out.diagnostics = out.diagnostics ? `${out.diagnostics} (${issue.source})` : issue.source;
      return out;
    }),
  };
}

/** Machine-readable codes of {@link PeerKitError}. */
export const PEERKIT_ERROR_CODES = {
  /** The input failed validation; `issues` says where. */
  INVALID_INPUT: 'INVALID_INPUT',
} as const;

/** One of {@link PEERKIT_ERROR_CODES}. */
export type PeerKitErrorCode = (typeof PEERKIT_ERROR_CODES)[keyof typeof PEERKIT_ERROR_CODES];

/**
 * The one error class PeerKit throws, from its `assert*` functions. Carries the same issues a
 * `parse*`/`check*` result would. Its message names fields and rules, never values.
 */
export class PeerKitError extends Error {
  override readonly name = 'PeerKitError';
  readonly code: PeerKitErrorCode;
  readonly issues: readonly Issue[];

  constructor(code: PeerKitErrorCode, issues: readonly Issue[]) {
    const first = issues.find((issue) => issue.severity === 'error') ?? issues[0];
    const where = first ? formatPath(first.path) : '';
    super(
      first
        ? `${first.code}${where ? ` at ${where}` : ''}: ${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`
        : code,
    );
    this.code = code;
    this.issues = issues;
  }
}

/**
 * Returns the value of a successful result, or throws a {@link PeerKitError} carrying its issues.
 *
 * @param result - the result to unwrap
 */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new PeerKitError(PEERKIT_ERROR_CODES.INVALID_INPUT, result.issues);
}
