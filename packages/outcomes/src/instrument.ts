/**
 * What an instrument is: items, answer scales, scoring, bands, codes, licence and sources. The
 * shipped instruments (BARC-10, PHQ-9, GAD-7) are values of this shape; a program defines its own
 * with {@link defineInstrument} (a checked definition object, never code).
 */
import { codesOf, fail, fromZodIssues, ok, RECOVERY_DOMAINS, type Issue, type IssuePath, type Result } from '@peerkit/model';
import { z } from 'zod';
import type { OutcomeCode } from './codes';

const codingSchema = z.strictObject({
  system: z.string().min(1).max(300),
  code: z.string().min(1).max(100),
  display: z.string().min(1).max(300).optional(),
});

const answerSchema = z.strictObject({
  /** The score of the answer. */
  value: z.int().min(-100).max(1000),
  /** The answer's code (LOINC answer, or a program's code). Default: none, the value is the answer. */
  code: codingSchema.optional(),
  display: z.string().min(1).max(200),
});

const linkIdSchema = z.string().regex(/^[A-Za-z0-9/._-]{1,100}$/, { message: 'Must be a linkId (letters, digits, "/", ".", "_", "-"; at most 100)' });

const itemSchema = z.strictObject({
  linkId: linkIdSchema,
  /** Other linkIds a response may use for the item (e.g. US Core's `/44250-9`). */
  aliases: z.array(linkIdSchema).max(10).default([]),
  code: codingSchema.optional(),
  /** The item text, or a short paraphrased label where the wording cannot be shipped. */
  text: z.string().min(1).max(500),
  /** Whether `text` is the published wording or PeerKit's paraphrase. */
  textSource: z.enum(['published', 'paraphrase']),
  /** A short label for charts and suggestions. */
  label: z.string().min(1).max(80),
  /** The instrument's own domain or subscale of the item, e.g. an ARC domain. */
  domain: z.string().min(1).max(80).optional(),
  /** The recovery-plan domain a low answer suggests a goal in. */
  recoveryDomain: z.enum(codesOf(RECOVERY_DOMAINS)).optional(),
  /** Counted in the total. Default `true`. */
  scored: z.boolean().default(true),
  /** An answer scale of its own. Default: the instrument's `answers`. */
  answers: z.array(answerSchema).min(2).max(20).optional(),
  /** An answer at or above this value is a crisis indicator (PHQ-9 item 9: 1). Default: none. */
  crisisAtOrAbove: z.int().optional(),
});

const bandSchema = z.strictObject({
  /** Stable code, unique within the instrument, e.g. `moderate`. */
  code: z.string().regex(/^[a-z0-9-]{1,40}$/, { message: 'Must be a band code (a-z, 0-9, "-")' }),
  label: z.string().min(1).max(80),
  min: z.int(),
  max: z.int(),
});

/** Schema of an instrument definition (see {@link defineInstrument}). */
export const instrumentSchema = z.strictObject({
  /** Stable id, e.g. `phq-9`. Also the Questionnaire's id. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'Must be an instrument id (a-z, 0-9, "-")' }),
  title: z.string().min(1).max(200),
  /** Computable name (Questionnaire.name), e.g. `PHQ9`. */
  name: z.string().regex(/^[A-Z][A-Za-z0-9_]{0,99}$/, { message: 'Must be a computable name (starts upper-case; letters, digits, _)' }),
  version: z.string().min(1).max(40),
  /** The question the items answer, shown once before them (a display item). Default: none. */
  stem: z.string().min(1).max(500).optional(),
  /** Code of the whole instrument (Questionnaire.code), e.g. LOINC 44249-1. */
  panelCode: codingSchema.optional(),
  /** Code of the total score (the Observation's code), e.g. LOINC 44261-6. */
  totalCode: codingSchema,
  /** The answer scale of every item without its own. */
  answers: z.array(answerSchema).min(2).max(20),
  items: z.array(itemSchema).min(1).max(200),
  scoring: z
    .strictObject({
      /** How items combine: the sum of the scored items' values. */
      method: z.literal('sum').default('sum'),
      /** Prorating over missing items, only where the instrument's source allows it. Default: none. */
      prorate: z
        .strictObject({
          /** Most scored items that may be missing. */
          maxMissing: z.int().min(1),
          /** Where the instrument's authors allow it. */
          source: z.string().min(1).max(500),
        })
        .optional(),
    })
    .default({ method: 'sum' }),
  /** Higher totals are better (recovery capital) rather than worse (symptoms). */
  higherIsBetter: z.boolean(),
  /** Bands of the total, in order, covering the range exactly once. */
  bands: z.array(bandSchema).min(1).max(20),
  /** Questionnaire.copyright. */
  copyright: z.string().min(1).max(2000).optional(),
  /** What may be done with the instrument and its wording, in one paragraph. */
  licence: z.string().min(1).max(2000),
  /** Citations: ids of OUTCOME_SOURCES or citation strings. */
  sources: z.array(z.string().min(1).max(1000)).min(1).max(30),
});

/** A coding of an instrument, item or answer. */
export type InstrumentCoding = z.output<typeof codingSchema>;
/** One answer of a scale: its score, code and display. */
export type AnswerOption = z.output<typeof answerSchema>;
/** One item of an instrument. */
export type InstrumentItem = z.output<typeof itemSchema>;
/** A band of the total score, inclusive on both ends. */
export type ScoreBand = z.output<typeof bandSchema>;
/** An instrument: items, scales, scoring, bands, codes, licence and sources. */
export type InstrumentDefinition = z.output<typeof instrumentSchema>;
/** An instrument definition as written (defaults not applied). */
export type InstrumentInput = z.input<typeof instrumentSchema>;

/** The answer scale of an item: its own, else the instrument's. */
export function answersOf(instrument: InstrumentDefinition, item: InstrumentItem): readonly AnswerOption[] {
  return item.answers ?? instrument.answers;
}

/**
 * The lowest and highest total an instrument can give: the sums of the smallest and largest answer
 * of each scored item.
 *
 * @param instrument - the instrument
 * @example
 * scoreRange(PHQ_9); // { min: 0, max: 27 }
 */
export function scoreRange(instrument: InstrumentDefinition): { readonly min: number; readonly max: number } {
  let min = 0;
  let max = 0;
  for (const item of instrument.items) {
    if (!item.scored) continue;
    const values = answersOf(instrument, item).map((a) => a.value);
    min += Math.min(...values);
    max += Math.max(...values);
  }
  return { min, max };
}

/**
 * The band a total falls in.
 *
 * @param instrument - the instrument
 * @param total - a total score
 * @returns the band, or `undefined` outside the range
 * @example
 * bandOf(PHQ_9, 12)?.code; // 'moderate'
 */
export function bandOf(instrument: InstrumentDefinition, total: number): ScoreBand | undefined {
  return instrument.bands.find((band) => total >= band.min && total <= band.max);
}

const issue = (code: OutcomeCode, path: IssuePath, message: string): Issue => ({ severity: 'error', code, path, message });

/** The rules a definition must meet beyond its shape. */
function definitionIssues(instrument: InstrumentDefinition): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  instrument.items.forEach((item, i) => {
    for (const [j, id] of [item.linkId, ...item.aliases].entries()) {
      if (seen.has(id)) issues.push(issue('outcomes.instrument-duplicate-item', j === 0 ? ['items', i, 'linkId'] : ['items', i, 'aliases', j - 1], 'linkIds and aliases must be unique across items'));
      seen.add(id);
    }
  });
  const scales: [IssuePath, readonly AnswerOption[]][] = [[['answers'], instrument.answers]];
  instrument.items.forEach((item, i) => {
    if (item.answers) scales.push([['items', i, 'answers'], item.answers]);
  });
  for (const [path, scale] of scales) {
    const values = new Set<number>();
    const codes = new Set<string>();
    scale.forEach((answer, j) => {
      const code = answer.code ? `${answer.code.system}|${answer.code.code}` : undefined;
      if (values.has(answer.value) || (code !== undefined && codes.has(code))) {
        issues.push(issue('outcomes.instrument-duplicate-answer', [...path, j], 'Answer values and codes must be unique within a scale'));
      }
      values.add(answer.value);
      if (code !== undefined) codes.add(code);
    });
  }
  const scored = instrument.items.filter((item) => item.scored);
  if (scored.length === 0) issues.push(issue('outcomes.instrument-no-scored-item', ['items'], 'At least one item must be scored'));
  instrument.items.forEach((item, i) => {
    if (item.crisisAtOrAbove === undefined) return;
    const values = answersOf(instrument, item).map((a) => a.value);
    if (item.crisisAtOrAbove > Math.max(...values) || item.crisisAtOrAbove <= Math.min(...values)) {
      issues.push(issue('outcomes.instrument-value-outside-scale', ['items', i, 'crisisAtOrAbove'], 'crisisAtOrAbove must lie above the lowest and at most the highest answer of the item'));
    }
  });
  const prorate = instrument.scoring.prorate;
  if (prorate !== undefined && prorate.maxMissing >= scored.length) {
    issues.push(issue('outcomes.instrument-value-outside-scale', ['scoring', 'prorate', 'maxMissing'], 'maxMissing must be smaller than the number of scored items'));
  }
  if (scored.length > 0) {
    const range = scoreRange(instrument);
    let next = range.min;
    instrument.bands.forEach((band, i) => {
      if (band.min !== next || band.max < band.min) issues.push(issue('outcomes.instrument-bands', ['bands', i], 'Each band must start right after the previous one (the first at the lowest total) and not end before it starts'));
      next = band.max + 1;
    });
    if (next !== range.max + 1) issues.push(issue('outcomes.instrument-bands', ['bands'], 'The last band must end at the highest total'));
    const codes = new Set<string>();
    instrument.bands.forEach((band, i) => {
      if (codes.has(band.code)) issues.push(issue('outcomes.instrument-bands', ['bands', i, 'code'], 'Band codes must be unique'));
      codes.add(band.code);
    });
  }
  return issues;
}

/**
 * Checks a program's own instrument definition (e.g. MIRC, or REC-CAP where the program holds a
 * licence): its shape, unique linkIds and answers, bands covering the score range exactly once, crisis
 * thresholds inside the scale, prorating only with a source.
 *
 * @param input - the definition object (JSON)
 * @returns the definition with defaults applied, or issues naming each problem (`schema.*`, `outcomes.instrument-*`)
 * @example
 * const result = defineInstrument(JSON.parse(text));
 * if (result.ok) scoreQuestionnaireResponse(response, result.value);
 */
export function defineInstrument(input: unknown): Result<InstrumentDefinition> {
  const parsed = instrumentSchema.safeParse(input);
  if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
  const issues = definitionIssues(parsed.data);
  return issues.length > 0 ? fail(issues) : ok(parsed.data);
}

