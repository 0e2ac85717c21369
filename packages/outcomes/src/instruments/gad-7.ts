/**
 * GAD-7, the seven-item anxiety scale of the PHQ family, with its published wording (free to
 * reproduce), LOINC codes and severity bands.
 *
 * See: OUTCOME_SOURCES 'gad7-severity', 'phq-licence', 'loinc-gad7'
 */
import { LOINC } from '../codes';
import type { InstrumentDefinition } from '../instrument';
import { PHQ_FAMILY, PHQ_LOWER_BANDS, phqItem } from './phq-9';

/**
 * GAD-7: seven items scored 0–3, total 0–21; bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21
 * severe (Spitzer 2006). The difficulty question is not shipped (its LOINC code was not verified):
 * a response that carries it gets an `outcomes.item-unknown` warning. Never prorated.
 *
 * @example
 * scoreRange(GAD_7); // { min: 0, max: 21 }
 */
export const GAD_7: InstrumentDefinition = {
  id: 'gad-7',
  title: 'Generalized Anxiety Disorder-7 (GAD-7)',
  name: 'GAD7',
  version: '1.0.0',
  stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  panelCode: { system: LOINC, code: '69737-5', display: 'Generalized anxiety disorder 7 item (GAD-7)' },
  totalCode: { system: LOINC, code: '70274-6', display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]' },
  ...PHQ_FAMILY,
  items: [
    phqItem('69725-0', 'Feeling nervous, anxious, or on edge', 'Nervous or on edge'),
    phqItem('68509-9', 'Not being able to stop or control worrying', 'Uncontrolled worrying'),
    phqItem('69733-4', 'Worrying too much about different things', 'Worrying too much'),
    phqItem('69734-2', 'Trouble relaxing', 'Trouble relaxing'),
    phqItem('69735-9', 'Being so restless that it is hard to sit still', 'Restlessness'),
    phqItem('69689-8', 'Becoming easily annoyed or irritable', 'Irritability'),
    phqItem('69736-7', 'Feeling afraid, as if something awful might happen', 'Feeling afraid'),
  ],
  bands: [...PHQ_LOWER_BANDS, { code: 'severe', label: 'Severe (15–21)', min: 15, max: 21 }],
  sources: ['gad7-severity', 'phq-licence', 'loinc-gad7', 'phq9-prorating'],
};
