/**
 * PHQ-9, the nine-item depression scale of the Patient Health Questionnaire, with its published
 * wording (free to reproduce), LOINC codes, severity bands and the item-9 crisis indicator.
 *
 * See: OUTCOME_SOURCES 'phq9-severity', 'phq-licence', 'loinc-phq9', 'loinc-phq9-total', 'phq9-item9'
 */
import { LOINC } from '../codes';
import type { AnswerOption, InstrumentDefinition, InstrumentItem, ScoreBand } from '../instrument';
import { OUTCOME_SOURCES } from '../sources';

/** The Pfizer copyright and permission statement of the PHQ screeners, as US Core quotes it. */
export const PHQ_COPYRIGHT =
  'Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute. This material contains content from LOINC® (http://loinc.org), copyright © Regenstrief Institute, Inc. and the LOINC Committee, available at no cost under the license at http://loinc.org/license.';

/** The PHQ frequency scale (PHQ-9 and GAD-7): 0 not at all … 3 nearly every day, with LOINC answers. */
export const PHQ_FREQUENCY_ANSWERS: readonly AnswerOption[] = [
  { value: 0, code: { system: LOINC, code: 'LA6568-5', display: 'Not at all' }, display: 'Not at all' },
  { value: 1, code: { system: LOINC, code: 'LA6569-3', display: 'Several days' }, display: 'Several days' },
  { value: 2, code: { system: LOINC, code: 'LA6570-1', display: 'More than half the days' }, display: 'More than half the days' },
  { value: 3, code: { system: LOINC, code: 'LA6571-9', display: 'Nearly every day' }, display: 'Nearly every day' },
];

/**
 * What the PHQ instruments share: the frequency scale, sum scoring (never prorated), lower is
 * better, the Pfizer statement and the licence note.
 */
export const PHQ_FAMILY: Pick<InstrumentDefinition, 'answers' | 'scoring' | 'higherIsBetter' | 'copyright' | 'licence'> = {
  answers: [...PHQ_FREQUENCY_ANSWERS],
  scoring: { method: 'sum' },
  higherIsBetter: false,
  copyright: PHQ_COPYRIGHT,
  licence: `Free to reproduce, translate, display and distribute (${OUTCOME_SOURCES['phq-licence'].citation}). PeerKit ships the published English wording.`,
};

/** The severity bands the PHQ-9 and GAD-7 share: 0–4 minimal, 5–9 mild, 10–14 moderate. */
export const PHQ_LOWER_BANDS: readonly ScoreBand[] = [
  { code: 'minimal', label: 'Minimal (0–4)', min: 0, max: 4 },
  { code: 'mild', label: 'Mild (5–9)', min: 5, max: 9 },
  { code: 'moderate', label: 'Moderate (10–14)', min: 10, max: 14 },
];

/** A published item of a PHQ instrument: LOINC code as linkId (and US Core's `/code` as alias). */
export function phqItem(code: string, text: string, label: string, extra: Partial<InstrumentItem> = {}): InstrumentItem {
  return {
    linkId: code,
    aliases: [`/${code}`],
    code: { system: LOINC, code },
    text,
    textSource: 'published',
    label,
    scored: true,
    ...extra,
  };
}

const DIFFICULTY_ANSWERS: AnswerOption[] = [
  { value: 0, code: { system: LOINC, code: 'LA6572-7', display: 'Not difficult at all' }, display: 'Not difficult at all' },
  { value: 1, code: { system: LOINC, code: 'LA6573-5', display: 'Somewhat difficult' }, display: 'Somewhat difficult' },
  { value: 2, code: { system: LOINC, code: 'LA6575-0', display: 'Very difficult' }, display: 'Very difficult' },
  { value: 3, code: { system: LOINC, code: 'LA6574-3', display: 'Extremely difficult' }, display: 'Extremely difficult' },
];

/**
 * PHQ-9: nine items scored 0–3, total 0–27; bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19
 * moderately severe, 20–27 severe (Kroenke 2001); item 9 above 0 is a crisis indicator; the
 * difficulty question (69722-7) is asked but not scored. Never prorated (no source verified).
 *
 * @example
 * scoreRange(PHQ_9); // { min: 0, max: 27 }
 */
export const PHQ_9: InstrumentDefinition = {
  id: 'phq-9',
  title: 'Patient Health Questionnaire-9 (PHQ-9)',
  name: 'PHQ9',
  version: '1.0.0',
  stem: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  panelCode: { system: LOINC, code: '44249-1', display: 'PHQ-9 quick depression assessment panel [Reported.PHQ]' },
  totalCode: { system: LOINC, code: '44261-6', display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]' },
  ...PHQ_FAMILY,
  items: [
    phqItem('44250-9', 'Little interest or pleasure in doing things', 'Interest or pleasure'),
    phqItem('44255-8', 'Feeling down, depressed, or hopeless', 'Feeling down'),
    phqItem('44259-0', 'Trouble falling or staying asleep, or sleeping too much', 'Sleep'),
    phqItem('44254-1', 'Feeling tired or having little energy', 'Energy'),
    phqItem('44251-7', 'Poor appetite or overeating', 'Appetite'),
    phqItem('44258-2', 'Feeling bad about yourself — or that you are a failure or have let yourself or your family down', 'Feeling bad about oneself'),
    phqItem('44252-5', 'Trouble concentrating on things, such as reading the newspaper or watching television', 'Concentration'),
    phqItem(
      '44253-3',
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
      'Moving or speaking',
    ),
    phqItem('44260-8', 'Thoughts that you would be better off dead, or of hurting yourself in some way', 'Thoughts of death or self-harm', { crisisAtOrAbove: 1 }),
    phqItem(
      '69722-7',
      'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
      'Difficulty',
      { scored: false, answers: DIFFICULTY_ANSWERS },
    ),
  ],
  bands: [
    ...PHQ_LOWER_BANDS,
    { code: 'moderately-severe', label: 'Moderately severe (15–19)', min: 15, max: 19 },
    { code: 'severe', label: 'Severe (20–27)', min: 20, max: 27 },
  ],
  sources: ['phq9-severity', 'phq-licence', 'loinc-phq9', 'loinc-phq9-total', 'phq9-item9', 'phq9-prorating'],
};
