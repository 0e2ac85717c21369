import { describe, expect, it } from 'vitest';
import { r4Errors } from './__fixtures__/fhir';
import { ORDINAL_VALUE_EXTENSION } from './codes';
import { BARC_10 } from './instruments/barc-10';
import { PHQ_9 } from './instruments/phq-9';
import { INSTRUMENTS } from './instruments';
import { matchesInstrument, questionnaireUrl, toFhirQuestionnaire } from './questionnaire';

describe('toFhirQuestionnaire', () => {
  it.each(INSTRUMENTS.map((i) => [i.id, i] as const))('%s is valid FHIR R4 (Medplum validator)', (_, instrument) => {
    expect(r4Errors(toFhirQuestionnaire(instrument))).toEqual([]);
  });

  it('gives each answer its score as an ordinalValue and keeps the LOINC answer codes', () => {
    const q = toFhirQuestionnaire(PHQ_9);
    const item9 = q.item?.find((i) => i.linkId === '44260-8');
    expect(item9?.required).toBe(true);
    expect(item9?.answerOption?.map((o) => [o.valueCoding?.code, o.extension?.[0]?.url, o.extension?.[0]?.valueDecimal])).toEqual([
      ['LA6568-5', ORDINAL_VALUE_EXTENSION, 0],
      ['LA6569-3', ORDINAL_VALUE_EXTENSION, 1],
      ['LA6570-1', ORDINAL_VALUE_EXTENSION, 2],
      ['LA6571-9', ORDINAL_VALUE_EXTENSION, 3],
    ]);
    expect(q.item?.[0]).toMatchObject({ linkId: 'stem', type: 'display' });
    expect(q.code?.[0]?.code).toBe('44249-1');
    expect(q.copyright).toContain('Pfizer');
  });

  it('marks the unscored difficulty question as not required', () => {
    expect(toFhirQuestionnaire(PHQ_9).item?.find((i) => i.linkId === '69722-7')?.required).toBe(false);
  });

  it("takes a program's own item text (the published BARC-10 wording it holds) over PeerKit's labels", () => {
    const q = toFhirQuestionnaire(BARC_10, { itemText: { 'barc10-1': 'Wording the program licensed' } });
    expect(q.item?.find((i) => i.linkId === 'barc10-1')?.text).toBe('Wording the program licensed');
    expect(q.item?.find((i) => i.linkId === 'barc10-2')?.text).toBe(BARC_10.items[1]?.text);
  });

  it('puts the URL under the canonical base and does not change the instrument', () => {
    const before = JSON.stringify(PHQ_9);
    expect(toFhirQuestionnaire(PHQ_9, { canonicalBase: 'https://ehr.example.org/fhir/' }).url).toBe('https://ehr.example.org/fhir/Questionnaire/phq-9');
    expect(JSON.stringify(PHQ_9)).toBe(before);
  });
});

describe('matchesInstrument', () => {
  it.each([
    [questionnaireUrl(PHQ_9), true],
    [`${questionnaireUrl(PHQ_9)}|1.0.0`, true],
    ['http://hl7.org/fhir/us/core/Questionnaire/phq-9', true],
    ['http://loinc.org/q/44249-1', true],
    ['http://loinc.org/q/69737-5', false],
    [questionnaireUrl(BARC_10), false],
  ])('%s names the PHQ-9: %s', (url, expected) => {
    expect(matchesInstrument(url, PHQ_9)).toBe(expected);
  });
});
