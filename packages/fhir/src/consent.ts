/**
 * Consent ↔ FHIR `Consent`: scope patient-privacy, category LOINC 59284-0 + v3-ActCode IDSCL, the
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
  type ConsentSignature,
  type DataCategory,
  type Revocation,
} from '@peerkit/model';
import type { Coding, Consent as FhirConsent, Extension } from 'fhir/r4';
import { isPart2Peer, patientReference, type FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, nonEmpty, peerkitCoding, ref, structureUrl } from './internal/build';
import { codeIn, compact, extOf, isCode, type Reader } from './internal/read';
import {
  businessId,
  codingOf,
  defined,
  peerIdOf,
  resourceReader,
  sub,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { consentResourceId, organizationResourceId } from './resource-ids';
import { SECURITY_LABELS } from './security-labels';
import { SYSTEMS } from './systems';

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
  'substance-use': SECURITY_LABELS.SUD,
  'mental-health': SECURITY_LABELS.MH,
  hiv: SECURITY_LABELS.HIV,
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
      ...signatureExtensions(ctx, consent.signature, consent.revocation),
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

/** Reads consents back from FHIR `Consent` (one permit provision; nested provisions are reported, not read). */
export const consentReader: RecordReader = resourceReader({
  type: 'Consent',
  identifier: 'consent',
  // PeerKit's service consents (business identifier `service-consent`) are read by service-consent.ts.
  skip: (_ix, c) => businessId(c.identifier, 'service-consent') !== undefined,
  read: readConsent,
});

function readConsent(ix: ReadIndex, r: Reader, c: Loose<FhirConsent>): Json {
  warnForeignExtensions(ix, r, c);
  const provision = c.provision;
  if (Array.isArray(provision?.provision) && provision.provision.length > 0) {
    r.ignored(['provision', 'provision'], 'Nested provisions (the model holds one permit provision; use @peerkit/safeguards to evaluate them)');
  }
  const expiration = extOf(c, ix.url('consent-expiration'));
  const kind =
    (c.category ?? []).map((cat) => codeIn(cat, ix.cs('consent-kind'))).find((k) => isCode(CONSENT_KINDS, k)) ??
    (c.policy?.some((p) => typeof p.uri === 'string' && p.uri.includes('part-2')) ? 'part2-disclosure' : c.policyRule ? 'hipaa-authorization' : undefined);
  const status = c.status === 'inactive' ? 'revoked' : c.status;
  const expiresOn = sub(expiration, 'date')?.valueDate;
  const openEnded = sub(expiration, 'openEnded')?.valueBoolean === true;
  const categories = [
    ...(provision?.securityLabel ?? []).flatMap((l) => {
      const found = (Object.entries(SENSITIVITY_OF_CATEGORY) as [string, { code?: string }][]).find(([, coding]) => coding.code === l.code);
      return found ? [found[0]] : [];
    }),
    ...(provision?.code ?? []).flatMap((cc) => {
      const v = codeIn(cc, ix.cs('data-category'));
      return isCode(DATA_CATEGORIES, v) ? [v] : [];
    }),
  ];
  const purposeOf = (codeValue: string | undefined): string | undefined =>
    (Object.entries(PURPOSE_OF_USE) as [string, { code?: string }][]).find(([, coding]) => coding.code === codeValue)?.[0];
  return defined({
    kind: 'consent',
    id: businessId(c.identifier, 'consent')?.value ?? c.id,
    peerId: peerIdOf(ix, r, c.patient, ['patient']),
    consentKind: kind,
    status,
    discloser:
      c.organization?.[0] === undefined
        ? undefined
        : defined({ name: c.organization[0].display, organizationId: ix.idOf(c.organization[0], 'Organization') }),
    recipients: (provision?.actor ?? []).map((a, i) => {
      const type = codingOf(r, RECIPIENT_TYPES, extOf(a, ix.url('recipient-type')), ix.cs('recipient-type'), ['provision', 'actor', i], 'Recipient type') ?? 'organization';
      const extra = extOf(a, ix.url('recipient-description'))?.valueString;
      const display = a.reference?.display;
      const general = type === 'general-designation' && extra === undefined;
      return defined({
        type,
        name: general ? undefined : display,
        identifier: a.reference?.identifier === undefined ? undefined : defined({ system: a.reference.identifier.system, value: a.reference.identifier.value }),
        description: general ? display : extra,
      });
    }),
    purposes: (provision?.purpose ?? []).flatMap((p) => {
      const v = p.system === SYSTEMS.actReason ? purposeOf(p.code) : undefined;
      return v === undefined ? [] : [v];
    }),
    dataCategories: DATA_CATEGORIES.map((d) => d.code).filter((d) => categories.includes(d)).sort((a, b) => categories.indexOf(a) - categories.indexOf(b)),
    informationDescription: extOf(c, ix.url('information-description'))?.valueString,
    period: defined({
      start: provision?.period?.start,
      end: openEnded ? undefined : provision?.period?.end,
    }),
    expiration: expiration === undefined ? undefined : defined({ date: expiresOn, event: sub(expiration, 'event')?.valueString }),
    rightToRevokeStatement: extOf(c, ix.url('right-to-revoke-statement'))?.valueBoolean ?? false,
    redisclosureNotice: extOf(c, ix.url('redisclosure-notice'))?.valueBoolean ?? false,
    ...readSignatureAndRevocation(ix, r, c),
  });
}

/**
 * The `consent-signature` and `consent-revocation` extensions of a consent (disclosure or service
 * consent), `undefined` for what the record does not hold.
 *
 * @param ctx - the mapping context
 * @param signature - who gave the consent, when and how
 * @param revocation - when and how it was revoked
 * @returns the two extensions, in that order
 */
export function signatureExtensions(ctx: FhirContext, signature: ConsentSignature | undefined, revocation: Revocation | undefined): (Extension | undefined)[] {
  return [
    signature === undefined
      ? undefined
      : {
          url: structureUrl(ctx, 'consent-signature'),
          extension: [
            { url: 'signer', valueCoding: peerkitCoding(ctx, 'consent-signer', CONSENT_SIGNERS, signature.signer) },
            { url: 'method', valueCoding: peerkitCoding(ctx, 'signature-method', SIGNATURE_METHODS, signature.method) },
          ],
        },
    revocation === undefined
      ? undefined
      : {
          url: structureUrl(ctx, 'consent-revocation'),
          extension: [
            { url: 'date', valueDateTime: revocation.date },
            { url: 'method', valueCoding: peerkitCoding(ctx, 'signature-method', SIGNATURE_METHODS, revocation.method) },
          ],
        },
  ];
}

/**
 * Reads a consent's signature (from `dateTime` and the `consent-signature` extension) and revocation
 * back, for disclosure and service consents alike.
 *
 * @param ix - the read index
 * @param r - the reader reporting unknown codes
 * @param c - the Consent
 * @returns `signature` and `revocation` record fields (`undefined` when absent)
 */
export function readSignatureAndRevocation(ix: ReadIndex, r: Reader, c: Loose<FhirConsent>): { signature: Json | undefined; revocation: Json | undefined } {
  const signature = extOf(c, ix.url('consent-signature'));
  const revocation = extOf(c, ix.url('consent-revocation'));
  return {
    signature:
      c.dateTime === undefined
        ? undefined
        : defined({
            signer: codingOf(r, CONSENT_SIGNERS, sub(signature, 'signer'), ix.cs('consent-signer'), ['extension'], 'Consent signer') ?? 'peer',
            signedAt: c.dateTime,
            method: codingOf(r, SIGNATURE_METHODS, sub(signature, 'method'), ix.cs('signature-method'), ['extension'], 'Signature method') ?? 'wet',
          }),
    revocation:
      revocation === undefined
        ? undefined
        : defined({
            date: sub(revocation, 'date')?.valueDateTime,
            method: codingOf(r, SIGNATURE_METHODS, sub(revocation, 'method'), ix.cs('signature-method'), ['extension'], 'Revocation method'),
          }),
  };
}
