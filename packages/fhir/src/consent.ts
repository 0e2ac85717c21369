/**
 * Consent → FHIR `Consent`: scope patient-privacy, category LOINC 59284-0 + v3-ActCode IDSCL, the
 * 42 CFR Part 2 policy by URI (consentpolicycodes has no Part 2 code), one permit provision with the
 * recipients, purposes, data categories and period.
 *
 * See: fhir-mapping.md §2.4 (Consent resource field mapping; SDOHCC Consent: category IDSCL); 42 CFR
 * §2.31 (elements carried as provision fields or PeerKit extensions).
 */
import {
  CONSENT_KINDS,
  CONSENT_SIGNERS,
  DATA_CATEGORIES,
  RECIPIENT_TYPES,
  SIGNATURE_METHODS,
  type Consent,
  type ConsentPurpose,
  type DataCategory,
} from '@peerkit/model';
import type { Coding, Consent as FhirConsent, Extension } from 'fhir/r4';
import { isPart2Peer, patientReference, type FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, nonEmpty, peerkitCoding, ref, structureUrl } from './internal/build';
import { resourceId } from './internal/ids';
import { compact } from './internal/read';
import { organizationResourceId } from './organization';
import { SYSTEMS } from './systems';

/** Logical id of a consent's `Consent`. */
export const consentResourceId = (consentId: string): string => resourceId('cons', consentId);

/** 42 CFR Part 2 as a policy URI (consentpolicycodes 3.0.1 has no Part 2 code; fhir-mapping.md §2.4). */
export const PART2_POLICY_URI = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';

/** LOINC 59284-0 Patient Consent. Source: R4 consent-category VS (fhir-mapping.md §3). */
export const LOINC_PATIENT_CONSENT = { system: SYSTEMS.loinc, code: '59284-0', display: 'Patient Consent' } as const;

/** v3-ActCode IDSCL information disclosure. Source: THO; SDOHCC Consent requires it. */
export const IDSCL = { system: SYSTEMS.actCode, code: 'IDSCL', display: 'information disclosure' } as const;

/** Purpose of use (v3-ActReason) for each model purpose. Source: THO v3-ActReason (fhir-mapping.md §3). */
export const PURPOSE_OF_USE: Readonly<Record<ConsentPurpose, Coding>> = {
  treatment: { system: SYSTEMS.actReason, code: 'TREAT', display: 'treatment' },
  payment: { system: SYSTEMS.actReason, code: 'HPAYMT', display: 'healthcare payment' },
  operations: { system: SYSTEMS.actReason, code: 'HOPERAT', display: 'healthcare operations' },
  'care-coordination': { system: SYSTEMS.actReason, code: 'COC', display: 'coordination of care' },
  'patient-request': { system: SYSTEMS.actReason, code: 'PATRQT', display: 'patient requested' },
  research: { system: SYSTEMS.actReason, code: 'HRESCH', display: 'healthcare research' },
};

/**
 * Data categories that have a v3-ActCode sensitivity code; they go to `provision.securityLabel`, the
 * others to `provision.code` with PeerKit's data-category CodeSystem. Source: THO v3-ActCode.
 */
export const SENSITIVITY_OF_CATEGORY: Readonly<Partial<Record<DataCategory, Coding>>> = {
  'substance-use': { system: SYSTEMS.actCode, code: 'SUD', display: 'substance use disorder information sensitivity' },
  'mental-health': { system: SYSTEMS.actCode, code: 'MH', display: 'mental health information sensitivity' },
  hiv: { system: SYSTEMS.actCode, code: 'HIV', display: 'HIV/AIDS information sensitivity' },
};

const STATUS = { draft: 'draft', active: 'active', revoked: 'inactive', rejected: 'rejected' } as const;

/**
 * Maps a consent to a FHIR `Consent`.
 *
 * @param consent - the consent record
 * @param ctx - the mapping context
 * @returns the Consent, or `undefined` when the peer is not in the context
 * @example
 * const fhirConsent = toFhirConsent(consent, ctx);
 * See: https://hl7.org/fhir/R4/consent.html
 */
export function toFhirConsent(consent: Consent, ctx: FhirContext): FhirConsent | undefined {
  const patient = patientReference(ctx, consent.peerId);
  if (!patient) return undefined;
  const url = (name: string): string => structureUrl(ctx, name);
  const part2Kind = consent.consentKind === 'part2-disclosure' || consent.consentKind === 'part2-tpo';
  const expiresOn = consent.expiration?.date;
  const periodEnd = consent.period.end;
  const effectiveEnd = periodEnd === undefined ? expiresOn : expiresOn === undefined || periodEnd <= expiresOn ? periodEnd : expiresOn;
  const labels = consent.dataCategories.flatMap((c) => {
    const coding = SENSITIVITY_OF_CATEGORY[c];
    return coding ? [{ ...coding }] : [];
  });
  const codes = consent.dataCategories.filter((c) => SENSITIVITY_OF_CATEGORY[c] === undefined);

  return compact({
    resourceType: 'Consent',
    id: consentResourceId(consent.id),
    meta: meta(ctx, 'peerkit-consent', part2Kind || isPart2Peer(ctx, consent.peerId)),
    extension: exts(
      consent.expiration === undefined
        ? undefined
        : {
            url: url('consent-expiration'),
            extension: exts(
              ext('date', expiresOn === undefined ? undefined : { valueDate: expiresOn }),
              ext('event', consent.expiration.event === undefined ? undefined : { valueString: consent.expiration.event }),
              ext('openEnded', periodEnd === undefined && expiresOn !== undefined ? { valueBoolean: true } : undefined),
            ) as Extension[],
          },
      consent.signature === undefined
        ? undefined
        : {
            url: url('consent-signature'),
            extension: [
              { url: 'signer', valueCoding: peerkitCoding(ctx, 'consent-signer', CONSENT_SIGNERS, consent.signature.signer) },
              { url: 'method', valueCoding: peerkitCoding(ctx, 'signature-method', SIGNATURE_METHODS, consent.signature.method) },
            ],
          },
      consent.revocation === undefined
        ? undefined
        : {
            url: url('consent-revocation'),
            extension: [
              { url: 'date', valueDateTime: consent.revocation.date },
              { url: 'method', valueCoding: peerkitCoding(ctx, 'signature-method', SIGNATURE_METHODS, consent.revocation.method) },
            ],
          },
      ext(url('information-description'), consent.informationDescription === undefined ? undefined : { valueString: consent.informationDescription }),
      ext(url('right-to-revoke-statement'), { valueBoolean: consent.rightToRevokeStatement }),
      ext(url('redisclosure-notice'), { valueBoolean: consent.redisclosureNotice }),
    ),
    identifier: [businessIdentifier(ctx, 'consent', consent.id)],
    status: STATUS[consent.status],
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [
      { coding: [{ ...LOINC_PATIENT_CONSENT }] },
      { coding: [{ ...IDSCL }] },
      { coding: [peerkitCoding(ctx, 'consent-kind', CONSENT_KINDS, consent.consentKind)] },
    ],
    patient: { ...patient },
    dateTime: consent.signature?.signedAt,
    organization:
      consent.discloser === undefined
        ? undefined
        : [
            consent.discloser.organizationId === undefined
              ? { display: consent.discloser.name }
              : { ...ref('Organization', organizationResourceId(consent.discloser.organizationId)), display: consent.discloser.name },
          ],
    policy: part2Kind ? [{ uri: PART2_POLICY_URI }] : undefined,
    policyRule:
      consent.consentKind === 'hipaa-authorization'
        ? { coding: [{ system: SYSTEMS.consentPolicy, code: 'hipaa-auth', display: 'HIPAA Authorization' }] }
        : undefined,
    provision: {
      type: 'permit',
      period: { start: consent.period.start, end: effectiveEnd },
      actor: nonEmpty(
        consent.recipients.map((r) => ({
          extension: exts(
            { url: url('recipient-type'), valueCoding: peerkitCoding(ctx, 'recipient-type', RECIPIENT_TYPES, r.type) },
            // The display holds the name, or the description when there is no name; a description
            // next to a name rides in its own extension.
            ext(url('recipient-description'), r.name !== undefined && r.description !== undefined ? { valueString: r.description } : undefined),
          ),
          role: { coding: [{ system: SYSTEMS.participationType, code: 'IRCP', display: 'information recipient' }] },
          reference: compact({
            identifier: r.identifier === undefined ? undefined : { ...r.identifier },
            display: r.name ?? r.description,
          }),
        })),
      ),
      action: [{ coding: [{ system: SYSTEMS.consentAction, code: 'disclose', display: 'Disclose' }] }],
      securityLabel: nonEmpty(labels),
      purpose: nonEmpty(consent.purposes.map((p) => ({ ...PURPOSE_OF_USE[p] }))),
      code: nonEmpty(codes.map((c) => ({ coding: [peerkitCoding(ctx, 'data-category', DATA_CATEGORIES, c)] }))),
    },
  } satisfies FhirConsent);
}
