import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getIn, leafPaths, objectPaths, setIn, text } from '../__fixtures__/helpers';
import { FIXTURES } from '../__fixtures__/records';
import { codesOf, RECORD_KINDS, type RecordKind } from '../codes';
import { generateClinic } from '../generator/generate-clinic';
import { RECORD_SCHEMAS } from '../json-schema';
import { parsePeer } from '../peer';
import type { IssuePath } from '../result';
import { compileParsedCheck, sameValue } from './parsed-check';
import { schemaParser, withParsedCheck } from './checked-parser';

/** The property every input must have: accepted ⇒ zod succeeds with an output that deep-equals it; zod fails ⇒ rejected. */
function expectAgreement(schema: z.ZodType, input: unknown): boolean {
  const accepted = compileParsedCheck(schema)(input);
  const parsed = schema.safeParse(input);
  if (accepted) {
    expect(parsed.success).toBe(true);
    expect(sameValue(parsed.data, input)).toBe(true);
    expect(parsed.data).toStrictEqual(input);
  }
  if (!parsed.success) expect(accepted).toBe(false);
  return accepted;
}

class Point {
  constructor(readonly x = 'a') {}
}

/** Per schema node kind: inputs the predicate accepts and inputs it rejects (each also checked against zod). */
const TABLE: readonly { name: string; schema: z.ZodType; accept: readonly unknown[]; reject: readonly unknown[] }[] = [
  { name: 'string', schema: z.string(), accept: ['', 'a'], reject: [1, null, undefined, {}, ['a']] },
  { name: 'string max (code points)', schema: z.string().max(2), accept: ['ab', '😀😀'], reject: ['abc', '😀😀😀'] },
  { name: 'string min (code points)', schema: z.string().min(2), accept: ['ab', '😀😀', 'abcd'], reject: ['a', '😀', ''] },
  { name: 'string length', schema: z.string().length(2), accept: ['ab'], reject: ['a', 'abc'] },
  { name: 'regex', schema: z.string().regex(/^[a-z]+$/), accept: ['abc'], reject: ['ABC', ''] },
  { name: 'global regex', schema: z.string().regex(/^a+$/g), accept: ['a', 'aa', 'a'], reject: ['b'] },
  { name: 'iso date', schema: z.iso.date(), accept: ['2024-02-29'], reject: ['2025-02-29', '2025-1-01', '2025-01-01T00:00:00Z'] },
  { name: 'iso datetime with offset', schema: z.iso.datetime({ offset: true }), accept: ['2025-03-01T10:00:00-05:00', '2025-03-01T10:00:00Z'], reject: ['2025-03-01T10:00:00', '2025-03-01'] },
  { name: 'url (trims: changed value is rejected)', schema: z.url(), accept: ['https://example.org/x'], reject: [' https://example.org/x', 'not a url'] },
  { name: 'email', schema: z.email(), accept: ['a@example.org'], reject: ['a@'] },
  { name: 'trim overwrite', schema: z.string().trim(), accept: ['a'], reject: [' a'] },
  { name: 'lowercase', schema: z.string().lowercase(), accept: ['abc'], reject: ['aBc'] },
  { name: 'number', schema: z.number(), accept: [0, -1.5, 1e300], reject: [Number.NaN, Number.POSITIVE_INFINITY, '1', null] },
  { name: 'int', schema: z.int(), accept: [0, 42], reject: [1.5, 2 ** 60] },
  { name: 'positive max', schema: z.number().positive().max(80), accept: [0.5, 80], reject: [0, -1, 80.1] },
  { name: 'int min max', schema: z.int().min(0).max(1440), accept: [0, 1440], reject: [-1, 1441, 3.5] },
  { name: 'multipleOf', schema: z.number().multipleOf(5), accept: [10], reject: [11] },
  { name: 'boolean', schema: z.boolean(), accept: [true, false], reject: [0, 'true'] },
  { name: 'bigint', schema: z.bigint(), accept: [1n], reject: [1] },
  { name: 'null', schema: z.null(), accept: [null], reject: [undefined, 0] },
  { name: 'undefined', schema: z.undefined(), accept: [undefined], reject: [null] },
  { name: 'unknown', schema: z.unknown(), accept: [1, 'a', null, { a: 1 }], reject: [] },
  { name: 'never', schema: z.never(), accept: [], reject: [1, undefined] },
  { name: 'date', schema: z.date(), accept: [new Date(0)], reject: [new Date(Number.NaN), '2025-01-01'] },
  { name: 'enum', schema: z.enum(['a', 'b']), accept: ['a', 'b'], reject: ['c', 1] },
  { name: 'literal', schema: z.literal('peer'), accept: ['peer'], reject: ['Peer'] },
  { name: 'optional', schema: z.string().optional(), accept: [undefined, 'a'], reject: [null, 1] },
  { name: 'optional default', schema: z.string().default('x').optional(), accept: ['a'], reject: [undefined] },
  { name: 'nullable', schema: z.string().nullable(), accept: [null, 'a'], reject: [undefined] },
  { name: 'default', schema: z.array(z.string()).default([]), accept: [[], ['a']], reject: [undefined] },
  { name: 'prefault', schema: z.string().prefault('x'), accept: ['a'], reject: [undefined] },
  { name: 'nonoptional', schema: z.string().optional().nonoptional(), accept: ['a'], reject: [undefined] },
  { name: 'readonly', schema: z.string().readonly(), accept: ['a'], reject: [1] },
  { name: 'readonly object (zod freezes its output)', schema: z.object({ a: z.string() }).readonly(), accept: [], reject: [{ a: 'x' }] },
  { name: 'array max', schema: z.array(z.int()).max(2), accept: [[], [1, 2]], reject: [[1, 2, 3], [1.5], 'ab', { length: 1, 0: 1 }] },
  { name: 'array min', schema: z.array(z.string()).min(1), accept: [['a']], reject: [[]] },
  { name: 'array of optional', schema: z.array(z.string().optional()), accept: [['a', undefined]], reject: [[null]] },
  {
    name: 'strictObject',
    schema: z.strictObject({ a: z.string(), b: z.string().optional(), c: z.array(z.string()).default([]) }),
    accept: [{ a: 'x', c: [] }, { a: 'x', b: 'y', c: [] }, { a: 'x', b: undefined, c: [] }],
    reject: [
      { a: 'x' },
      { c: [], a: 'x' },
      { a: 'x', c: [], d: 1 },
      { a: 1, c: [] },
      { b: 'y', c: [] },
      Object.assign(Object.create(null) as object, { a: 'x', c: [] }),
      Object.freeze({ a: 'x', c: [] }),
      [],
      null,
    ],
  },
  { name: 'object strips unknown keys', schema: z.object({ a: z.string() }), accept: [{ a: 'x' }], reject: [{ a: 'x', b: 1 }, new Point()] },
  { name: 'looseObject keeps them after its keys', schema: z.looseObject({ a: z.string() }), accept: [{ a: 'x', b: 1 }], reject: [{ b: 1, a: 'x' }] },
  { name: 'object catchall', schema: z.object({ a: z.string() }).catchall(z.number()), accept: [{ a: 'x', b: 1 }], reject: [{ a: 'x', b: 'y' }] },
  { name: 'union', schema: z.union([z.string(), z.number()]), accept: ['a', 1], reject: [true] },
  {
    name: 'union whose first option would add a default',
    schema: z.union([z.object({ a: z.string(), b: z.string().default('x') }), z.looseObject({ a: z.string() })]),
    accept: [{ a: 'y', b: 'z' }],
    reject: [{ a: 'y' }],
  },
  {
    name: 'union with an option that surely fails first',
    schema: z.union([z.strictObject({ kind: z.literal('a'), n: z.number() }), z.strictObject({ kind: z.literal('b'), s: z.string() })]),
    accept: [{ kind: 'a', n: 1 }, { kind: 'b', s: 'x' }],
    reject: [{ kind: 'c' }, { kind: 'b', n: 1 }],
  },
  {
    name: 'discriminatedUnion',
    schema: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('a'), n: z.number() }), z.strictObject({ kind: z.literal('b'), s: z.string() })]),
    accept: [{ kind: 'a', n: 1 }, { kind: 'b', s: 'x' }],
    reject: [{ kind: 'c' }, { kind: 'a', s: 'x' }, 'a'],
  },
  { name: 'xor (zod decides)', schema: z.xor([z.string(), z.number()]), accept: ['a'], reject: [true] },
  { name: 'refine', schema: z.string().refine((s) => s.startsWith('a')), accept: ['ab'], reject: ['b'] },
  {
    name: 'superRefine on an object',
    schema: z.strictObject({ start: z.string(), end: z.string() }).superRefine((v, ctx) => {
      if (v.end < v.start) ctx.addIssue({ code: 'custom', message: 'end before start', path: ['end'] });
    }),
    accept: [{ start: 'a', end: 'b' }],
    reject: [{ start: 'b', end: 'a' }],
  },
  { name: 'pipe without transforms', schema: z.string().pipe(z.string().max(2)), accept: ['ab'], reject: ['abc'] },
  { name: 'transform (zod decides)', schema: z.string().transform((s) => s.toUpperCase()), accept: ['AB'], reject: ['ab'] },
  { name: 'catch (zod decides the whole value)', schema: z.strictObject({ a: z.string().catch('x') }), accept: [], reject: [{ a: 'y' }, { a: 1 }] },
  { name: 'record (zod decides)', schema: z.record(z.string(), z.number()), accept: [{ a: 1 }], reject: [{ a: 'x' }] },
  { name: 'lazy (zod decides)', schema: z.lazy(() => z.string()), accept: ['a'], reject: [1] },
  { name: 'coerced number', schema: z.coerce.number(), accept: [1], reject: ['1'] },
];

describe('compileParsedCheck: one table per schema node kind', () => {
  for (const row of TABLE) {
    it(row.name, () => {
      for (const input of row.accept) expect(expectAgreement(row.schema, input)).toBe(true);
      for (const input of row.reject) expect(expectAgreement(row.schema, input)).toBe(false);
    });
  }

  it('checks a recursive shape (getters)', () => {
    interface Tree {
      name: string;
      children: Tree[];
    }
    const tree: z.ZodType<Tree> = z.strictObject({
      name: z.string(),
      get children() {
        return z.array(tree).max(2);
      },
    });
    expect(expectAgreement(tree, { name: 'a', children: [{ name: 'b', children: [] }] })).toBe(true);
    expect(expectAgreement(tree, { name: 'a', children: [{ name: 'b', children: [], x: 1 }] })).toBe(false);
  });
});

const KINDS = codesOf(RECORD_KINDS) as RecordKind[];
const schemaOf = (kind: RecordKind): z.ZodType => RECORD_SCHEMAS[kind];

/** Valid records of every kind: the fixtures, and a small synthetic clinic (each as zod outputs it). */
const VALID: readonly { kind: RecordKind; record: Record<string, unknown> }[] = [
  ...KINDS.map((kind) => ({ kind, record: FIXTURES[kind]() as Record<string, unknown> })),
  ...generateClinic({ seed: 14, peers: 12, weeks: 4 }).records.map((record) => ({ kind: record.kind, record: record as unknown as Record<string, unknown> })),
];

const clone = <T>(value: T): T => structuredClone(value);

/** Mutations a valid record goes through: at a leaf, at an object, or at an array. */
const VALUES = [null, undefined, 0, -1, 1.5, 1e9, Number.NaN, '', ' ', 'nope', '2025-02-30', '2025-03-01T10:00:00', 'A'.repeat(201), text(20_001), true, [], {}, ['x'], { x: 1 }];

type Mutation = (record: Record<string, unknown>, paths: { leaves: IssuePath[]; objects: IssuePath[]; keys: IssuePath[] }) => void;

/** Paths of every key of every object of a JSON value (empty arrays and objects included). */
function keyPaths(value: unknown, prefix: IssuePath = []): IssuePath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => keyPaths(item, [...prefix, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...keyPaths(item, [...prefix, key])]);
}

const mutation = (fcPick: fc.Arbitrary<number>): fc.Arbitrary<Mutation> =>
  fc.oneof(
    // Another value (wrong type, bad enum, bad date, too long…) at a leaf.
    fc.tuple(fcPick, fc.constantFrom(...VALUES)).map(([n, value]): Mutation => (record, { leaves }) => setIn(record, pick(leaves, n), clone(value))),
    // Drop a key, or set it to undefined, at a leaf or an object.
    fc.tuple(fcPick, fc.boolean()).map(([n, undefinedValue]): Mutation => (record, { keys }) => {
      const path = pick(keys, n);
      const parent = getIn(record, path.slice(0, -1)) as Record<string, unknown>;
      if (undefinedValue) parent[path.at(-1) as string] = undefined;
      else delete parent[path.at(-1) as string];
    }),
    // An extra key, first or last, in an object.
    fc.tuple(fcPick, fc.boolean(), fc.constantFrom('extra', 'id', 'kind', '__proto__')).map(([n, first, key]): Mutation => (record, { objects }) => {
      const target = getIn(record, pick(objects, n)) as Record<string, unknown>;
      if (first) {
        const copy = { ...target };
        for (const k of Object.keys(target)) delete target[k];
        Object.defineProperty(target, key, { value: 'x', enumerable: true, writable: true, configurable: true });
        Object.assign(target, copy);
      } else Object.defineProperty(target, key, { value: 'x', enumerable: true, writable: true, configurable: true });
    }),
    // Key order: move a key to the end.
    fcPick.map((n): Mutation => (record, { objects }) => {
      const target = getIn(record, pick(objects, n)) as Record<string, unknown>;
      const keys = Object.keys(target);
      if (keys.length < 2) return;
      const key = keys[n % keys.length]!;
      const value = target[key];
      delete target[key];
      target[key] = value;
    }),
    // An array too long (over any max), or emptied.
    fc.tuple(fcPick, fc.boolean()).map(([n, empty]): Mutation => (record, { objects, leaves }) => {
      const arrays = [...objects, ...leaves].map((p) => p.slice(0, -1)).filter((p) => Array.isArray(getIn(record, p)));
      if (arrays.length === 0) return;
      const list = getIn(record, pick(arrays, n)) as unknown[];
      if (empty) list.length = 0;
      else while (list.length <= 2000) list.push(clone(list[0]));
    }),
  );

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

describe('compileParsedCheck agrees with zod on every record kind', () => {
  it('accepts every valid record as zod outputs it, and agrees on the input', () => {
    for (const { kind, record } of VALID) {
      const output = schemaOf(kind).parse(record);
      expect(compileParsedCheck(schemaOf(kind))(output), kind).toBe(true);
      expectAgreement(schemaOf(kind), record);
    }
  });

  it('mutated records: accepted ⇒ zod succeeds with the same value; zod fails ⇒ rejected', () => {
    let rejected = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.nat(VALID.length - 1), fc.array(mutation(fc.nat()), { minLength: 1, maxLength: 3 }), (at, mutations) => {
        const { kind } = VALID[at]!;
        const schema = schemaOf(kind);
        const record = clone(schema.parse(VALID[at]!.record)) as Record<string, unknown>;
        for (const mutate of mutations) mutate(record, { leaves: leafPaths(record), objects: objectPaths(record), keys: keyPaths(record) });
        runs++;
        if (!expectAgreement(schema, record)) rejected++;
      }),
      { numRuns: 1500, seed: 14 },
    );
    // The mutations mostly break records (a test that only ever saw valid records could not fail).
    expect(rejected).toBeGreaterThan(runs / 2);
  });

  it('arbitrary JSON is never accepted unless zod outputs it as it is', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.dictionary(fc.string(), fc.jsonValue()), (kind, extra) => {
        expectAgreement(schemaOf(kind), { kind, ...extra });
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});

describe('withParsedCheck and schemaParser', () => {
  it('returns the input itself when it is parsed already, with the same issues as the parser', () => {
    const validate = withParsedCheck(parsePeer);
    const peer = parsePeer(FIXTURES.peer()).ok ? (parsePeer(FIXTURES.peer()) as { value: unknown }).value : undefined;
    const fast = validate(peer);
    expect(fast.ok && fast.value).toBe(peer);
    expect(fast).toEqual(parsePeer(peer));
    // The rules still run on an input zod would pass as it is.
    const broken = { ...(peer as Record<string, unknown>), birthDate: '2030-01-01' };
    expect(compileParsedCheck(RECORD_SCHEMAS.peer)(broken)).toBe(true);
    expect(validate(broken)).toEqual(parsePeer(broken));
    expect(validate(broken).ok).toBe(false);
    // Not in its parsed form: the parser decides (a default to apply, an error to report).
    const { coverage: _, ...withoutCoverage } = peer as Record<string, unknown>;
    expect(validate(withoutCoverage)).toEqual(parsePeer(withoutCoverage));
    expect(validate({ kind: 'peer' })).toEqual(parsePeer({ kind: 'peer' }));
  });

  it('leaves any other function as it is', () => {
    const other = (input: unknown) => ({ ok: true as const, value: input, issues: [] });
    expect(withParsedCheck(other)).toBe(other);
  });

  it('schemaParser: the input when parsed, else zod’s output or issues', () => {
    const schema = z.strictObject({ a: z.string(), b: z.array(z.string()).default([]) });
    const parse = schemaParser(schema);
    const input = { a: 'x', b: [] };
    expect((parse(input) as { value: unknown }).value).toBe(input);
    expect(parse({ a: 'x' })).toEqual({ ok: true, value: { a: 'x', b: [] }, issues: [] });
    expect(parse({ a: 1 }).ok).toBe(false);
    expect(parse({ a: 1 }).issues[0]?.path).toEqual(['a']);
  });
});
