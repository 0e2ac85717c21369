/**
 * An instrument as a FHIR R4 Questionnaire: one `choice` item per instrument item, each answer a
 * coded option carrying its score in the R4 `ordinalValue` extension, the panel code, copyright and
 * licence. What a host renders or sends to a forms engine.
 *
 * See: https://hl7.org/fhir/R4/questionnaire.html
 */
import { PEERKIT_CANONICAL } from '@peerkit/fhir';
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4';
import { LOINC, ORDINAL_VALUE_EXTENSION, OUTCOME_SYSTEMS } from './codes';
import { answersOf, type InstrumentDefinition } from './instrument';

/** Options of {@link toFhirQuestionnaire}. */
export interface QuestionnaireOptions {
  /** Canonical base of the Questionnaire URL. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
  /**
   * Item text by linkId, replacing the instrument's: a program that holds the published BARC-10
   * wording passes it here. Default: the instrument's text (BARC-10: PeerKit's paraphrased labels).
   */
  itemText?: Readonly<Record<string, string>>;
  /** Questionnaire.status. Default `active`. */
  status?: Questionnaire['status'];
}

/**
 * The canonical URL of an instrument's Questionnaire: `<canonicalBase>/Questionnaire/<id>`.
 *
 * @param instrument - the instrument
 * @param canonicalBase - default `https://peerkit.dev/fhir`
 * @example
 * questionnaireUrl(PHQ_9); // 'https://peerkit.dev/fhir/Questionnaire/phq-9'
 */
export function questionnaireUrl(instrument: InstrumentDefinition, canonicalBase: string = PEERKIT_CANONICAL): string {
  return `${canonicalBase.replace(/\/+$/, '')}/Questionnaire/${instrument.id}`;
}

/**
 * Whether a `QuestionnaireResponse.questionnaire` canonical names an instrument: its PeerKit URL (any
 * version), any URL ending in `/Questionnaire/<id>`, or LOINC's form URL of its panel code.
 *
 * @param canonical - the response's `questionnaire`
 * @param instrument - the instrument
 * @param canonicalBase - default `https://peerkit.dev/fhir`
 */
export function matchesInstrument(canonical: string, instrument: InstrumentDefinition, canonicalBase: string = PEERKIT_CANONICAL): boolean {
  const url = canonical.split('|')[0] ?? canonical;
  if (url === questionnaireUrl(instrument, canonicalBase) || url.endsWith(`/Questionnaire/${instrument.id}`)) return true;
  return instrument.panelCode?.system === LOINC && url === `${LOINC}/q/${instrument.panelCode.code}`;
}

/**
 * Builds the FHIR R4 Questionnaire of an instrument. Answers without a code of their own get
 * `<instrument>.<value>` in PeerKit's answer CodeSystem.
 *
 * @param instrument - e.g. `PHQ_9`
 * @param options - canonical base, replacement item text, status
 * @returns a Questionnaire (same input, same output)
 * @example
 * const q = toFhirQuestionnaire(PHQ_9);
 * q.item?.[9]?.code?.[0]?.code; // '44260-8' (item 9)
 * See: https://hl7.org/fhir/R4/questionnaire.html
 */
export function toFhirQuestionnaire(instrument: InstrumentDefinition, options: QuestionnaireOptions = {}): Questionnaire {
  const items: QuestionnaireItem[] = [];
  if (instrument.stem !== undefined) items.push({ linkId: 'stem', type: 'display', text: instrument.stem });
  for (const item of instrument.items) {
    const out: QuestionnaireItem = {
      linkId: item.linkId,
      text: options.itemText?.[item.linkId] ?? item.text,
      type: 'choice',
      required: item.scored,
      repeats: false,
      answerOption: answersOf(instrument, item).map((answer) => ({
        extension: [{ url: ORDINAL_VALUE_EXTENSION, valueDecimal: answer.value }],
        valueCoding: answer.code ?? { system: OUTCOME_SYSTEMS.answer, code: `${instrument.id}.${answer.value}`, display: answer.display },
      })),
    };
    if (item.code) out.code = [{ ...item.code }];
    items.push(out);
  }
  const questionnaire: Questionnaire = {
    resourceType: 'Questionnaire',
    id: instrument.id,
    url: questionnaireUrl(instrument, options.canonicalBase),
    version: instrument.version,
    name: instrument.name,
    title: instrument.title,
    status: options.status ?? 'active',
    subjectType: ['Patient'],
    description: instrument.licence,
    item: items,
  };
  if (instrument.panelCode) questionnaire.code = [{ ...instrument.panelCode }];
  if (instrument.copyright) questionnaire.copyright = instrument.copyright;
  return questionnaire;
}
