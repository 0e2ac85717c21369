/**
 * Change from first to latest score, per instrument, over the people with at least two scored
 * responses (paired). Responses are scored here, linked to peers by the host Patient reference or
 * identifier, and kept only as numbers: no id, date or answer leaves this file.
 */
import type { ClinicRecord, Issue } from '@peerkit/model';
import { scoreRange, type InstrumentDefinition } from '../instrument';
import { createPeerLookup } from '../peer-lookup';
import { matchesInstrument } from '../questionnaire';
import { scoreQuestionnaireResponse } from '../score';
import { type Cell, type Suppressor } from './suppression';

/** Counts in one band of an instrument. */
export interface BandCount {
  readonly band: string;
  readonly label: string;
  readonly people: Cell;
}

/** First-to-latest change of one instrument. */
export interface OutcomeChange {
  readonly instrumentId: string;
  readonly title: string;
  /** Higher totals are better (BARC-10) rather than worse (PHQ-9, GAD-7). */
  readonly higherIsBetter: boolean;
  /** Lowest and highest possible totals. */
  readonly range: { readonly min: number; readonly max: number };
  /** Scored responses inside the period. */
  readonly responses: Cell;
  /** People with at least one scored response. */
  readonly people: Cell;
  /** People with at least two: the pairs the change is measured on. */
  readonly paired: Cell;
  /** Mean first and latest totals and their difference (latest − first) over the pairs, one decimal; `null` without pairs. */
  readonly meanFirst: Cell | null;
  readonly meanLatest: Cell | null;
  readonly meanChange: Cell | null;
  /** Pairs that got better, stayed the same, got worse (by the instrument's direction). */
  readonly improved: Cell;
  readonly unchanged: Cell;
  readonly worsened: Cell;
  /** Bands of the first and of the latest total, over the pairs. */
  readonly bandsFirst: readonly BandCount[];
  readonly bandsLatest: readonly BandCount[];
  /** Responses of this instrument left out: not scorable, no date, or not linked to a peer. */
  readonly excluded: Cell;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** What {@link outcomeChanges} returns. */
export interface OutcomeChanges {
  readonly changes: OutcomeChange[];
  /** Responses that name none of the instruments. */
  readonly unmatched: number;
  /** Every finding of scoring (for the findings by category). */
  readonly findings: Issue[];
}

/**
 * Scores the responses and measures first-to-latest change per instrument.
 *
 * @param records - the clinic's records (peers link responses to people)
 * @param responses - QuestionnaireResponses (any JSON)
 * @param instruments - the instruments reported, in order
 * @param suppressor - applies small-cell suppression
 * @param period - the report's first and last day, or none
 */
export function outcomeChanges(
  records: readonly ClinicRecord[],
  responses: readonly unknown[],
  instruments: readonly InstrumentDefinition[],
  suppressor: Suppressor,
  period: { start?: string; end?: string },
): OutcomeChanges {
  const peerOf = createPeerLookup(records);
  const findings: Issue[] = [];
  const byInstrument = new Map<InstrumentDefinition, { scores: Map<string, { at: string; total: number; band: string }[]>; responses: number; excluded: number }>(
    instruments.map((i) => [i, { scores: new Map(), responses: 0, excluded: 0 }]),
  );
  let unmatched = 0;
  for (const response of responses) {
    const canonical = (response as { questionnaire?: unknown } | null)?.questionnaire;
    const instrument = typeof canonical === 'string' ? instruments.find((i) => matchesInstrument(canonical, i)) : undefined;
    const bucket = instrument ? byInstrument.get(instrument) : undefined;
    if (!instrument || !bucket) {
      unmatched += 1;
      continue;
    }
    const result = scoreQuestionnaireResponse(response, instrument);
    findings.push(...result.issues);
    const peer = result.ok ? peerOf(result.value.subject) : undefined;
    if (!result.ok || peer === undefined || result.value.authored === undefined) {
      bucket.excluded += 1;
      continue;
    }
    const day = result.value.authored.slice(0, 10);
    if ((period.start !== undefined && day < period.start) || (period.end !== undefined && day > period.end)) continue;
    bucket.responses += 1;
    const list = bucket.scores.get(peer) ?? [];
    list.push({ at: result.value.authored, total: result.value.total, band: result.value.band.code });
    bucket.scores.set(peer, list);
  }

  const changes = instruments.map((instrument): OutcomeChange => {
    const bucket = byInstrument.get(instrument) ?? { scores: new Map(), responses: 0, excluded: 0 };
    const pairs: { first: { total: number; band: string }; latest: { total: number; band: string } }[] = [];
    for (const list of bucket.scores.values()) {
      if (list.length < 2) continue;
      const sorted = [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      pairs.push({ first: sorted[0] as (typeof sorted)[number], latest: sorted[sorted.length - 1] as (typeof sorted)[number] });
    }
    // people − paired = people with one response: when that is small, people is hidden (paired is
    // the count that matters). A hidden paired count cannot be recovered from people alone.
    const paired = suppressor.count(pairs.length);
    const unpaired = bucket.scores.size - pairs.length;
    const people = unpaired >= 1 && unpaired < suppressor.minCellSize ? suppressor.hide() : suppressor.count(bucket.scores.size);
    const mean = (pick: (p: (typeof pairs)[number]) => number): number => round1(pairs.reduce((s, p) => s + pick(p), 0) / pairs.length);
    const follow = (value: () => number): Cell | null => (pairs.length === 0 ? null : suppressor.derived(value(), paired));
    const better = (p: (typeof pairs)[number]): number => (instrument.higherIsBetter ? 1 : -1) * Math.sign(p.latest.total - p.first.total);
    const direction = suppressor.table([pairs.filter((p) => better(p) > 0).length, pairs.filter((p) => better(p) === 0).length, pairs.filter((p) => better(p) < 0).length]);
    const bands = (pick: (p: (typeof pairs)[number]) => string): BandCount[] => {
      const table = suppressor.table(instrument.bands.map((band) => pairs.filter((p) => pick(p) === band.code).length));
      return instrument.bands.map((band, i) => ({ band: band.code, label: band.label, people: table.cells[i] ?? 0 }));
    };
    return {
      instrumentId: instrument.id,
      title: instrument.title,
      higherIsBetter: instrument.higherIsBetter,
      range: scoreRange(instrument),
      responses: suppressor.count(bucket.responses),
      people,
      paired,
      meanFirst: follow(() => mean((p) => p.first.total)),
      meanLatest: follow(() => mean((p) => p.latest.total)),
      meanChange: follow(() => round1(mean((p) => p.latest.total) - mean((p) => p.first.total))),
      improved: direction.cells[0] ?? 0,
      unchanged: direction.cells[1] ?? 0,
      worsened: direction.cells[2] ?? 0,
      bandsFirst: bands((p) => p.first.band),
      bandsLatest: bands((p) => p.latest.band),
      excluded: suppressor.count(bucket.excluded),
    };
  });
  return { changes, unmatched, findings };
}
