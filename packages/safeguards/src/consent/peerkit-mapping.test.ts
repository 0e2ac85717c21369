/**
 * Consents mapped from generated clinic records by @peerkit/fhir's `toFhirConsent`, evaluated by
 * the engine: what the generator's consents allow must match what the records say.
 */
import { createFhirContext, toFhirConsent } from '@peerkit/fhir';
import { generateClinic, type Consent } from '@peerkit/model';
import type { Consent as FhirConsent } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { decideConsent } from './decide';
import { checkPart2Consent, checkPart2FhirConsent } from './part2-completeness';
import { parseDisclosureRequest } from './request';

const clinic = generateClinic({ seed: 11, peers: 160, weeks: 8 });
const ctx = createFhirContext(clinic.records);
const records = clinic.records.filter((r): r is Consent => r.kind === 'consent');
const mapped = records.flatMap((c) => {
  const fhir = ctx ? toFhirConsent(c, ctx) : undefined;
  return fhir ? [{ record: c, fhir }] : [];
});
const DATE = '2026-02-20';
const DATA_CATEGORY = 'https://peerkit.dev/fhir/CodeSystem/data-category';
const SUD_PART2 = [
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' },
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2' },
];
const STRANGER = { system: 'http://hl7.org/fhir/sid/us-npi', value: '1999999992' };

function inForce(c: Consent): boolean {
  const signed = c.signature?.signedAt.slice(0, 10);
  const end = [c.period.end, c.expiration?.date].filter((d): d is string => d !== undefined).sort()[0];
  return c.status === 'active' && signed !== undefined && signed <= DATE && c.period.start <= DATE && (end === undefined || DATE <= end);
}

function ask(fhir: FhirConsent, input: Record<string, unknown>) {
  const request = parseDisclosureRequest({ patient: fhir.patient?.reference ? { reference: fhir.patient.reference } : { identifier: fhir.patient?.identifier }, date: DATE, ...input });
  if (!request.ok) throw new Error(JSON.stringify(request.issues));
  return decideConsent([fhir], request.value, { now: DATE });
}

describe('decideConsent over consents mapped by toFhirConsent', () => {
  it('has consents of every kind and status to evaluate', () => {
    expect(ctx).toBeDefined();
    expect(new Set(mapped.map((m) => m.record.consentKind)).size).toBe(3);
    expect(new Set(mapped.map((m) => m.fhir.status))).toEqual(new Set(['active', 'inactive', 'draft', 'rejected']));
  });

  it('permits Part 2 data under an in-force single TPO consent to any treating provider', () => {
    const tpo = mapped.filter(
      (m) => m.record.consentKind === 'part2-tpo' && inForce(m.record) && ['treatment', 'payment', 'operations'].every((p) => m.record.purposes.includes(p as never)),
    );
    expect(tpo.length).toBeGreaterThan(0);
    for (const { record, fhir } of tpo) {
      const named = record.recipients.find((r) => r.identifier !== undefined)?.identifier;
      const actor = named ?? STRANGER;
      const result = ask(fhir, { actor: [actor], purposeOfUse: ['TREAT'], securityLabel: SUD_PART2, code: [{ system: DATA_CATEGORY, code: 'progress-notes' }] });
      expect({ id: record.id, decision: result.decision }).toEqual({ id: record.id, decision: 'PERMIT' });
      expect(result.obligations.map((o) => o.kind)).toEqual(['attach-notice']);
      if (named) expect(ask(fhir, { actor: [STRANGER], purposeOfUse: ['TREAT'], securityLabel: SUD_PART2 }).decision).not.toBe('PERMIT');
    }
  });

  it('never permits under a revoked, draft, declined or expired consent', () => {
    const out = mapped.filter((m) => !inForce(m.record));
    expect(out.length).toBeGreaterThan(0);
    for (const { record, fhir } of out) {
      const actor = record.recipients.find((r) => r.identifier !== undefined)?.identifier ?? STRANGER;
      const purposes = record.purposes.map((p) => ({ treatment: 'TREAT', payment: 'HPAYMT', operations: 'HOPERAT', 'care-coordination': 'COC', 'patient-request': 'PATRQT', research: 'HRESCH' })[p]);
      expect(ask(fhir, { actor: [actor], purposeOfUse: purposes }).decision).not.toBe('PERMIT');
    }
  });

  it('never releases Part 2 data to a recipient the consent names only by display text', () => {
    const disclosures = mapped.filter((m) => m.record.consentKind === 'part2-disclosure' && inForce(m.record));
    for (const { fhir } of disclosures) {
      const result = ask(fhir, { actor: [STRANGER], purposeOfUse: ['COC'], securityLabel: SUD_PART2 });
      expect(result.decision).not.toBe('PERMIT');
    }
  });

  it('finds the same missing §2.31 elements in a mapped consent as in its record', () => {
    const part2 = mapped.filter((m) => m.record.consentKind !== 'hipaa-authorization');
    expect(part2.length).toBeGreaterThan(0);
    for (const { record, fhir } of part2) {
      const fromRecord = checkPart2Consent(record).issues.filter((i) => i.code !== 'part2.redisclosure-notice-missing').map((i) => i.code);
      const fromFhir = checkPart2FhirConsent(fhir).issues.filter((i) => i.severity !== 'information').map((i) => i.code);
      expect({ id: record.id, missing: [...fromFhir].sort() }).toEqual({ id: record.id, missing: [...fromRecord].sort() });
    }
  });
});
