/**
 * zod issues as PeerKit issues: messages name the rule, never the input value. A small sibling of
 * @peerkit/model's converter (which is internal to that package).
 */
import type { Issue, IssuePath } from '@peerkit/model';
import type { z } from 'zod';

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

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  int: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  string: 'a string',
};

/**
 * Converts zod issues into PeerKit issues.
 *
 * @param zodIssues - the issues zod reported
 * @param input - the input, consulted only to tell a missing field from a wrong type
 * @param prefix - path prepended to every issue
 */
export function fromZodIssues(zodIssues: readonly ZodIssue[], input: unknown, prefix: IssuePath = []): Issue[] {
  const issues: Issue[] = [];
  for (const zi of zodIssues) {
    const path = [...prefix, ...toPath(zi.path)];
    const missing = valueAt(input, zi.path) === undefined;
    switch (zi.code) {
      case 'invalid_type':
        issues.push(
          missing
            ? { severity: 'error', code: 'schema.required', path, message: 'Required field is missing' }
            : { severity: 'error', code: 'schema.invalid-type', path, message: `Must be ${TYPE_WORDS[zi.expected] ?? `a ${zi.expected}`}` },
        );
        break;
      case 'invalid_value':
        issues.push(
          missing
            ? { severity: 'error', code: 'schema.required', path, message: 'Required field is missing' }
            : {
                severity: 'error',
                code: 'schema.invalid-value',
                path,
                message: `Must be one of: ${zi.values.map((v) => String(v)).join(', ')}`,
              },
        );
        break;
      case 'invalid_format':
        issues.push({ severity: 'error', code: 'schema.invalid-format', path, message: zi.message || 'Not in the expected format' });
        break;
      case 'too_small':
        issues.push({ severity: 'error', code: 'schema.too-small', path, message: `Must be at least ${String(zi.minimum)}${zi.origin === 'array' ? ' items' : zi.origin === 'string' ? ' characters' : ''}` });
        break;
      case 'too_big':
        issues.push({ severity: 'error', code: 'schema.too-big', path, message: `Must be at most ${String(zi.maximum)}${zi.origin === 'array' ? ' items' : zi.origin === 'string' ? ' characters' : ''}` });
        break;
      case 'unrecognized_keys':
        for (const key of zi.keys) {
          issues.push({ severity: 'error', code: 'schema.unknown-field', path: [...path, key], message: 'Unknown field' });
        }
        break;
      case 'custom': {
        const params = (zi.params ?? {}) as { code?: Issue['code'] };
        issues.push({ severity: 'error', code: params.code ?? 'schema.invalid-value', path, message: zi.message });
        break;
      }
      default:
        issues.push({ severity: 'error', code: 'schema.invalid-value', path, message: 'Does not match any allowed form' });
    }
  }
  return issues;
}
