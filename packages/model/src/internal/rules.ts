import type { z } from 'zod';
import type { IssueCode } from '../issue-codes';
import { fail, hasErrors, ok, type Issue, type IssuePath, type IssueSeverity, type Result } from '../result';
import { instantMs } from './instant';
import { registerParser } from './parser-registry';
import { fromZodIssues } from './zod-issues';

/**
 * A cross-field rule. Each rule declares its code, severity, a fixed message that names the fields
 * (never their values) and, where it comes from a regulation, the source.
 */
export interface Rule<T> {
  readonly code: IssueCode;
  readonly severity: IssueSeverity;
  readonly message: string;
  readonly source?: string;
  /** Calls `report` with the path of each violation found in `value`. */
  readonly check: (value: T, report: (path: IssuePath) => void) => void;
}

/** The prefix of a value checked on its own: one shared empty path, not a new one per call. */
const NO_PREFIX: IssuePath = Object.freeze([]);

/** Runs rules over a value that already passed its schema. */
export function runRules<T>(value: T, rules: readonly Rule<T>[], prefix: IssuePath = NO_PREFIX): Issue[] {
  // The list made at the first issue, holding just it (most values break one rule or none).
  let issues: Issue[] | undefined;
  // One `report` for every rule (the rule it reports for is `rule`): no closure per rule and value.
  let rule: Rule<T> | undefined;
  // Each issue built once, in its key order; a rule's own path (a fresh literal) is kept when there is no prefix.
  const report = (path: IssuePath): void => {
    const { severity, code, message, source } = rule!;
    const at = prefix.length === 0 ? path : [...prefix, ...path];
    const issue: Issue = source ? { severity, code, path: at, message, source } : { severity, code, path: at, message };
    if (issues === undefined) issues = [issue];
    else issues.push(issue);
  };
  for (let i = 0; i < rules.length; i++) {
    rule = rules[i]!;
    rule.check(value, report);
  }
  return issues ?? [];
}

/** Builds a `parse…` function: schema first, then the cross-field rules. */
export function createParser<S extends z.ZodType>(
  schema: S,
  rules: readonly Rule<z.output<S>>[],
): (input: unknown) => Result<z.output<S>> {
  const parse = (input: unknown): Result<z.output<S>> => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
    const issues = runRules(parsed.data, rules);
    return hasErrors(issues) ? fail(issues) : ok(parsed.data, issues);
  };
  // `withParsedCheck` finds the schema and rules of the parser here.
  registerParser(parse, schema, rules);
  return parse;
}

/** Minutes between two ISO date-times (may be negative). */
export function minutesBetween(start: string, end: string): number {
  return (instantMs(end) - instantMs(start)) / 60_000;
}

// The rules read dates with the package's one calendar module.
export { datePart } from '../calendar';

/** Indexes of the entries whose key was already seen earlier in the list. */
export function duplicateIndexes<T>(items: readonly T[], key: (item: T) => string): number[] {
  if (items.length < 2) return [];
  const seen = new Set<string>();
  const dupes: number[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) dupes.push(index);
    else seen.add(k);
  });
  return dupes;
}
