/**
 * `withParsedCheck`: a model parser (`parsePeer`, `parseConsent`…) that skips zod for an input already
 * in its parsed form (see `compileParsedCheck`): the rules still run on it, and the result is the
 * input itself. Any other input goes through the parser as before, with the same issues.
 */
import type { z } from 'zod';
import { fail, hasErrors, ok, type Result } from '../result';
import { compileParsedCheck } from './parsed-check';
import { parsedPartsOf } from './parser-registry';
import { fromZodIssues } from './zod-issues';
import { runRules, type Rule } from './rules';

/**
 * The parser with a fast path: when `compileParsedCheck(schema)` accepts the input, zod is not run
 * (its output would deep-equal the input) and the result holds the input object itself, after the
 * parser's rules; otherwise the parser runs as it is. Results are the same as the parser's (values
 * deep-equal, same issues); only the value's identity differs (the input, not a copy), so use it on
 * records the caller built and owns.
 *
 * @param parser - a `parse…` function of the model (built by its `createParser`)
 * @returns the parser with the fast path, or `parser` itself for any other function
 * @example
 * const validatePeer = withParsedCheck(parsePeer);
 * const result = validatePeer(builtRecord); // result.value === builtRecord when it is already parsed
 */
export function withParsedCheck<T>(parser: (input: unknown) => Result<T>): (input: unknown) => Result<T> {
  const parts = parsedPartsOf(parser);
  if (parts === undefined) return parser;
  const check = compileParsedCheck(parts.schema);
  const rules = parts.rules as readonly Rule<T>[];
  return (input) => {
    if (!check(input)) return parser(input);
    const issues = runRules(input as T, rules);
    return hasErrors(issues) ? fail(issues) : ok(input as T, issues);
  };
}

/**
 * A schema's `safeParse` as a {@link Result}, with the same fast path: an input already in the
 * schema's parsed form is the value as it is.
 *
 * @param schema - any zod schema
 * @returns a validator: the input (or zod's output) or the issues of `fromZodIssues`
 * @example
 * const validateGoal = schemaParser(goalSchema);
 */
export function schemaParser<S extends z.ZodType>(schema: S): (input: unknown) => Result<z.output<S>> {
  const check = compileParsedCheck(schema);
  return (input) => {
    if (check(input)) return ok(input as z.output<S>, []);
    const parsed = schema.safeParse(input);
    return parsed.success ? ok(parsed.data, []) : fail(fromZodIssues(parsed.error.issues, input));
  };
}
