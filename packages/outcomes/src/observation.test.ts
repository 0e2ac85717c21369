import { part2Labels } from '@peerkit/fhir';
import { describe, expect, it } from 'vitest';
import { allAt, r4Errors, responseOf } from './__fixtures__/fhir';
import { BARC_10 } from './instruments/barc-10';
import { GAD_7 } from './instruments/gad-7';
import { PHQ_9 } from './instruments/phq-9';
import type { InstrumentDefinition } from './instrument';
import { toScoreObservation } from './observation';
import { scoreQuestionnaireResponse, type InstrumentScore } from './score';

function scored(instrument: InstrumentDefinition, value: number, extra = {}): InstrumentScore {
  const result = scoreQuestionnaireResponse(responseOf(instrument, allAt(instrument, value), extra), instrument);
  if (!result.ok) throw new Error('fixture');
  return result.value;
}

describe('toScoreObservation', () => {
  it.each([
    ['phq-9', 'http://loinc.org', '44261-6', PHQ_9, 2, 18, 'phq-9.moderately-severe'],
    ['gad-7', 'http://loinc.org', '70274-6', GAD_7, 1, 7, 'gad-7.mild'],
    ['barc-10', 'https://peerkit.dev/fhir/CodeSystem/outcome-instrument', 'barc-10-total', BARC_10, 5, 50, 'barc-10.at-or-above-cutoff'],
  ] as const)('%s: writes the total under %s|%s, valid FHIR R4', (_, system, code, instrument, value, total, band) => {
    const obs = toScoreObservation(scored(instrument, value), instrument, { planId: 'plan-1' });
    expect(obs).toBeDefined();
    if (!obs) return;
    expect(r4Errors(obs)).toEqual([]);
    expect(obs.code.coding?.[0]).toMatchObject({ system, code });
    expect(obs.valueQuantity).toEqual({ value: total, unit: '{score}', system: 'http://unitsofmeasure.org', code: '{score}' });
    expect(obs.interpretation?.[0]?.coding?.[0]?.code).toBe(band);
    expect(obs.category?.[0]?.coding?.[0]?.code).toBe('survey');
  });

  it('links the response, the host patient and the recovery plan', () => {
    const obs = toScoreObservation(scored(PHQ_9, 1), PHQ_9, { planId: 'plan-7' });
    expect(obs).toMatchObject({
      id: 'sc-phq-9.qr-phq-9-1',
      status: 'final',
      subject: { reference: 'Patient/ehr-1' },
      derivedFrom: [{ reference: 'QuestionnaireResponse/qr-phq-9-1' }],
      basedOn: [{ reference: 'CarePlan/cp-plan-7' }],
      effectiveDateTime: '2026-03-02T10:00:00-05:00',
    });
  });

  it('takes the subject, response reference, performer and Part 2 labels it is given', () => {
    const obs = toScoreObservation(scored(BARC_10, 3), BARC_10, {
      subject: { identifier: { system: 'https://ehr.example.org/mrn', value: 'MRN-1' } },
      derivedFrom: { reference: 'QuestionnaireResponse/host-77' },
      performer: [{ reference: 'Practitioner/pr-s1' }],
      security: part2Labels(),
    });
    expect(obs?.subject).toEqual({ identifier: { system: 'https://ehr.example.org/mrn', value: 'MRN-1' } });
    expect(obs?.derivedFrom).toEqual([{ reference: 'QuestionnaireResponse/host-77' }]);
    expect(obs?.meta?.security?.some((c) => c.code === '42CFRPart2')).toBe(true);
    expect(obs && r4Errors(obs)).toEqual([]);
  });

  it('is undefined without a subject, and marks an amended response amended', () => {
    expect(toScoreObservation(scored(GAD_7, 0, { subject: undefined }), GAD_7)).toBeUndefined();
    expect(toScoreObservation(scored(GAD_7, 0, { status: 'amended' }), GAD_7)?.status).toBe('amended');
  });

  it('hashes an id that would be longer than 64 characters into a UUID', () => {
    const obs = toScoreObservation(scored(GAD_7, 0, { id: 'x'.repeat(60) }), GAD_7);
    expect(obs?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
