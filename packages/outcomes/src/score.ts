/**
 * Scoring a FHIR R4 QuestionnaireResponse against an instrument: the total, its band and every
 * validity problem as a coded finding. A response with an unanswered scored item, an answer off the
 * scale or an unreadable answer gets no total: never a silent score. A crisis answer (PHQ-9 item 9
 * above 0) is reported whether or not the total could be computed.
 */
import { PEERKIT_CANONICAL } from '@peerkit/fhir';
import { fail, hasErrors, ok, type Issue, type IssuePath, type Result } from '@peerkit/model';
import type { Reference } from 'fhir/r4';
import { answersOf, bandOf, scoreRange, type InstrumentDefinition, type InstrumentItem, type ScoreBand } from './instrument';
import { itemsByLinkId, readAnswer, responseItems } from './internal/response-items';
import { matchesInstrument } from './questionnaire';
import { OUTCOME_SOURCES } from './sources';
import type { OutcomeCode } from './codes';

/** Options of {@link scoreQuestionnaireResponse}. */
export interface ScoreOptions {
  /** Response statuses that are scored. Default `['completed', 'amended']`. */
  statuses?: readonly string[];
  /** Canonical base the instrument's Questionnaire URL is under. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
}

/** The value of one answered item. */
export interface ItemScore {
  /** The instrument's linkId (not an alias the response used). */
  readonly linkId: string;
  readonly value: number;
}

/** A scored response. Holds no text of the response: ids, dates, references and numbers. */
export interface InstrumentScore {
  readonly instrumentId: string;
  /** `QuestionnaireResponse.id`, when it has one. */
  readonly responseId?: string;
  /** `QuestionnaireResponse.subject`: the host's Patient reference. */
  readonly subject?: Reference;
  /** `QuestionnaireResponse.authored`. */
  readonly authored?: string;
  /** `QuestionnaireResponse.status` (`completed` or `amended`). */
  readonly status: string;
  readonly total: number;
  /** Lowest and highest possible totals. */
  readonly range: { readonly min: number; readonly max: number };
  readonly band: ScoreBand;
  /** Every answered item of the instrument (scored or not), in the instrument's order. */
  readonly items: readonly ItemScore[];
  /** Scored items answered. */
  readonly answered: number;
  /** The total was prorated over missing items (only where the instrument's source allows it). */
  readonly prorated: boolean;
  /** linkIds of answers at or above their item's crisis threshold. */
  readonly crisisItems: readonly string[];
}

const DEFAULT_STATUSES: readonly string[] = ['completed', 'amended'];

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const finding = (severity: Issue['severity'], code: OutcomeCode, path: IssuePath, message: string, extra: Partial<Issue> = {}): Issue => ({
  severity,
  code,
  path,
  message,
  ...extra,
});

/** The crisis indicator finding of one item: the `crisis.` family and category of @peerkit/safeguards. */
function crisisItemFinding(path: IssuePath): Issue {
  return finding('warning', 'crisis.instrument-item', path, "An answer at or above the item's crisis threshold is a crisis indicator: a follow-up action must be documented", {
    rule: 'crisis.instrument-item',
    category: 'crisis-follow-up',
    source: OUTCOME_SOURCES['phq9-item9'].citation,
    suggestion:
      "Talk with the peer about safety now, follow the program's crisis protocol and document what you did (safety plan reviewed, supervisor consulted, warm handoff, 988).",
  });
}

/** A response's items matched to the instrument, with the findings of reading them. */
interface Reading {
  readonly values: Map<InstrumentItem, number>;
  /** Items answered, but not readably (a finding says why). */
  readonly problems: Set<InstrumentItem>;
  readonly crisis: { readonly item: InstrumentItem; readonly path: IssuePath }[];
  readonly issues: Issue[];
}

/** Reads every item of a response against the instrument (answers, ranges, duplicates, unknown items). */
export function readResponse(response: Record<string, unknown>, instrument: InstrumentDefinition): Reading {
  const byLinkId = itemsByLinkId(instrument);
  const values = new Map<InstrumentItem, number>();
  const seen = new Set<InstrumentItem>();
  const problems = new Set<InstrumentItem>();
  const crisis: Reading['crisis'] = [];
  const issues: Issue[] = [];
  for (const { linkId, path, answers } of responseItems(response)) {
    const item = byLinkId.get(linkId);
    if (!item) {
      if (answers.length > 0) issues.push(finding('warning', 'outcomes.item-unknown', [...path, 'linkId'], 'The instrument defines no item with this linkId'));
      continue;
    }
    const severity = item.scored ? 'error' : 'warning';
    if (seen.has(item)) {
      issues.push(finding('error', 'outcomes.item-duplicate', [...path, 'linkId'], 'The item is answered more than once in the response'));
      continue;
    }
    seen.add(item);
    if (answers.length === 0) continue;
    if (answers.length > 1) {
      problems.add(item);
      issues.push(finding(severity, 'outcomes.answer-multiple', [...path, 'answer'], 'A single-choice item must have one answer'));
      continue;
    }
    const reading = readAnswer(answers[0], answersOf(instrument, item));
    if ('problem' in reading) {
      problems.add(item);
      issues.push(
        reading.problem === 'range'
          ? finding(severity, 'outcomes.answer-out-of-range', [...path, 'answer', 0], "The answer is not on the item's answer scale")
          : finding(severity, 'outcomes.answer-invalid-type', [...path, 'answer', 0], 'The answer must be a valueCoding or a whole-number valueInteger'),
      );
      continue;
    }
    values.set(item, reading.value);
    if (item.crisisAtOrAbove !== undefined && reading.value >= item.crisisAtOrAbove) crisis.push({ item, path: [...path, 'answer', 0] });
  }
  return { values, problems, crisis, issues };
}

/**
 * Scores a QuestionnaireResponse with an instrument. Items are matched by linkId (or an alias, such
 * as US Core's `/44250-9`) at any depth; answers by LOINC/PeerKit code or whole-number value.
 *
 * @param response - a FHIR R4 QuestionnaireResponse (any JSON: it is checked, never trusted)
 * @param instrument - e.g. `PHQ_9`, `GAD_7`, `BARC_10`, or a program's own from `defineInstrument`
 * @param options - statuses scored, canonical base
 * @returns the score with warnings (a crisis answer, an unknown item, a missing date or subject), or
 *   the findings that prevent a total (`outcomes.item-unanswered`, `outcomes.answer-out-of-range`…)
 *   together with any crisis finding
 * @example
 * const result = scoreQuestionnaireResponse(response, PHQ_9);
 * if (result.ok) console.log(result.value.total, result.value.band.code);
 * for (const f of result.issues) if (f.category === 'crisis-follow-up') alertSupervisor(f);
 */
export function scoreQuestionnaireResponse(response: unknown, instrument: InstrumentDefinition, options: ScoreOptions = {}): Result<InstrumentScore> {
  if (!isObject(response) || response.resourceType !== 'QuestionnaireResponse' || (response.item !== undefined && !Array.isArray(response.item))) {
    return fail([finding('error', 'outcomes.response-invalid', [], 'Must be a FHIR R4 QuestionnaireResponse with an item list')]);
  }
  const base = (options.canonicalBase ?? PEERKIT_CANONICAL).replace(/\/+$/, '');
  const issues: Issue[] = [];
  const status = typeof response.status === 'string' ? response.status : '';
  if (!(options.statuses ?? DEFAULT_STATUSES).includes(status)) {
    issues.push(finding('error', 'outcomes.response-status', ['status'], 'Only completed or amended responses are scored'));
  }
  if (typeof response.questionnaire === 'string' && !matchesInstrument(response.questionnaire, instrument, base)) {
    issues.push(finding('warning', 'outcomes.questionnaire-mismatch', ['questionnaire'], "The response names another Questionnaire than the instrument's"));
  }
  if (typeof response.authored !== 'string') issues.push(finding('warning', 'outcomes.authored-missing', ['authored'], 'The response has no authored date'));
  if (!isObject(response.subject)) issues.push(finding('warning', 'outcomes.subject-missing', ['subject'], 'The response has no subject'));

  const reading = readResponse(response, instrument);
  issues.push(...reading.issues);
  const scored = instrument.items.filter((item) => item.scored);
  const unanswered = scored.filter((item) => !reading.values.has(item) && !reading.problems.has(item));
  const prorate = instrument.scoring.prorate;
  const prorating =
    prorate !== undefined &&
    unanswered.length > 0 &&
    unanswered.length <= prorate.maxMissing &&
    !scored.some((item) => reading.problems.has(item));
  for (const item of unanswered) {
    issues.push(finding(prorating ? 'warning' : 'error', 'outcomes.item-unanswered', ['item'], `Scored item ${item.linkId} has no answer`));
  }
  for (const { path } of reading.crisis) issues.push(crisisItemFinding(path));
  if (hasErrors(issues)) return fail(issues);

  const sum = scored.reduce((total, item) => total + (reading.values.get(item) ?? 0), 0);
  const answered = scored.length - unanswered.length;
  const total = prorating ? Math.round((sum * scored.length) / answered) : sum;
  if (prorating) issues.push(finding('warning', 'outcomes.score-prorated', ['item'], 'The total was prorated over missing items', { source: prorate.source }));
  const band = bandOf(instrument, total);
  if (!band) return fail([...issues, finding('error', 'outcomes.answer-out-of-range', ['item'], 'The total falls outside every band of the instrument')]);
  const score: { -readonly [K in keyof InstrumentScore]: InstrumentScore[K] } = {
    instrumentId: instrument.id,
    status,
    total,
    range: scoreRange(instrument),
    band,
    items: instrument.items.filter((item) => reading.values.has(item)).map((item) => ({ linkId: item.linkId, value: reading.values.get(item) ?? 0 })),
    answered,
    prorated: prorating,
    crisisItems: reading.crisis.map(({ item }) => item.linkId),
  };
  if (typeof response.id === 'string') score.responseId = response.id;
  if (isObject(response.subject)) score.subject = response.subject as Reference;
  if (typeof response.authored === 'string') score.authored = response.authored;
  return ok(score, issues);
}

