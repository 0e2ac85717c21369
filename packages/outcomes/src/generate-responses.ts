/**
 * Synthetic instrument responses over time for a generated clinic: each peer follows an improving,
 * flat or worsening trajectory and answers the instruments at completed encounters about once a
 * month. Deterministic by seed: same clinic, seed and options, same responses and the same bytes.
 */
import {
  createFhirContext,
  deterministicUuid,
  encounterResourceId,
  carePlanResourceId,
  isPart2Peer,
  part2Labels,
  patientReference,
} from '@peerkit/fhir';
import type { ClinicRecord, PeerEncounter } from '@peerkit/model';
import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { answersOf, type AnswerOption, type InstrumentDefinition, type InstrumentItem } from './instrument';
import { BARC_10 } from './instruments/barc-10';
import { GAD_7 } from './instruments/gad-7';
import { PHQ_9 } from './instruments/phq-9';
import { SeededStream } from './internal/random';
import { questionnaireUrl } from './questionnaire';

/** How a peer's answers move over time. */
export type Trajectory = 'improving' | 'flat' | 'worsening';

/** The trajectories, in the order of {@link GenerateResponsesOptions.trajectoryWeights}. */
export const TRAJECTORIES: readonly Trajectory[] = ['improving', 'flat', 'worsening'];

/** Options of {@link generateInstrumentResponses}. Only `seed` is required. */
export interface GenerateResponsesOptions {
  /** Seed: any safe integer. Same clinic, seed and options, same responses. */
  seed: number;
  /**
   * Instruments to give. Default `[BARC_10, PHQ_9, GAD_7]`; BARC-10 (a recovery capital measure for
   * alcohol and drug use) only to peers enrolled in a substance-use or co-occurring program.
   */
  instruments?: readonly InstrumentDefinition[];
  /** Days between two administrations (the next completed encounter at least this long after). Default 28. */
  intervalDays?: number;
  /** Weights of improving, flat and worsening. Default `[0.5, 0.3, 0.2]`. */
  trajectoryWeights?: readonly [number, number, number];
  /**
   * Chance that a PHQ-9 of a worsening peer has item 9 above 0 (given at an encounter that records a
   * crisis, item 9 is always above 0). Default 0.25.
   */
  crisisShare?: number;
  /** Share of responses with one scored item left unanswered (to exercise the findings). Default 0. */
  incompleteShare?: number;
  /** Canonical base of the Questionnaire URLs. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
}

/** One generated response and what it was generated from. */
export interface GeneratedResponse {
  readonly peerId: string;
  /** The peer's recovery plan, when the clinic has one. */
  readonly planId?: string;
  /** The encounter during which it was answered. */
  readonly encounterId: string;
  readonly instrumentId: string;
  readonly trajectory: Trajectory;
  /** The QuestionnaireResponse: subject = the host Patient, encounter, basedOn = the plan's CarePlan. */
  readonly response: QuestionnaireResponse;
}

const DAY = 86_400_000;

function responseId(instrumentId: string, encounterId: string): string {
  const id = `qr-${instrumentId}.${encounterId}`;
  return id.length <= 64 ? id : deterministicUuid(id).slice('urn:uuid:'.length);
}

/** Encounters at which a peer answers: the first completed one, then each at least `intervalDays` later. */
function administrations(encounters: readonly PeerEncounter[], intervalDays: number): PeerEncounter[] {
  const out: PeerEncounter[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const encounter of encounters) {
    const at = Date.parse(encounter.start);
    if (at - last >= intervalDays * DAY) {
      out.push(encounter);
      last = at;
    }
  }
  return out;
}

/** The answer nearest to a level in [0, 1] of the scale, with noise. */
function answerAt(scale: readonly AnswerOption[], level: number, rng: SeededStream): AnswerOption {
  const sorted = [...scale].sort((a, b) => a.value - b.value);
  const index = Math.round(Math.min(1, Math.max(0, level + rng.between(-0.18, 0.18))) * (sorted.length - 1));
  return sorted[index] ?? (sorted[0] as AnswerOption);
}

/** Where a peer stands on an instrument at time t in [0, 1]: 0 = best, 1 = worst. */
function severityAt(trajectory: Trajectory, baseline: number, t: number): number {
  if (trajectory === 'improving') return baseline - 0.35 * t;
  if (trajectory === 'worsening') return baseline + 0.25 * t;
  return baseline;
}

function answerItem(item: InstrumentItem, answer: AnswerOption): QuestionnaireResponseItem {
  return {
    linkId: item.linkId,
    text: item.text,
    answer: [answer.code ? { valueCoding: { ...answer.code } } : { valueInteger: answer.value }],
  };
}

/**
 * Generates instrument responses for the peers of a clinic (e.g. from `generateClinic` of
 * `@peerkit/model`): per peer a trajectory, a baseline, and one response per instrument at each
 * administration encounter, in time order. Answers are coded (LOINC for PHQ-9 and GAD-7, PeerKit's
 * codes for BARC-10); responses of 42 CFR Part 2 peers carry the Part 2 security labels.
 *
 * @param clinic - the clinic's records (peers, plans, encounters; other kinds are ignored)
 * @param options - seed (required), instruments, interval, trajectory weights, crisis and incomplete shares
 * @returns the responses, by peer in record order, then by time and instrument
 * @throws RangeError naming the option when an option is out of range
 * @example
 * const clinic = generateClinic({ seed: 7 });
 * const responses = generateInstrumentResponses(clinic, { seed: 7 });
 * responses[0]?.response.resourceType; // 'QuestionnaireResponse'
 */
export function generateInstrumentResponses(clinic: { readonly records: readonly ClinicRecord[] }, options: GenerateResponsesOptions): GeneratedResponse[] {
  if (!Number.isSafeInteger(options.seed)) throw new RangeError('generateInstrumentResponses: option seed must be a safe integer');
  const intervalDays = options.intervalDays ?? 28;
  if (!Number.isInteger(intervalDays) || intervalDays < 1) throw new RangeError('generateInstrumentResponses: option intervalDays must be a whole number of days, at least 1');
  const weights = options.trajectoryWeights ?? [0.5, 0.3, 0.2];
  if (weights.length !== 3 || weights.some((w) => !(w >= 0)) || weights.every((w) => w === 0)) {
    throw new RangeError('generateInstrumentResponses: option trajectoryWeights must be three non-negative weights, not all zero');
  }
  for (const [name, value] of [['crisisShare', options.crisisShare], ['incompleteShare', options.incompleteShare]] as const) {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`generateInstrumentResponses: option ${name} must be a number from 0 to 1`);
  }
  const instruments = options.instruments ?? [BARC_10, PHQ_9, GAD_7];
  const crisisShare = options.crisisShare ?? 0.25;
  const incompleteShare = options.incompleteShare ?? 0;
  const records = clinic.records;
  const ctx = createFhirContext(records) ?? createFhirContext(records, { identifierSystem: 'https://peerkit.dev/generated' });
  const rng = new SeededStream(options.seed);

  const encountersByPeer = new Map<string, PeerEncounter[]>();
  const planByPeer = new Map<string, string>();
  for (const record of records) {
    if (record.kind === 'encounter' && record.status === 'completed') {
      const list = encountersByPeer.get(record.peerId) ?? [];
      list.push(record);
      encountersByPeer.set(record.peerId, list);
    } else if (record.kind === 'recovery-plan' && !planByPeer.has(record.peerId)) planByPeer.set(record.peerId, record.id);
  }

  const out: GeneratedResponse[] = [];
  for (const peer of records) {
    if (peer.kind !== 'peer' || !ctx) continue;
    const subject = patientReference(ctx, peer.id);
    const encounters = [...(encountersByPeer.get(peer.id) ?? [])].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const visits = administrations(encounters, intervalDays);
    if (!subject || visits.length === 0) continue;
    const trajectory = TRAJECTORIES[rng.weighted(weights)] as Trajectory;
    const sud = peer.enrollments.some((e) => e.programType === 'substance-use' || e.programType === 'co-occurring');
    const part2 = isPart2Peer(ctx, peer.id);
    const planId = planByPeer.get(peer.id);
    const given = instruments.filter((instrument) => instrument.id !== BARC_10.id || sud);
    const baselines = given.map(() => rng.between(0.3, 0.7));
    visits.forEach((visit, v) => {
      const t = visits.length === 1 ? 0 : v / (visits.length - 1);
      given.forEach((instrument, k) => {
        const severity = severityAt(trajectory, baselines[k] ?? 0.5, t);
        const scored = instrument.items.filter((item) => item.scored);
        const skip = rng.chance(incompleteShare) ? scored[Math.floor(rng.next() * scored.length)] : undefined;
        const items: QuestionnaireResponseItem[] = [];
        for (const item of instrument.items) {
          if (item === skip) continue;
          const scale = answersOf(instrument, item);
          let answer = answerAt(scale, instrument.higherIsBetter ? 1 - severity : severity, rng);
          if (item.crisisAtOrAbove !== undefined) {
            // Crisis answers only where planted: the lowest crisis answer, else the lowest answer.
            const threshold = item.crisisAtOrAbove;
            const sorted = [...scale].sort((a, b) => a.value - b.value);
            // At an encounter that records a crisis the answer is a crisis one (and its action is
            // documented there); elsewhere only worsening peers give one, undocumented.
            const crisis = visit.crisis?.indicated === true || (trajectory === 'worsening' && rng.chance(crisisShare));
            answer = (crisis ? sorted.find((a) => a.value >= threshold) : sorted[0]) ?? answer;
          }
          items.push(answerItem(item, answer));
        }
        const response: QuestionnaireResponse = {
          resourceType: 'QuestionnaireResponse',
          id: responseId(instrument.id, visit.id),
          ...(part2 ? { meta: { security: part2Labels() } } : {}),
          questionnaire: questionnaireUrl(instrument, options.canonicalBase),
          status: 'completed',
          subject,
          encounter: { reference: `Encounter/${encounterResourceId(visit.id)}` },
          ...(planId !== undefined ? { basedOn: [{ reference: `CarePlan/${carePlanResourceId(planId)}` }] } : {}),
          authored: visit.start,
          item: items,
        };
        out.push({ peerId: peer.id, ...(planId !== undefined ? { planId } : {}), encounterId: visit.id, instrumentId: instrument.id, trajectory, response });
      });
    });
  }
  return out;
}
