/**
 * Service consent ↔ FHIR `Consent`: a peer's consent to *receive* a service (Medicare PIN G0140/G0146,
 * some Medicaid plans), not a disclosure consent. Scope `treatment`, category LOINC 59284-0, the
 * business identifier `service-consent`, one permit provision with the services (HCPCS) and period; who
 * documented it, the program and the cost-sharing explanation are PeerKit extensions. The signature and
 * revocation use the same extensions as disclosure consents.
 *
 * See: fhir-mapping.md §1 (THO consentscope 2.0.1: `treatment`), §3 (LOINC 59284-0 Patient Consent, R4
 * consent-category VS); https://hl7.org/fhir/R4/consent.html (scope, provision.code); reference/billing.md
 * §2.1 (PIN consent, [S16]).
 */
import type { ServiceConsent } from '@peerkit/model';
import type { Consent as FhirConsent } from 'fhir/r4';
import { LOINC_PATIENT_CONSENT, readSignatureAndRevocation, signatureExtensions } from './consent';
import { isPart2Peer, isPart2Program, patientReference, type FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, nonEmpty, ref, structureUrl } from './internal/build';
import { compact, extOf, type Reader } from './internal/read';
import {
  businessId,
  defined,
  peerIdOf,
  resourceReader,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { practitionerResourceId, programResourceId, serviceConsentResourceId } from './resource-ids';
import { SYSTEMS } from './systems';

/** consentscope `treatment`: consent to undergo a specific treatment. Source: THO consentscope 2.0.1 (fhir-mapping.md §1). */
export const TREATMENT_SCOPE = { system: SYSTEMS.consentScope, code: 'treatment', display: 'Treatment' } as const;

/** The business identifier name of a service consent (it tells PeerKit's service consents from its disclosure consents). */
export const SERVICE_CONSENT = 'service-consent';

const STATUS = { draft: 'draft', active: 'active', revoked: 'inactive', rejected: 'rejected' } as const;

/** `true` for a `Consent` PeerKit wrote for a service consent (its business identifier says so). */
export function isPeerKitServiceConsent(resource: { identifier?: unknown }): boolean {
  return businessId(resource.identifier, SERVICE_CONSENT) !== undefined;
}

/**
 * Maps a service consent to a FHIR `Consent` (scope `treatment`).
 *
 * @param consent - the service consent record
 * @param ctx - the mapping context
 * @returns the Consent, or `undefined` when the peer is not in the context
 * @example
 * const fhirConsent = toFhirServiceConsent(serviceConsent, ctx);
 * See: https://hl7.org/fhir/R4/consent.html
 */
export function toFhirServiceConsent(consent: ServiceConsent, ctx: FhirContext): FhirConsent | undefined {
  const patient = patientReference(ctx, consent.peerId);
  if (!patient) return undefined;
  const url = (name: string): string => structureUrl(ctx, name);
  const part2 = consent.programId === undefined ? isPart2Peer(ctx, consent.peerId) : isPart2Program(ctx, consent.programId);
  const agency = consent.programId === undefined ? undefined : (ctx.programs.get(consent.programId)?.organizationId ?? ctx.organizationId);
  const { signature, revocation } = consent;
  return compact({
    resourceType: 'Consent',
    id: serviceConsentResourceId(consent.id),
    meta: meta(ctx, 'peerkit-service-consent', part2),
    extension: exts(
      ...signatureExtensions(ctx, signature, revocation),
      ext(url('program'), consent.programId === undefined ? undefined : { valueReference: ref('HealthcareService', programResourceId(agency ?? 'unknown', consent.programId)) }),
      ext(url('documented-by'), consent.documentedBy === undefined ? undefined : { valueReference: ref('Practitioner', practitionerResourceId(consent.documentedBy)) }),
      ext(url('cost-sharing-explained'), { valueBoolean: consent.costSharingExplained }),
    ),
    identifier: [businessIdentifier(ctx, SERVICE_CONSENT, consent.id)],
    status: STATUS[consent.status],
    scope: { coding: [{ ...TREATMENT_SCOPE }] },
    category: [{ coding: [{ ...LOINC_PATIENT_CONSENT }] }],
    patient: { ...patient },
    dateTime: signature?.signedAt,
    // The grantor (R4 Consent.performer) is the peer when the peer gave it; a guardian or representative
    // is named by the signature extension only (the model holds no reference to them).
    performer: signature?.signer === 'peer' ? [{ ...patient }] : undefined,
    // R4 invariant ppc-1 needs a policy or policyRule; consentpolicycodes has no consent-to-service code, so
    // the policy is PeerKit's: the payer's consent requirement as billing packs cite it (Medicare PIN [S16]).
    policy: [{ uri: `${ctx.canonical}/policy/service-consent` }],
    provision: {
      type: 'permit',
      period: { start: consent.period.start, end: consent.period.end },
      code: nonEmpty(consent.services.map((code) => ({ coding: [{ system: SYSTEMS.hcpcs, code }] }))),
    },
  } satisfies FhirConsent);
}

/** Reads service consents back from the `Consent` resources PeerKit wrote for them (business identifier `service-consent`). */
export const serviceConsentReader: RecordReader = resourceReader({
  type: 'Consent',
  identifier: SERVICE_CONSENT,
  skip: (_ix, c) => !isPeerKitServiceConsent(c),
  read: readServiceConsent,
});

function readServiceConsent(ix: ReadIndex, r: Reader, c: Loose<FhirConsent>): Json {
  warnForeignExtensions(ix, r, c);
  const provision = c.provision;
  if (Array.isArray(provision?.provision) && provision.provision.length > 0) {
    r.ignored(['provision', 'provision'], 'Nested provisions (a service consent holds one permit provision)');
  }
  return defined({
    kind: SERVICE_CONSENT,
    id: businessId(c.identifier, SERVICE_CONSENT)?.value ?? c.id,
    peerId: peerIdOf(ix, r, c.patient, ['patient']),
    programId: ix.recordIdOfProgram(extOf(c, ix.url('program'))?.valueReference),
    services: (provision?.code ?? []).flatMap((cc) =>
      (cc.coding ?? []).flatMap((coding) => ((coding.system === SYSTEMS.hcpcs || coding.system === SYSTEMS.hcpcsHttps) && typeof coding.code === 'string' ? [coding.code] : [])),
    ),
    status: c.status === 'inactive' ? 'revoked' : c.status,
    period: defined({ start: provision?.period?.start, end: provision?.period?.end }),
    documentedBy: ix.idOf(extOf(c, ix.url('documented-by'))?.valueReference, 'Practitioner'),
    costSharingExplained: extOf(c, ix.url('cost-sharing-explained'))?.valueBoolean ?? false,
    ...readSignatureAndRevocation(ix, r, c),
  });
}
