import type { z } from 'zod';
import { PATTERNS } from '../common';
import type { Issue, IssuePath } from '../result';

type ZodIssue = z.core.$ZodIssue;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((segment) => (typeof segment === 'symbol' ? String(segment.description) : segment));
}

function describeType(expected: string): string {
  switch (expected) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

function sizeWord(origin: string, count: unknown): string {
  const one = count === 1 || count === 1n;
  if (origin === 'string') return one ? 'character' : 'characters';
  if (origin === 'array' || origin === 'set') return one ? 'item' : 'items';
  return '';
}

/** Descriptions of the patterns PeerKit's schemas use, keyed as zod reports them (`/source/`). */
const PATTERN_NAMES: Record<string, string> = Object.fromEntries(
  PATTERNS.map(({ pattern, description }) => [String(pattern), description]),
);

const FORMAT_NAMES: Record<string, string> = {
  date: 'date (YYYY-MM-DD)',
  datetime: 'date-time with time zone (e.g. 2026-03-02T14:30:00-05:00)',
  regex: 'value in the expected format',
  email: 'email address',
  url: 'URL',
};

/**
 * Converts zod issues into PeerKit issues whose messages name the rule and never echo the input.
 * For hosts and packages that validate their own input with zod and want PeerKit's issue shape.
 *
 * @param zodIssues - the issues of a failed `safeParse`
 * @param input - the input, consulted only to tell a missing field from a wrong type
 * @param prefix - path prepended to every issue (default none)
 * @returns one or more issues per zod issue (`schema.*` codes)
 * @example
 * const parsed = mySchema.safeParse(input);
 * if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
 */
export function fromZodIssues(zodIssues: readonly ZodIssue[], input: unknown, prefix: IssuePath = []): Issue[] {
  const issues: Issue[] = [];
  // zod still runs length checks on a wrong-typed value that has a length (a string given for a
  // list): one wrong type is one issue, not also a size in the wrong unit.
  const wrongType = new Set(zodIssues.filter((zi) => zi.code === 'invalid_type').map((zi) => JSON.stringify(toPath(zi.path))));
  for (const zi of zodIssues) {
    const path = [...prefix, ...toPath(zi.path)];
    if ((zi.code === 'too_small' || zi.code === 'too_big') && wrongType.has(JSON.stringify(toPath(zi.path)))) continue;
    switch (zi.code) {
      case 'invalid_type': {
        const missing = valueAt(input, zi.path) === undefined;
        issues.push(
          missing
            ? { severity: 'error', code: 'schema.required', path, message: 'Required field is missing' }
            : {
                severity: 'error',
                code: 'schema.invalid-type',
                path,
                message: `Must be ${describeType(zi.expected)}`,
              },
        );
        break;
      }
      case 'invalid_value': {
        // zod reports a missing enum or literal field as invalid_value, not invalid_type.
        if (valueAt(input, zi.path) === undefined) {
          issues.push({ severity: 'error', code: 'schema.required', path, message: 'Required field is missing' });
          break;
        }
        const allowed = zi.values.map((v) => String(v));
        issues.push({
          severity: 'error',
          code: 'schema.invalid-value',
          path,
          message:
            allowed.length === 1 ? `Must be ${allowed[0]}` : `Must be one of: ${allowed.join(', ')}`,
        });
        break;
      }
      case 'invalid_format':
        issues.push({
          severity: 'error',
          code: 'schema.invalid-format',
          path,
          message:
            zi.format === 'regex' && 'pattern' in zi && typeof zi.pattern === 'string' && PATTERN_NAMES[zi.pattern]
              ? `Must be ${PATTERN_NAMES[zi.pattern]}`
              : // A schema author's own message (zod's defaults start with "Invalid"): static text, no value.
                zi.message !== '' && !zi.message.startsWith('Invalid')
                ? zi.message
                : `Must be a ${FORMAT_NAMES[zi.format] ?? `valid ${zi.format}`}`,
        });
        break;
      case 'too_small': {
        const unit = sizeWord(zi.origin, zi.minimum);
        issues.push({
          severity: 'error',
          code: 'schema.too-small',
          path,
          message: unit
            ? `Must have at least ${String(zi.minimum)} ${unit}`
            : `Must be ${zi.inclusive ? 'at least' : 'more than'} ${String(zi.minimum)}`,
        });
        break;
      }
      case 'too_big': {
        const unit = sizeWord(zi.origin, zi.maximum);
        issues.push({
          severity: 'error',
          code: 'schema.too-big',
          path,
          message: unit
            ? `Must have at most ${String(zi.maximum)} ${unit}`
            : `Must be ${zi.inclusive ? 'at most' : 'less than'} ${String(zi.maximum)}`,
        });
        break;
      }
      case 'unrecognized_keys':
        for (const key of zi.keys) {
          issues.push({ severity: 'error', code: 'schema.unknown-field', path: [...path, key], message: 'Unknown field' });
        }
        break;
      case 'not_multiple_of':
        issues.push({
          severity: 'error',
          code: 'schema.invalid-value',
          path,
          message: `Must be a multiple of ${String(zi.divisor)}`,
        });
        break;
      case 'custom': {
        const params = (zi.params ?? {}) as { code?: Issue['code'] };
        issues.push({
          severity: 'error',
          code: params.code ?? 'schema.invalid-value',
          path,
          message: zi.message,
        });
        break;
      }
      default:
        issues.push({
          severity: 'error',
          code: 'schema.invalid-value',
          path,
          message: 'Does not match any allowed form',
        });
    }
  }
  return issues;
}
