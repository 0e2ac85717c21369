/**
 * A compiler from a zod 4 schema to a predicate "this input is already exactly what `safeParse` would
 * output": when it says `true`, `schema.safeParse(input)` succeeds and its data deep-equals the input
 * (same keys in the same order, same values), so a caller may take the input as it is and skip zod.
 * When it says `false` nothing is claimed: the caller runs zod, which gives the issues. The predicate
 * never builds output, so a record already in its parsed form costs no allocation to check.
 *
 * Supported nodes: object / strictObject / looseObject (key order is part of "exactly"), string with
 * its checks and formats, number / int, boolean, bigint, null, undefined, any, unknown, never, date,
 * NaN, symbol, enum, literal, array, optional, exactOptional, nullable, default, prefault,
 * nonoptional, readonly (primitives), pipe of non-transforming schemas, union, discriminatedUnion.
 * Every check of every node (refine, superRefine, min/max, regex, formats, custom checks) runs as zod
 * runs it: the well-known ones inline (pattern tests, lengths, bounds), any other through the check's
 * own function, which must leave the value unchanged. A node it does not know (transform, lazy,
 * record, tuple, intersection, custom…) is checked by zod alone (`safeParse` of that node, accepted
 * when its output deep-equals the input); `catch` (which turns issues into a value) makes the whole
 * predicate `false` (zod decides every input).
 *
 * Plain data only: objects with `Object.prototype` and arrays with `Array.prototype`, extensible,
 * without accessors or non-enumerable own properties (what `JSON.parse` and object literals build).
 * Frozen, sealed or class instances are never accepted.
 *
 * See: zod 4 core `$ZodObject`, `$ZodArray`, `$ZodType` (`runChecks`), `handlePropertyResult`.
 */
import { z } from 'zod';

/** `true` when the input is already what the schema's `safeParse` outputs (see the file comment). */
export type ParsedCheck = (input: unknown) => boolean;

type Check = (value: unknown) => boolean;

/** The zod internals the compiler reads (`schema._zod`), typed loosely: zod's own types are per class. */
interface Internals {
  readonly def: Def;
  readonly traits: ReadonlySet<string>;
  readonly optin?: 'optional' | 'defaulted';
  readonly optout?: 'optional';
  readonly values?: ReadonlySet<unknown>;
  readonly propValues?: Readonly<Record<string, ReadonlySet<unknown>>>;
  readonly check?: (payload: Payload) => unknown;
}
interface Def {
  readonly type: string;
  readonly checks?: readonly Node[];
  readonly check?: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly maximum?: number;
  readonly minimum?: number;
  readonly length?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly when?: (payload: Payload) => boolean;
  readonly shape?: Readonly<Record<string, Node>>;
  readonly catchall?: Node;
  readonly element?: Node;
  readonly innerType?: Node;
  readonly in?: Node;
  readonly out?: Node;
  readonly options?: readonly Node[];
  readonly discriminator?: string;
  readonly unionFallback?: boolean;
  readonly coerce?: boolean;
}
interface Node {
  readonly _zod: Internals;
}
interface Payload {
  value: unknown;
  issues: unknown[];
}

/** Thrown while compiling a node the predicate cannot model, for the nearest container to handle. */
class Unsupported extends Error {
  constructor(
    readonly kind: string,
    /** `false`: zod must decide the whole value (checking this node alone is not equivalent). */
    readonly islandable: boolean,
  ) {
    super(`parsed-check: ${kind}`);
  }
}

const NEVER: ParsedCheck = () => false;
const ALWAYS: Check = () => true;
/** A string without checks: one shared function, so containers can test `typeof` inline instead of calling it. */
const IS_STRING: Check = (v) => typeof v === 'string';
const compiled = new WeakMap<object, ParsedCheck>();

/**
 * Compiles `schema` (zod 4) to a {@link ParsedCheck}, once per schema object (cached).
 *
 * @param schema - any zod 4 schema
 * @returns the predicate; `() => false` when the schema holds a node only zod can decide as a whole
 * @example
 * const isPeer = compileParsedCheck(peerSchema);
 * const peer = isPeer(input) ? input : peerSchema.parse(input);
 */
export function compileParsedCheck(schema: z.ZodType): ParsedCheck {
  let check = compiled.get(schema);
  if (check === undefined) {
    try {
      check = new Compiler().node(schema as unknown as Node);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      check = NEVER;
    }
    compiled.set(schema, check);
  }
  return check;
}

/** The `when` zod gives length checks by default (run on values with a length): known to be true on strings and arrays. */
const DEFAULT_LENGTH_WHEN = (z.string().max(1) as unknown as Node)._zod.def.checks?.[0]?._zod.def.when;

/** String formats whose check is exactly zod's default pattern test (`pattern.test(value)`). */
const PATTERN_FORMATS: ReadonlySet<string> = new Set([
  'regex', 'date', 'datetime', 'time', 'duration', 'lowercase', 'uppercase', 'email', 'uuid', 'guid', 'cuid',
  'cuid2', 'ulid', 'xid', 'ksuid', 'nanoid', 'ipv4', 'cidrv4', 'e164', 'emoji', 'mac',
]);

/** Keys an object's shape may not have for the predicate to read it as zod does (`key in input` sees the prototype). */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && Object.isExtensible(value);

const isPlainArray = (value: unknown): value is unknown[] =>
  Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && Object.isExtensible(value);

class Compiler {
  /** Each node's check, also while it is being compiled (a recursive shape calls it through the map). */
  private readonly done = new Map<Node, Check>();

  node(schema: Node): Check {
    const known = this.done.get(schema);
    if (known !== undefined) return known;
    let self: Check | undefined;
    this.done.set(schema, (value) => self!(value));
    try {
      self = this.withChecks(schema, this.type(schema));
    } catch (error) {
      if (!(error instanceof Unsupported) || !error.islandable) throw error;
      self = island(schema);
    }
    this.done.set(schema, self);
    return self;
  }

  /** The node's type check followed by its checks, in zod's order (the node itself first when it is a check). */
  private withChecks(schema: Node, type: Check): Check {
    const zod = schema._zod;
    const list: Node[] = zod.traits.has('$ZodCheck') ? [schema, ...(zod.def.checks ?? [])] : [...(zod.def.checks ?? [])];
    if (list.length === 0) return type;
    const checks = list.map((ch) => compileCheck(ch, zod.def.type));
    if (checks.length === 1) {
      const only = checks[0]!;
      if (type === IS_STRING) return (value) => typeof value === 'string' && only(value);
      return (value) => type(value) && only(value);
    }
    if (type === IS_STRING) {
      return (value) => {
        if (typeof value !== 'string') return false;
        for (let i = 0; i < checks.length; i++) if (!checks[i]!(value)) return false;
        return true;
      };
    }
    return (value) => {
      if (!type(value)) return false;
      for (let i = 0; i < checks.length; i++) if (!checks[i]!(value)) return false;
      return true;
    };
  }

  private type(schema: Node): Check {
    const zod = schema._zod;
    const def = zod.def;
    switch (def.type) {
      case 'string':
        return IS_STRING;
      case 'number':
        return (v) => typeof v === 'number' && Number.isFinite(v);
      case 'boolean':
        return (v) => typeof v === 'boolean';
      case 'bigint':
        return (v) => typeof v === 'bigint';
      case 'symbol':
        return (v) => typeof v === 'symbol';
      case 'null':
        return (v) => v === null;
      case 'undefined':
      case 'void':
        return (v) => v === undefined;
      case 'any':
      case 'unknown':
        return ALWAYS;
      case 'never':
        return NEVER;
      case 'nan':
        return (v) => typeof v === 'number' && Number.isNaN(v);
      case 'date':
        // Coerced, a Date comes out as a new Date.
        if (def.coerce === true) throw new Unsupported('coerced date', true);
        return (v) => v instanceof Date && !Number.isNaN(v.getTime());
      case 'enum':
      case 'literal': {
        const values = zod.values;
        if (values === undefined) throw new Unsupported(def.type, true);
        return (v) => values.has(v);
      }
      case 'optional': {
        const inner = def.innerType!;
        const check = this.node(inner);
        if (zod.traits.has('$ZodExactOptional')) return check;
        // `undefined` passes through unless the inner schema substitutes a value for it (a default).
        const passes = inner._zod.optin !== 'defaulted';
        if (check === IS_STRING && passes) return (v) => v === undefined || typeof v === 'string';
        return (v) => (v === undefined ? passes : check(v));
      }
      case 'nullable': {
        const check = this.node(def.innerType!);
        return (v) => v === null || check(v);
      }
      case 'default':
      case 'prefault': {
        // A missing value becomes the default: the output differs from the input.
        const check = this.node(def.innerType!);
        return (v) => v !== undefined && check(v);
      }
      case 'nonoptional': {
        const check = this.node(def.innerType!);
        return (v) => v !== undefined && check(v);
      }
      case 'readonly': {
        // zod freezes the output: only a primitive is the same value frozen.
        const check = this.node(def.innerType!);
        return (v) => (v === null || (typeof v !== 'object' && typeof v !== 'function')) && check(v);
      }
      case 'pipe': {
        if (zod.traits.has('$ZodCodec')) throw new Unsupported('codec', true);
        // Without a transform on either side, a value that passes `in` unchanged goes into `out` as it is.
        const input = this.strict(def.in!);
        const output = this.strict(def.out!);
        return (v) => input(v) && output(v);
      }
      case 'array':
        return this.array(def);
      case 'object':
        return this.object(schema);
      case 'union':
        return this.union(schema);
      case 'catch':
        throw new Unsupported('catch', false);
      default:
        throw new Unsupported(def.type, true);
    }
  }

  /** A child compiled without islands: an unsupported node makes the parent unsupported (a pipe's sides). */
  private strict(schema: Node): Check {
    const check = this.node(schema);
    if (islands.has(check)) throw new Unsupported('pipe with a transform', true);
    return check;
  }

  private array(def: Def): Check {
    const element = this.node(def.element!);
    if (element === IS_STRING) {
      return (v) => {
        if (!isPlainArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
        return true;
      };
    }
    return (v) => {
      if (!isPlainArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
      return true;
    };
  }

  private object(schema: Node): Check {
    const def = schema._zod.def;
    const shape = def.shape ?? {};
    const keys = Object.keys(shape);
    if (Object.getOwnPropertySymbols(shape).length > 0) throw new Unsupported('symbol keys', true);
    for (const key of keys) if (PROTOTYPE_KEYS.has(key)) throw new Unsupported(`key ${key}`, true);
    // Output keys: the shape's present ones in shape order, then a catchall's in input order.
    const position: Record<string, number> = Object.create(null) as Record<string, number>;
    keys.forEach((key, i) => (position[key] = i));
    const fields = keys.map((key) => this.node(shape[key]!));
    // A key may be missing only when zod leaves it out of the output (optional in and out).
    const requiredAt = keys.map((key) => !(shape[key]!._zod.optin === 'optional' && shape[key]!._zod.optout === 'optional'));
    const required = requiredAt.filter(Boolean).length;
    const catchall = def.catchall;
    const rest = catchall === undefined || catchall._zod.def.type === 'never' ? undefined : this.node(catchall);
    const count = keys.length;
    return (v) => {
      if (!isPlainObject(v)) return false;
      // The shape index after the last shape key seen: keys must come in shape order.
      let next = 0;
      let present = 0;
      let extra = false;
      for (const key in v) {
        // Found by comparing with the shape's keys from `next` on (a record in shape order finds each
        // key at once) rather than looked up in `position`: a key not there is either a shape key seen
        // out of order or not a shape key.
        let i = next;
        while (i < count && keys[i] !== key) i++;
        if (i === count) {
          if (position[key] !== undefined) return false;
          // Stripped (object), refused (strictObject), or kept after the shape's keys (a catchall).
          if (rest === undefined || key === '__proto__' || !rest(v[key])) return false;
          extra = true;
          continue;
        }
        if (extra) return false;
        next = i + 1;
        const field = fields[i]!;
        const value = v[key];
        if (field === IS_STRING ? typeof value !== 'string' : !field(value)) return false;
        if (requiredAt[i]) present++;
      }
      return present === required;
    };
  }

  private union(schema: Node): Check {
    const zod = schema._zod;
    const def = zod.def;
    if (zod.traits.has('$ZodXor')) throw new Unsupported('xor', true);
    const options = def.options ?? [];
    const checks = options.map((option) => this.node(option));
    const fails = options.map((option) => mustFail(option));
    // zod returns the first option that succeeds: accept by option i only when every earlier one surely fails.
    const first: Check = (v) => {
      for (let i = 0; i < checks.length; i++) {
        if (checks[i]!(v)) return true;
        if (!fails[i]!(v)) return false;
      }
      return false;
    };
    if (!zod.traits.has('$ZodDiscriminatedUnion')) return checks.length === 1 ? checks[0]! : first;
    const key = def.discriminator!;
    const byValue = new Map<unknown, number | null>();
    options.forEach((option, i) => {
      const values = option._zod.propValues?.[key];
      if (values === undefined || values.size === 0) throw new Unsupported('discriminated option without values', true);
      for (const value of values) byValue.set(value, byValue.has(value) ? null : i);
    });
    const fallback = def.unionFallback === true;
    return (v) => {
      if (!isPlainObject(v)) return false;
      const i = byValue.get(v[key]);
      if (typeof i === 'number') return checks[i]!(v);
      return fallback && i === undefined ? first(v) : false;
    };
  }
}

/** The checks that are islands (zod decides them): a pipe refuses them as a side. */
const islands = new WeakSet<Check>();

/** zod alone decides the node: accepted when `safeParse` succeeds and its output deep-equals the input. */
function island(schema: Node): Check {
  const check: Check = (value) => {
    try {
      const result = z.safeParse(schema as unknown as z.ZodType, value);
      return result.success && sameValue(result.data, value);
    } catch {
      return false;
    }
  };
  islands.add(check);
  return check;
}

/** One check of a node, as zod's `runChecks` runs it on a value that passed the node's type. */
function compileCheck(ch: Node, type: string): Check {
  const def = ch._zod.def;
  const generic = runCheck(ch);
  const lengthy = (type === 'string' || type === 'array') && def.when === DEFAULT_LENGTH_WHEN;
  switch (def.check) {
    case 'string_format': {
      const pattern = def.pattern;
      if (type !== 'string' || def.when !== undefined || pattern === undefined || !PATTERN_FORMATS.has(def.format ?? '')) return generic;
      if (pattern.global || pattern.sticky) {
        return (v) => {
          pattern.lastIndex = 0;
          return pattern.test(v as string);
        };
      }
      return (v) => pattern.test(v as string);
    }
    case 'max_length': {
      const max = def.maximum!;
      // A string's length is counted in code points: at most its UTF-16 length, so within it is within.
      return lengthy ? (v) => (v as { length: number }).length <= max || generic(v) : generic;
    }
    case 'min_length': {
      const min = def.minimum!;
      return lengthy ? (v) => (v as { length: number }).length >= 2 * min || ((v as { length: number }).length >= min && generic(v)) : generic;
    }
    case 'greater_than':
    case 'less_than': {
      const bound = def.value;
      if (type !== 'number' || typeof bound !== 'number' || def.when !== undefined) return generic;
      const inclusive = def.inclusive === true;
      if (def.check === 'greater_than') return inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound;
      return inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound;
    }
    case 'number_format':
      return type === 'number' && def.format === 'safeint' && def.when === undefined ? (v) => Number.isSafeInteger(v) : generic;
    default:
      return generic;
  }
}

/** Runs a check's own function on a fresh payload: it passes when it adds no issue and leaves the value as it was. */
function runCheck(ch: Node): Check {
  const when = ch._zod.def.when;
  const run = ch._zod.check;
  if (run === undefined) return ALWAYS;
  return (value) => {
    const payload: Payload = { value, issues: [] };
    try {
      if (when !== undefined && !when(payload)) return true;
      const out = run(payload);
      if (out instanceof Promise) {
        out.catch(() => undefined);
        return false;
      }
    } catch {
      return false;
    }
    return payload.issues.length === 0 && Object.is(payload.value, value);
  };
}

/** A test that is `true` only when zod surely rejects the value (`false`: it may or may not). */
function mustFail(schema: Node): Check {
  const zod = schema._zod;
  const def = zod.def;
  // A coerced primitive accepts values of other types.
  if (def.coerce === true) return NEVER;
  switch (def.type) {
    case 'string':
      return (v) => typeof v !== 'string';
    case 'number':
      return (v) => typeof v !== 'number' || !Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v !== 'boolean';
    case 'null':
      return (v) => v !== null;
    case 'enum':
    case 'literal': {
      const values = zod.values;
      return values === undefined ? NEVER : (v) => !values.has(v);
    }
    case 'array':
      return (v) => !Array.isArray(v);
    case 'optional': {
      if (def.innerType!._zod.optin === 'defaulted') return NEVER;
      const inner = mustFail(def.innerType!);
      return (v) => v !== undefined && inner(v);
    }
    case 'nullable': {
      const inner = mustFail(def.innerType!);
      return (v) => v !== null && inner(v);
    }
    case 'object': {
      // Not an object, or a required literal or enum field (a discriminator) with another value.
      const shape = def.shape ?? {};
      const tags = Object.keys(shape).filter((key) => {
        const field = shape[key]!._zod;
        return (field.def.type === 'literal' || field.def.type === 'enum') && field.values !== undefined && !PROTOTYPE_KEYS.has(key);
      });
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return true;
        for (const key of tags) if (!shape[key]!._zod.values!.has((v as Record<string, unknown>)[key])) return true;
        return false;
      };
    }
    default:
      return NEVER;
  }
}

/** Deep equality of a zod output and its input: same own enumerable keys in the same order, same values (`Object.is`). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!isPlainArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date || b instanceof Date) return false;
  if (!isPlainObject(b) || Object.getPrototypeOf(a) !== Object.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i]!;
    if (key !== kb[i] || !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

