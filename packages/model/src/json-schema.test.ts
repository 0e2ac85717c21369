import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './__fixtures__/records';
import { codesOf, RECORD_KINDS } from './codes';
import { JSON_SCHEMA_BASE, RECORD_SCHEMAS, toJsonSchemas, type JsonSchema } from './json-schema';

const SCHEMAS_DIR = new URL('../schemas/', import.meta.url);
const STALE = 'The shipped JSON Schemas in packages/model/schemas/ are stale: run `npm run build -w @peerkit/model`';
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

function shippedSchemas(): Record<string, unknown> {
  const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json'));
  return Object.fromEntries(files.map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(f, SCHEMAS_DIR), 'utf8'))]));
}

/**
 * A deliberately small JSON Schema check: `type`, `const`, `enum`, `required`, `properties`,
 * `additionalProperties: false`, `items`, lengths and sizes, `pattern`. Enough to show a record and
 * its schema agree on shape; not a validator.
 */
function check(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const type = schema['type'];
  const actual = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'number' && Number.isInteger(value)
        ? 'integer'
        : typeof value;
  if (typeof type === 'string' && type !== actual && !(type === 'number' && actual === 'integer')) {
    return [`${path}: type ${actual}, schema says ${type}`];
  }
  if ('const' in schema && schema['const'] !== value) errors.push(`${path}: not the const`);
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) errors.push(`${path}: not in enum`);
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) errors.push(`${path}: too short`);
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength']) errors.push(`${path}: too long`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errors.push(`${path}: pattern`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${path}: below minimum`);
    if (typeof schema['exclusiveMinimum'] === 'number' && value <= schema['exclusiveMinimum']) errors.push(`${path}: not above minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${path}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) errors.push(`${path}: too few items`);
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) errors.push(`${path}: too many items`);
    const items = schema['items'];
    if (items && typeof items === 'object') value.forEach((item, i) => errors.push(...check(items as JsonSchema, item, `${path}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in record)) errors.push(`${path}.${key}: required`);
    for (const [key, item] of Object.entries(record)) {
      const property = properties[key];
      if (property) errors.push(...check(property, item, `${path}.${key}`));
      else if (schema['additionalProperties'] === false) errors.push(`${path}.${key}: not allowed`);
    }
  }
  return errors;
}

describe('toJsonSchemas', () => {
  const schemas = toJsonSchemas();
  const kinds = codesOf(RECORD_KINDS);

  it('matches the shipped schemas/*.json files', () => {
    // JSON round trip: the files hold what JSON.stringify writes (no undefined, no -0).
    const expected = JSON.parse(JSON.stringify(schemas)) as unknown;
    expect(shippedSchemas(), STALE).toEqual(expected);
  });

  it('has one schema per record kind plus clinic-record', () => {
    expect(Object.keys(schemas).sort()).toEqual([...kinds, 'clinic-record'].sort());
    expect(Object.keys(RECORD_SCHEMAS).sort()).toEqual([...kinds].sort());
  });

  it.each([...kinds, 'clinic-record' as const])('declares draft 2020-12, $id and title for %s', (name) => {
    const schema = schemas[name];
    expect(schema['$schema']).toBe(DRAFT_2020_12);
    expect(schema['$id']).toBe(`${JSON_SCHEMA_BASE}${name}.json`);
    expect(schema['title']).toEqual(expect.any(String));
  });

  it('makes clinic-record one of the record kinds', () => {
    expect(schemas['clinic-record']['oneOf']).toEqual(kinds.map((kind) => ({ $ref: `${kind}.json` })));
  });

  it.each(kinds)('accepts the valid %s example', (kind) => {
    expect(check(schemas[kind], FIXTURES[kind]())).toEqual([]);
  });

  it.each(kinds)('closes the %s record and requires its kind', (kind) => {
    const schema = schemas[kind];
    expect(schema['type']).toBe('object');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toContain('kind');
    expect((schema['properties'] as Record<string, JsonSchema>)['kind']).toMatchObject({ const: kind });
  });

  it.each(kinds)('does not require fields that have a default (%s)', (kind) => {
    const minimal = FIXTURES[kind]() as Record<string, unknown>;
    const parsed = RECORD_SCHEMAS[kind].safeParse(minimal);
    expect(parsed.success).toBe(true);
    const required = schemas[kind]['required'] as string[];
    for (const key of required) {
      const without = { ...minimal };
      delete without[key];
      expect(RECORD_SCHEMAS[kind].safeParse(without).success, `${kind}.${key} is required in JSON Schema but optional in zod`).toBe(false);
    }
  });

  it.each([
    ['a missing required field', 'encounter', (r: Record<string, unknown>): void => {
      delete r['start'];
    }, '$.start: required'],
    ['a value outside the enum', 'encounter', (r: Record<string, unknown>): void => {
      r['modality'] = 'fax';
    }, '$.modality: not in enum'],
    ['a wrong type', 'peer', (r: Record<string, unknown>): void => {
      r['enrollments'] = 'none';
    }, '$.enrollments: type string, schema says array'],
    ['an unknown field', 'consent', (r: Record<string, unknown>): void => {
      r['notes'] = 'x';
    }, '$.notes: not allowed'],
    ['another kind', 'referral', (r: Record<string, unknown>): void => {
      r['kind'] = 'peer';
    }, '$.kind: not the const'],
  ] as const)('rejects %s (checks the check)', (_, kind, mutate, error) => {
    const record = FIXTURES[kind]() as Record<string, unknown>;
    mutate(record);
    expect(check(schemas[kind], record)).toContain(error);
  });
});
