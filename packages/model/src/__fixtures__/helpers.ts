/**
 * Test helpers: edit a fixture at a path, and assert the issues of a result.
 */
import { expect } from 'vitest';
import type { IssueCode } from '../issue-codes';
import type { IssuePath, IssueSeverity, Result } from '../result';

/** Marks a field to delete in a {@link SchemaCase}. */
export const MISSING: unique symbol = Symbol('missing');

type Container = Record<string | number, unknown>;

function parentOf(target: unknown, path: IssuePath): [Container, string | number] {
  if (path.length === 0) throw new Error('empty path');
  let current = target;
  for (const key of path.slice(0, -1)) {
    if (current === null || typeof current !== 'object') throw new Error(`no object at ${String(key)}`);
    current = (current as Container)[key];
  }
  if (current === null || typeof current !== 'object') throw new Error('no parent object');
  return [current as Container, path[path.length - 1] as string | number];
}

/** The value at `path`, or `undefined`. */
export function getIn(target: unknown, path: IssuePath): unknown {
  let current = target;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Container)[key];
  }
  return current;
}

/** Sets the value at `path` (the parent must exist); {@link MISSING} deletes the field. */
export function setIn(target: object, path: IssuePath, value: unknown): void {
  const [parent, key] = parentOf(target, path);
  if (value === MISSING) delete parent[key];
  else parent[key] = value;
}

/** Paths of every primitive leaf (string, number, boolean) of a JSON value, depth first. */
export function leafPaths(value: unknown, prefix: IssuePath = []): IssuePath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...prefix, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  }
  return [prefix];
}

/** Paths of every object (the root included) of a JSON value. */
export function objectPaths(value: unknown, prefix: IssuePath = []): IssuePath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...prefix, i]));
  if (value !== null && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...prefix, key]))];
  }
  return [];
}

/** A string of `n` characters. */
export function text(n: number): string {
  return 'x'.repeat(n);
}

/** A schema failure: put `value` at `path` and expect one `code` issue at `path` (or `at`). */
export interface SchemaCase {
  readonly name: string;
  readonly path: IssuePath;
  readonly value: unknown;
  readonly code: IssueCode;
  /** Where the issue is reported, when not at `path`. */
  readonly at?: IssuePath;
}

/** A cross-field rule case: `mutate` the valid fixture, expect the issue. */
export interface RuleCase<T> {
  readonly name: string;
  readonly mutate: (record: T) => void;
  readonly code: IssueCode;
  readonly path: IssuePath;
  readonly severity: IssueSeverity;
  /** Part of the regulation the rule cites, when it cites one. */
  readonly source?: string;
}

/** A change that must not raise `code` (a rule's boundary). */
export interface QuietCase<T> {
  readonly name: string;
  readonly mutate: (record: T) => void;
  readonly code: IssueCode;
}

/**
 * Asserts a schema failure: the result fails with exactly one issue, an error with `code` at `path`.
 */
export function expectSchemaIssue(result: Result<unknown>, code: IssueCode, path: IssuePath): void {
  expect(result.ok).toBe(false);
  expect(result.issues).toEqual([{ severity: 'error', code, path, message: expect.any(String) }]);
}

/**
 * Asserts that a rule fired: the issue is present with its severity, path (and source); an error
 * fails the result, a warning or information leaves it ok; no schema issue is involved.
 */
export function expectRuleIssue(
  result: Result<unknown>,
  expected: { code: IssueCode; path: IssuePath; severity: IssueSeverity; source?: string },
): void {
  const { code, path, severity, source } = expected;
  expect(result.issues.filter((i) => i.code.startsWith('schema.'))).toEqual([]);
  expect(result.issues).toContainEqual({
    severity,
    code,
    path,
    message: expect.any(String),
    ...(source === undefined ? {} : { source: expect.stringContaining(source) }),
  });
  expect(result.ok).toBe(severity !== 'error');
}
