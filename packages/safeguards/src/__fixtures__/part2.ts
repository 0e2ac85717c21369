/**
 * Synthetic data for the Part 2 duties tests (ledger, accounting, notice, SUD counseling notes,
 * restrictions, breach scope): Part 2 resources, a SUD counseling note, consents naming counseling
 * notes in PeerKit's and Consent2Share's shapes, and a request builder. No real people.
 */
import type { Consent, ConsentProvision, DocumentReference, Encounter, Identifier } from 'fhir/r4';
import { parseDisclosureRequest, type DisclosureRequest } from '../consent/request';
import { securityLabelsFor } from '../disclosure/security-labels';
import { SUD_COUNSELING_NOTES } from '../part2/counseling-notes';
import { consent, label, NPI, NPI_A, PATIENT, peerkitPart2Disclosure, purpose, resourceClass } from './consents';

export const PART2_LABELS = securityLabelsFor({ programType: 'substance-use' });
export const MH_LABELS = securityLabelsFor({ programType: 'mental-health' });
/** The author of the counseling note (a synthetic NPI-shaped number). */
export const NPI_AUTHOR: Identifier = { system: NPI, value: '1000000038' };
export const AUTHOR_REF = 'Practitioner/pr-author';
const COUNSELING = { system: SUD_COUNSELING_NOTES.system as string, code: SUD_COUNSELING_NOTES.code };

export const sudNote = (id = 'doc-sud'): DocumentReference => ({
  resourceType: 'DocumentReference',
  id,
  meta: { security: PART2_LABELS },
  status: 'current',
  subject: { reference: PATIENT },
  author: [{ reference: AUTHOR_REF, identifier: NPI_AUTHOR }],
  date: '2026-03-02T10:00:00Z',
  content: [{ attachment: { contentType: 'text/plain', data: 'U1lOVEhFVElDIG5vdGU=' } }],
});

export const mhNote = (id = 'doc-mh'): DocumentReference => ({ ...sudNote(id), meta: { security: MH_LABELS } });

/** A SUD counseling note: Part 2 labels, and the counseling-note code as its category. */
export const counselingNote = (id = 'doc-counseling'): DocumentReference => ({
  ...sudNote(id),
  category: [{ coding: [COUNSELING] }],
});

export const sudEncounter = (id = 'enc-sud'): Encounter => ({
  resourceType: 'Encounter',
  id,
  meta: { security: PART2_LABELS },
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: PATIENT },
  period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:45:00Z' },
});

/** PeerKit style: counseling notes only, to recipient A, for treatment (Part 2 policy URI). */
export function counselingOnly(codes: { system: string; code: string }[] = [COUNSELING]): Consent {
  const base = peerkitPart2Disclosure();
  const { class: _resourceTypes, ...provision } = base.provision as ConsentProvision;
  return { ...base, id: 'pk-counseling', provision: { ...provision, purpose: [purpose('TREAT')], code: [{ coding: codes }] } };
}

/** Counseling notes combined with progress notes in one consent (§2.31(b)(2) forbids it). */
export function counselingCombined(): Consent {
  return { ...counselingOnly([COUNSELING, { system: COUNSELING.system, code: 'progress-notes' }]), id: 'pk-counseling-combined' };
}

/** Consent2Share style: base deny for the recipient, except (untyped nested provision) SUD-labelled counseling notes. */
export function c2sCounseling(): Consent {
  return {
    ...consent({
      id: 'c2s-counseling',
      dateTime: '2026-01-12',
      provision: {
        type: 'deny',
        period: { start: '2026-01-12', end: '2027-01-11' },
        actor: [{ role: { coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'IRCP' }] }, reference: { identifier: NPI_A } }],
        purpose: [purpose('TREAT', 'http://hl7.org/fhir/v3/ActReason')],
        provision: [{ securityLabel: [label('SUD', 'http://hl7.org/fhir/v3/ActCode')], code: [{ coding: [COUNSELING] }] }],
      },
    }),
    // Consent2Share's STU3-era URIs.
    scope: { coding: [{ system: 'http://hl7.org/fhir/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'IDSCL' }] }],
  };
}

/** A consent with no counseling-note codes: TPO-like, classes only. */
export function notCounseling(): Consent {
  return consent({ id: 'pk-plain', policyUri: true, provision: { type: 'permit', purpose: [purpose('TREAT')], class: [resourceClass('DocumentReference')] } });
}

/** A parsed request for the synthetic patient, dated 2026-05-01. */
export function part2Request(input: Record<string, unknown> = {}): DisclosureRequest {
  const r = parseDisclosureRequest({ patient: { reference: PATIENT }, date: '2026-05-01', ...input });
  if (!r.ok) throw new Error(`invalid request: ${r.issues.map((i) => i.code).join(', ')}`);
  return r.value;
}
