import { describe, expect, it } from 'vitest';
import { diagnosisRangeOf } from './codes';
import { fillPrefetchTemplate, resolvePrefetch } from './prefetch';

describe('fillPrefetchTemplate', () => {
  it.each([
    ['context token', 'Patient/{{context.patientId}}', 'Patient/p1'],
    ['two tokens', 'Condition?patient={{context.patientId}}&encounter={{ context.encounterId }}', 'Condition?patient=p1&encounter=e1'],
    ['user token from userId', 'PractitionerRole?practitioner={{userPractitionerId}}', 'PractitionerRole?practitioner=pr1'],
    ['a missing context field', 'Encounter/{{context.appointmentId}}', undefined],
    ['a user token of another type', 'Patient/{{userPatientId}}', undefined],
  ])('%s', (_name, template, expected) => {
    expect(fillPrefetchTemplate(template, { patientId: 'p1', encounterId: 'e1', userId: 'Practitioner/pr1' })).toBe(expected);
  });
});

describe('resolvePrefetch', () => {
  it('keeps prefetched keys, treats null as no data, and reports keys it cannot fetch without a fhirServer', async () => {
    const request = { hook: 'patient-view', hookInstance: 'x', context: { patientId: 'p1' }, prefetch: { patient: { resourceType: 'Patient', id: 'p1' }, conditions: null } };
    const result = await resolvePrefetch(request, { patient: 'Patient/{{context.patientId}}', conditions: 'Condition?patient={{context.patientId}}', consents: 'Consent?patient={{context.patientId}}' });
    expect(result.data).toEqual({ patient: [{ resourceType: 'Patient', id: 'p1' }], conditions: [], consents: [] });
    expect(result.missing).toEqual(['consents']);
  });

  it('refuses a plain-http fhirServer that is not loopback, without sending the token', async () => {
    const request = { hook: 'patient-view', hookInstance: 'x', fhirServer: 'http://ehr.example.org/fhir', context: { patientId: 'p1' } };
    const result = await resolvePrefetch(request, { patient: 'Patient/{{context.patientId}}' });
    expect(result.missing).toEqual(['patient']);
    expect(result.issues.map((i) => i.code)).toEqual(['cds.fhir-server-refused']);
  });
});

describe('diagnosisRangeOf', () => {
  it.each([
    ['F11.20', 'substance-use'],
    ['F1020', 'substance-use'],
    ['f19.9', 'substance-use'],
    ['F32.A', 'mental-health'],
    ['F43.10', 'mental-health'],
    ['T40.1X1A', 'overdose'],
    ['F50.0', undefined],
    ['F09', undefined],
    ['Z71.41', undefined],
    ['', undefined],
  ])('%s → %s', (code, kind) => {
    expect(diagnosisRangeOf(code)?.kind).toBe(kind);
  });
});
