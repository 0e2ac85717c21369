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

/**
 * Converts zod issues into PeerKit issues. Messages name the rule and never echo the input.
 *
 * @param zodIssues - issues from `safeParse`
 * @param input - the input, consulted only to tell a missing field from a wrong one
 * @param prefix - path prepended to every issue
 */
export function fromZodIssues(zodIssues: readonly ZodIssue[], input: unknown, prefix: IssuePath = []): Issue[] {
  const issues: Issue[] = [];
  for (const zi of zodIssues) {
    const path = [...prefix, ...toPath(zi.path)];
    const missing = valueAt(input, zi.path) === undefined;
    switch (zi.code) {
      case 'invalid_type':
      case 'invalid_value':
        if (missing) {
          issues.push({ severity: 'error', code: 'schema.required', path, message: 'Required field is missing' });
        } else if (zi.code === 'invalid_value') {
          const allowed = zi.values.map((v) => String(v));
          issues.push({
            severity: 'error',
            code: 'schema.invalid-value',
            path,
            message: allowed.length === 1 ? `Must be ${allowed[0]}` : `Must be one of: ${allowed.join(', ')}`,
          });
        } else {
          issues.push({ severity: 'error', code: 'schema.invalid-type', path, message: `Must be ${zi.expected === 'int' ? 'a whole number' : `a ${zi.expected}`}` });
        }
        break;
      case 'invalid_union':
        issues.push({
          severity: 'error',
          code: missing ? 'schema.required' : 'schema.invalid-value',
          path,
          message: missing ? 'Required field is missing' : zi.message,
        });
        break;
      case 'invalid_format':
        issues.push({ severity: 'error', code: 'schema.invalid-format', path, message: zi.message });
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
      case 'invalid_key':
        issues.push({ severity: 'error', code: 'schema.invalid-value', path, message: 'Key is not one of the allowed values' });
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
