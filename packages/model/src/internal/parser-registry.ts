/**
 * The schema and rules behind each parser the model's `createParser` builds, so `withParsedCheck` can
 * give a parser its fast path without the parser modules exporting their rules.
 */
import type { z } from 'zod';

/** The schema and rules of each parser `createParser` built, for {@link parsedPartsOf}. */
const PARSERS = new WeakMap<object, { readonly schema: z.ZodType; readonly rules: readonly unknown[] }>();

/** Notes the schema and rules a parser runs (called by `createParser`; internal). */
export function registerParser(parser: object, schema: z.ZodType, rules: readonly unknown[]): void {
  PARSERS.set(parser, { schema, rules });
}

/** The schema and rules of a parser `createParser` built (`undefined` for any other function; internal). */
export function parsedPartsOf(parser: object): { readonly schema: z.ZodType; readonly rules: readonly unknown[] } | undefined {
  return PARSERS.get(parser);
}
