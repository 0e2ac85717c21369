/**
 * BARC-10, the Brief Assessment of Recovery Capital: ten statements rated 1 (strongly disagree) to
 * 6 (strongly agree), total 10–60, higher is more recovery capital; 47 is the published cut-off that
 * predicted sustained remission. No LOINC code exists: PeerKit codes stand in. The item wording is
 * not shipped (no licence to redistribute it was found): items carry PeerKit's short paraphrased
 * labels, and a program passes the published wording to `toFhirQuestionnaire` (`itemText`).
 *
 * See: OUTCOME_SOURCES 'barc10-development', 'barc10-cutoff', 'barc10-phenx', 'barc10-wording', 'arc-domains', 'loinc-barc10'
 */
import { OUTCOME_SYSTEMS } from '../codes';
import type { AnswerOption, InstrumentDefinition, InstrumentItem } from '../instrument';
import { OUTCOME_SOURCES } from '../sources';

const AGREEMENT: readonly [string, string][] = [
  ['strongly-disagree', 'Strongly disagree'],
  ['disagree', 'Disagree'],
  ['somewhat-disagree', 'Somewhat disagree'],
  ['somewhat-agree', 'Somewhat agree'],
  ['agree', 'Agree'],
  ['strongly-agree', 'Strongly agree'],
];

/** The BARC-10 agreement scale, 1–6, with PeerKit answer codes. */
export const BARC_10_ANSWERS: readonly AnswerOption[] = AGREEMENT.map(([code, display], i) => ({
  value: i + 1,
  code: { system: OUTCOME_SYSTEMS.answer, code, display },
  display,
}));

const item = (n: number, label: string, domain: string, recoveryDomain: InstrumentItem['recoveryDomain']): InstrumentItem => ({
  linkId: `barc10-${n}`,
  aliases: [],
  code: { system: OUTCOME_SYSTEMS.instrument, code: `barc-10-item-${n}`, display: label },
  text: label,
  textSource: 'paraphrase',
  label,
  domain,
  recoveryDomain,
  scored: true,
});

/** The published cut-off of the BARC-10 total that predicted sustained remission (Vilsaint 2017). */
export const BARC_10_CUTOFF = 47;

/**
 * BARC-10: ten items 1–6, total 10–60, two bands split at the published cut-off 47. Each item comes
 * from one of the ten subscales of the ARC (its `domain`) and maps to a recovery-plan domain
 * (`recoveryDomain`) for goal suggestions.
 *
 * @example
 * bandOf(BARC_10, 50)?.code; // 'at-or-above-cutoff'
 */
export const BARC_10: InstrumentDefinition = {
  id: 'barc-10',
  title: 'Brief Assessment of Recovery Capital (BARC-10)',
  name: 'BARC10',
  version: '1.0.0',
  stem: 'How much do you agree with each statement? 1 = strongly disagree, 6 = strongly agree.',
  panelCode: { system: OUTCOME_SYSTEMS.instrument, code: 'barc-10', display: 'Brief Assessment of Recovery Capital (BARC-10)' },
  totalCode: { system: OUTCOME_SYSTEMS.instrument, code: 'barc-10-total', display: 'BARC-10 total score' },
  answers: [...BARC_10_ANSWERS],
  items: [
    item(1, 'Life priorities other than substance use', 'substance-use-and-sobriety', 'health'),
    item(2, 'Overall satisfaction with life', 'psychological-health', 'health'),
    item(3, 'Energy for the tasks one sets', 'physical-health', 'health'),
    item(4, 'Pride in and belonging to one\'s community', 'citizenship-and-community', 'community'),
    item(5, 'Support from friends', 'social-support', 'community'),
    item(6, 'A fulfilling life without alcohol or drugs', 'meaningful-activities', 'purpose'),
    item(7, 'A living space that helps recovery', 'housing-and-safety', 'home'),
    item(8, 'Taking responsibility for one\'s actions', 'risk-taking', 'health'),
    item(9, 'Comfort dealing with professionals', 'coping-and-life-functioning', 'purpose'),
    item(10, 'Progress in one\'s recovery', 'recovery-experience', 'health'),
  ],
  scoring: { method: 'sum' },
  higherIsBetter: true,
  bands: [
    { code: 'below-cutoff', label: 'Below 47', min: 10, max: BARC_10_CUTOFF - 1 },
    { code: 'at-or-above-cutoff', label: '47 or above (remission cut-off)', min: BARC_10_CUTOFF, max: 60 },
  ],
  licence: `PhenX protocol 590502: "freely available; permission not required for use" (${OUTCOME_SOURCES['barc10-phenx'].citation}). The published item wording is not shipped: ${OUTCOME_SOURCES['barc10-wording'].note}`,
  sources: ['barc10-development', 'barc10-cutoff', 'barc10-phenx', 'barc10-wording', 'arc-domains', 'loinc-barc10'],
};
