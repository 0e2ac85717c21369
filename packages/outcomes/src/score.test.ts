import fc from 'fast-check';
import type { QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { allAt, responseOf } from './__fixtures__/fhir';
import { defineInstrument, type InstrumentDefinition } from './instrument';
import { BARC_10 } from './instruments/barc-10';
import { GAD_7 } from './instruments/gad-7';
import { PHQ_9 } from './instruments/phq-9';
import { scoreQuestionnaireResponse } from './score';

const PHQ_ITEM_9 = '44260-8';
const codes = (result: { issues: readonly { code: string }[] }): string[] => result.issues.map((i) => i.code);

describe('scoreQuestionnaireResponse', () => {
  it.each([
    ['PHQ-9 all 0', PHQ_9, allAt(PHQ_9, 0), 0, 'minimal'],
    ['PHQ-9 all 1 (item 9 at 0)', PHQ_9, { ...allAt(PHQ_9, 1), [PHQ_ITEM_9]: 0 }, 8, 'mild'],
    ['PHQ-9 all 3', PHQ_9, allAt(PHQ_9, 3), 27, 'severe'],
    ['GAD-7 all 2', GAD_7, allAt(GAD_7, 2), 14, 'moderate'],
    ['GAD-7 all 3', GAD_7, allAt(GAD_7, 3), 21, 'severe'],
    ['BARC-10 all 1', BARC_10, allAt(BARC_10, 1), 10, 'below-cutoff'],
    ['BARC-10 at the cut-off 47', BARC_10, { ...allAt(BARC_10, 5), 'barc10-1': 2 }, 47, 'at-or-above-cutoff'],
    ['BARC-10 all 6', BARC_10, allAt(BARC_10, 6), 60, 'at-or-above-cutoff'],
  ] as const)('%s: total %i, band %s', (_, instrument, values, total, band) => {
    const result = scoreQuestionnaireResponse(responseOf(instrument, values), instrument);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ instrumentId: instrument.id, total, band: { code: band }, prorated: false, responseId: `qr-${instrument.id}-1` });
    expect(result.value.subject).toEqual({ reference: 'Patient/ehr-1' });
  });

  it('reads whole-number answers, US Core linkIds (/44250-9) and items nested in groups', () => {
    const base = responseOf(PHQ_9, allAt(PHQ_9, 1));
    const nested: QuestionnaireResponse = {
      ...base,
      item: [{ linkId: 'group', item: (base.item ?? []).map((i) => ({ linkId: `/${i.linkId}`, answer: [{ valueInteger: 2 }] })) }],
    };
    const result = scoreQuestionnaireResponse(nested, PHQ_9);
    expect(result.ok && result.value.total).toBe(18);
  });

  it('reports the unscored difficulty answer but leaves it out of the total', () => {
    const result = scoreQuestionnaireResponse(responseOf(PHQ_9, { ...allAt(PHQ_9, 0), '69722-7': 3 }), PHQ_9);
    expect(result.ok && result.value.total).toBe(0);
    expect(result.ok && result.value.items.find((i) => i.linkId === '69722-7')?.value).toBe(3);
  });

  it.each([
    ['a scored item is unanswered', responseOf(PHQ_9, { ...allAt(PHQ_9, 1), '44251-7': undefined } as never), 'outcomes.item-unanswered'],
    ['an answer code is not on the scale', withAnswer(responseOf(GAD_7, allAt(GAD_7, 1)), 0, { valueCoding: { system: 'http://loinc.org', code: 'LA6572-7' } }), 'outcomes.answer-out-of-range'],
    ['a whole number is off the scale', withAnswer(responseOf(GAD_7, allAt(GAD_7, 1)), 0, { valueInteger: 4 }), 'outcomes.answer-out-of-range'],
    ['an answer is text', withAnswer(responseOf(GAD_7, allAt(GAD_7, 1)), 0, { valueString: 'often' }), 'outcomes.answer-invalid-type'],
    ['an answer is a fraction', withAnswer(responseOf(GAD_7, allAt(GAD_7, 1)), 0, { valueDecimal: 1.5 }), 'outcomes.answer-invalid-type'],
    ['an item has two answers', withAnswers(responseOf(GAD_7, allAt(GAD_7, 1)), 0, [{ valueInteger: 1 }, { valueInteger: 2 }]), 'outcomes.answer-multiple'],
    ['an item is answered twice', duplicateFirst(responseOf(GAD_7, allAt(GAD_7, 1))), 'outcomes.item-duplicate'],
    ['the response is in progress', responseOf(GAD_7, allAt(GAD_7, 1), { status: 'in-progress' }), 'outcomes.response-status'],
    ['the response was entered in error', responseOf(GAD_7, allAt(GAD_7, 1), { status: 'entered-in-error' }), 'outcomes.response-status'],
  ])('gives no score when %s', (_, response, code) => {
    const result = scoreQuestionnaireResponse(response, response.questionnaire?.includes('phq') ? PHQ_9 : GAD_7);
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain(code);
  });

  it('names fields and linkIds in its messages, never an answer', () => {
    const result = scoreQuestionnaireResponse(withAnswer(responseOf(GAD_7, allAt(GAD_7, 1)), 0, { valueString: 'I feel awful' }), GAD_7);
    expect(JSON.stringify(result.issues)).not.toContain('awful');
  });

  it.each([
    ['an unknown linkId', { item: [...(responseOf(GAD_7, allAt(GAD_7, 0)).item ?? []), { linkId: 'mood-today', answer: [{ valueInteger: 1 }] }] }, 'outcomes.item-unknown'],
    ['another Questionnaire', { questionnaire: 'https://example.org/Questionnaire/other' }, 'outcomes.questionnaire-mismatch'],
    ['no authored date', { authored: undefined }, 'outcomes.authored-missing'],
    ['no subject', { subject: undefined }, 'outcomes.subject-missing'],
  ])('scores with a warning for %s', (_, extra, code) => {
    const response = JSON.parse(JSON.stringify({ ...responseOf(GAD_7, allAt(GAD_7, 0)), ...extra })) as unknown;
    const result = scoreQuestionnaireResponse(response, GAD_7);
    expect(result.ok).toBe(true);
    expect(result.issues.find((i) => i.code === code)?.severity).toBe('warning');
  });

  it.each([null, 'x', 3, [], {}, { resourceType: 'Observation' }, { resourceType: 'QuestionnaireResponse', item: 'x' }])('rejects %j as not a QuestionnaireResponse', (input) => {
    expect(codes(scoreQuestionnaireResponse(input, PHQ_9))).toEqual(['outcomes.response-invalid']);
  });

  describe('PHQ-9 item 9 (crisis indicator)', () => {
    it.each([
      [0, false],
      [1, true],
      [2, true],
      [3, true],
    ])('an item-9 answer of %i is a crisis indicator: %s', (value, crisis) => {
      const result = scoreQuestionnaireResponse(responseOf(PHQ_9, { ...allAt(PHQ_9, 0), [PHQ_ITEM_9]: value }), PHQ_9);
      const found = result.issues.filter((i) => i.code === 'crisis.instrument-item');
      expect(found).toHaveLength(crisis ? 1 : 0);
      if (crisis) expect(found[0]).toMatchObject({ severity: 'warning', category: 'crisis-follow-up', rule: 'crisis.instrument-item', path: ['item', 8, 'answer', 0] });
      expect(result.ok && result.value.crisisItems).toEqual(crisis ? [PHQ_ITEM_9] : []);
    });

    it('is reported even when the response cannot be scored', () => {
      const result = scoreQuestionnaireResponse(responseOf(PHQ_9, { [PHQ_ITEM_9]: 2 }), PHQ_9);
      expect(result.ok).toBe(false);
      expect(codes(result)).toContain('crisis.instrument-item');
      expect(codes(result)).toContain('outcomes.item-unanswered');
    });
  });

  describe("a program instrument's prorating", () => {
    const prorated = (): InstrumentDefinition => {
      const result = defineInstrument({
        id: 'program-4',
        title: 'Program four',
        name: 'ProgramFour',
        version: '1',
        totalCode: { system: 'https://example.org/codes', code: 'p4' },
        answers: [0, 1, 2, 3].map((value) => ({ value, display: String(value) })),
        items: ['a', 'b', 'c', 'd'].map((linkId) => ({ linkId, text: linkId, textSource: 'published', label: linkId })),
        scoring: { prorate: { maxMissing: 1, source: 'Program manual §3: one missing item may be prorated' } },
        higherIsBetter: false,
        bands: [{ code: 'all', label: 'All', min: 0, max: 12 }],
        licence: 'Owned by the program.',
        sources: ['Program manual'],
      });
      if (!result.ok) throw new Error('fixture');
      return result.value;
    };

    it('prorates one missing item with a warning citing the source', () => {
      const instrument = prorated();
      const result = scoreQuestionnaireResponse(responseOf(instrument, { a: 3, b: 2, c: 3 }), instrument);
      expect(result.ok && result.value).toMatchObject({ total: 11, prorated: true, answered: 3 });
      expect(result.issues.find((i) => i.code === 'outcomes.score-prorated')?.source).toContain('Program manual');
      expect(result.issues.find((i) => i.code === 'outcomes.item-unanswered')?.severity).toBe('warning');
    });

    it('does not prorate past its limit', () => {
      const instrument = prorated();
      expect(scoreQuestionnaireResponse(responseOf(instrument, { a: 3, b: 2 }), instrument).ok).toBe(false);
    });

    it('never prorates the shipped PHQ-9', () => {
      const result = scoreQuestionnaireResponse(responseOf(PHQ_9, { ...allAt(PHQ_9, 1), '44251-7': undefined } as never), PHQ_9);
      expect(result.ok).toBe(false);
    });
  });

  it('never throws, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        scoreQuestionnaireResponse(input, PHQ_9);
        scoreQuestionnaireResponse({ resourceType: 'QuestionnaireResponse', status: 'completed', item: input }, BARC_10);
      }),
    );
  });

  it('totals any complete set of answers as their sum, inside a band (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 10, maxLength: 10 }), (values) => {
        const answers = Object.fromEntries(BARC_10.items.map((item, i) => [item.linkId, values[i] ?? 1]));
        const result = scoreQuestionnaireResponse(responseOf(BARC_10, answers), BARC_10);
        const sum = values.reduce((a, b) => a + b, 0);
        return result.ok && result.value.total === sum && result.value.band.min <= sum && sum <= result.value.band.max;
      }),
    );
  });

  it('does not change the response', () => {
    const response = responseOf(PHQ_9, allAt(PHQ_9, 2));
    const before = JSON.stringify(response);
    scoreQuestionnaireResponse(response, PHQ_9);
    expect(JSON.stringify(response)).toBe(before);
  });
});

function withAnswers(response: QuestionnaireResponse, index: number, answers: unknown[]): QuestionnaireResponse {
  return { ...response, item: (response.item ?? []).map((item, i) => (i === index ? { ...item, answer: answers as never } : item)) };
}

function withAnswer(response: QuestionnaireResponse, index: number, answer: unknown): QuestionnaireResponse {
  return withAnswers(response, index, [answer]);
}

function duplicateFirst(response: QuestionnaireResponse): QuestionnaireResponse {
  const first = response.item?.[0];
  return first ? { ...response, item: [...(response.item ?? []), { ...first }] } : response;
}
