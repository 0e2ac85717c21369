/**
 * Consent (any R4 privacy consent: scope `patient-privacy`) → PeerKit `consent` record: kind from its
 * policy (HIPAA authorization, 42 CFR Part 2), recipients from the root provision's `IRCP` actors (by
 * reference, contained or identifier), discloser from the `INF` actor or `organization`, purposes
 * (v3-ActReason), data categories from security labels, period, signature. A root `deny` (an opt-out)
 * is a consent the peer declined (`rejected`): it never reads as a permission. Nested provisions,
 * actions, classes and anything else PeerKit cannot express stay on the source resource, which the
 * consent engine reads. A treatment-scope Consent (`scope` = `treatment`) whose root provision codes are
 * peer support services (the import profile's codes) is a consent to receive the service
 * (`service-consent` record: services, status, period, signature).
 *
 * See: https://hl7.org/fhir/R4/consent.html; fhir-mapping.md §2.4 (field mapping, C2S pattern, LEAP
 * engine), §3 (codes).
 */
import type { ConsentKind, ConsentPurpose, ConsentStatus, DataCategory } from '@peerkit/model';
import { SYSTEMS } from '../systems';
import type { HostReadContext } from './internal/context';
import { dateOf, dateTimeOf, identifiersOf, textOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { codeIn, codings, lookup, obj, objs, type Json } from './internal/json';

/** Elements of a Consent the consent record carries (the rest, nested provisions included, stays on the source). */
export const CONSENT_MAPPED = ['status', 'scope', 'category', 'patient', 'dateTime', 'performer', 'organization', 'policy', 'policyRule', 'provision', 'contained'] as const;

/** v3-ActReason purpose of use → PeerKit purpose. Source: THO v3-ActReason (fhir-mapping.md §3). */
const PURPOSE: Readonly<Record<string, ConsentPurpose>> = {
  TREAT: 'treatment',
  HPAYMT: 'payment',
  HOPERAT: 'operations',
  COC: 'care-coordination',
  PATRQT: 'patient-request',
  HRESCH: 'research',
};

/** v3-ActCode sensitivity → PeerKit data category. Source: THO v3-ActCode (fhir-mapping.md §2.4). */
const CATEGORY: Readonly<Record<string, DataCategory>> = {
  SUD: 'substance-use',
  ETH: 'substance-use',
  ETHUD: 'substance-use',
  OPIOIDUD: 'substance-use',
  BH: 'mental-health',
  MH: 'mental-health',
  PSY: 'mental-health',
  HIV: 'hiv',
};

/** R4 `Consent.status` → PeerKit status (a root deny makes an active consent `rejected`). */
const STATUS: Readonly<Record<string, ConsentStatus>> = {
  draft: 'draft',
  proposed: 'draft',
  active: 'active',
  rejected: 'rejected',
  inactive: 'revoked',
};

const TPO = ['treatment', 'payment', 'operations'];

function baseType(consent: Json): 'permit' | 'deny' | undefined {
  const type = obj(consent.provision)?.type;
  if (type === 'permit' || type === 'deny') return type;
  const policy = codeIn(consent.policyRule, SYSTEMS.actCode);
  if (policy === 'OPTIN' || policy === 'OPTINR') return 'permit';
  return policy === 'OPTOUT' || policy === 'OPTOUTE' ? 'deny' : undefined;
}

function kindOf(consent: Json, purposes: readonly ConsentPurpose[], named: boolean): ConsentKind | undefined {
  const part2 =
    objs(consent.policy).some((p) => /part-?2|42cfr/i.test(String(p.uri ?? ''))) ||
    codings(consent.policyRule).some((c) => c.code === '42CFRPart2') ||
    objs(obj(consent.provision)?.securityLabel).some((l) => l.code === '42CFRPart2');
  if (part2) return !named && TPO.every((p) => purposes.includes(p as ConsentPurpose)) ? 'part2-tpo' : 'part2-disclosure';
  if (codeIn(consent.policyRule, SYSTEMS.consentPolicy) === 'hipaa-auth') return 'hipaa-authorization';
  return undefined;
}

/** Adds the data categories of a provision's security labels (v3-ActCode sensitivity) not yet in `out`. */
function addCategories(provision: Json | undefined, out: DataCategory[]): void {
  for (const label of objs(provision?.securityLabel)) {
    const category = label.system === SYSTEMS.actCode ? lookup(CATEGORY, label.code) : undefined;
    if (category !== undefined && !out.includes(category)) out.push(category);
  }
}

function actorsWithRole(provision: Json | undefined, role: string): Json[] {
  return objs(provision?.actor).filter((a) => codings(a.role).some((c) => c.code === role && c.system === SYSTEMS.participationType));
}

function partyOf(actor: Json, entry: HostEntry, cx: HostReadContext): Json | undefined {
  const reference = obj(actor.reference);
  const target = cx.resolve(reference, entry);
  cx.useContained(target);
  const type = target?.type ?? cx.typeOf(reference, entry);
  const name = textOf(target?.resource.name) ?? textOf(reference?.display);
  const identifier = identifiersOf(target?.resource.identifier)[0] ?? identifiersOf(reference?.identifier)[0];
  if (name === undefined && identifier === undefined) return undefined;
  return {
    type: type === 'Practitioner' || type === 'RelatedPerson' || type === 'Patient' ? 'individual' : 'organization',
    ...(name === undefined ? {} : { name }),
    ...(identifier === undefined ? {} : { identifier }),
  };
}

/** The peer and the start date of a Consent; reports `host.required-missing` naming what is missing. */
function peerAndStart(entry: HostEntry, cx: HostReadContext): { peerId: string | undefined; start: string | undefined } {
  const consent = entry.resource;
  const peerId = cx.peerIdOf(consent.patient, entry);
  const start = dateOf(obj(obj(consent.provision)?.period)?.start) ?? dateOf(consent.dateTime);
  if (peerId === undefined || start === undefined) {
    const missing = [...(peerId === undefined ? ['patient'] : []), ...(start === undefined ? ['provision.period.start (or dateTime)'] : [])];
    cx.report('host.required-missing', entry, [], `Consent: ${missing.join(' and ')} missing`);
  }
  return { peerId, start };
}

/** The signature of a given (active or revoked) Consent from `dateTime` and the performer; the method is the profile's default. */
function signatureOf(entry: HostEntry, cx: HostReadContext, status: ConsentStatus, defaulted: string[]): Json | undefined {
  const consent = entry.resource;
  const signedAt = dateTimeOf(consent.dateTime);
  if ((status !== 'active' && status !== 'revoked') || signedAt === undefined) return undefined;
  const performer = cx.typeOf(objs(consent.performer)[0], entry);
  defaulted.push('signature.method');
  return { signer: performer === 'RelatedPerson' ? 'personal-representative' : 'peer', signedAt, method: cx.profile.defaults.signatureMethod };
}

/** HCPCS codes of the services a treatment consent's root provision names (5 letters or digits). */
function hcpcsOf(provision: Json | undefined): string[] {
  const codes = objs(provision?.code).flatMap((c) => codings(c));
  const isHcpcs = (c: Json): c is Json & { code: string } =>
    (c.system === SYSTEMS.hcpcs || c.system === SYSTEMS.hcpcsHttps) && typeof c.code === 'string' && /^[A-Z0-9]{5}$/.test(c.code);
  return [...new Set(codes.filter(isHcpcs).map((c) => c.code))].slice(0, 20);
}

/**
 * A treatment-scope Consent whose root provision names peer support services (the import profile's
 * `peerSupportCodes`: H0038, G0140, G0146…) → `service-consent` record; `false` when it names none.
 * See: https://hl7.org/fhir/R4/consent.html (scope `treatment`); reference/billing.md §2.1 [S16].
 */
function readServiceConsent(entry: HostEntry, cx: HostReadContext): boolean {
  const consent = entry.resource;
  const provision = obj(consent.provision);
  if (!objs(provision?.code).some((c) => cx.match.peerSupport(c) !== undefined)) return false;
  const { peerId, start } = peerAndStart(entry, cx);
  if (peerId === undefined || start === undefined) return true;
  const defaulted: string[] = [];
  let status = (typeof consent.status === 'string' ? STATUS[consent.status] : undefined) ?? 'draft';
  if (baseType(consent) === 'deny' && status === 'active') status = 'rejected';
  const end = dateOf(obj(provision?.period)?.end);
  const signature = signatureOf(entry, cx, status, defaulted);
  cx.notePeerDate(peerId, start);
  cx.emit(
    'service-consent',
    entry,
    {
      kind: 'service-consent',
      id: cx.recordId(entry),
      peerId,
      services: hcpcsOf(provision),
      status,
      period: { start, ...(end === undefined ? {} : { end }) },
      ...(signature === undefined ? {} : { signature }),
      costSharingExplained: false,
    },
    { mapped: SERVICE_CONSENT_MAPPED, defaulted },
  );
  return true;
}

/** Elements of a treatment Consent the service-consent record carries (the rest stays on the source). */
export const SERVICE_CONSENT_MAPPED = ['status', 'scope', 'patient', 'dateTime', 'performer', 'provision'] as const;

/** Reads a privacy Consent into a `consent` record, and a treatment Consent for peer services into a `service-consent` record. */
export const consentReader: HostTypeReader = {
  type: 'Consent',
  read(entry, cx) {
    const consent = entry.resource;
    if (consent.scope === undefined) {
      cx.report('host.required-missing', entry, ['scope'], 'Consent: scope is missing (R4 requires it)');
      return;
    }
    const scope = codeIn(consent.scope, SYSTEMS.consentScope);
    if (scope === 'treatment' && readServiceConsent(entry, cx)) return;
    if (scope !== 'patient-privacy') {
      const message =
        scope === 'treatment'
          ? 'Consent: a treatment consent whose provision codes are not peer support services; PeerKit reads privacy consents and consents to peer services'
          : 'Consent: scope is not patient-privacy; PeerKit reads privacy consents';
      cx.report('host.not-peer-support', entry, ['scope'], message);
      return;
    }
    const provision = obj(consent.provision);
    const { peerId, start } = peerAndStart(entry, cx);
    if (peerId === undefined || start === undefined) return;
    const defaulted: string[] = [];
    const base = baseType(consent);
    let status = lookup(STATUS, consent.status) ?? 'draft';
    if (base === 'deny' && status === 'active') status = 'rejected';
    if (base === undefined && status === 'active') {
      status = 'draft';
      defaulted.push('status (neither provision.type nor policyRule says permit or deny)');
    }
    const purposes: ConsentPurpose[] = [];
    for (const c of objs(provision?.purpose)) {
      const purpose = c.system === SYSTEMS.actReason ? lookup(PURPOSE, c.code) : undefined;
      if (purpose !== undefined && !purposes.includes(purpose)) purposes.push(purpose);
    }
    const recipients = base === 'permit' ? actorsWithRole(provision, 'IRCP').flatMap((a) => partyOf(a, entry, cx) ?? []).slice(0, 50) : [];
    const informant = actorsWithRole(provision, 'INF')[0];
    const discloserTarget = informant === undefined ? objs(consent.organization)[0] : obj(informant.reference);
    const discloserEntry = cx.resolve(discloserTarget, entry);
    cx.useContained(discloserEntry);
    const discloserName = textOf(discloserEntry?.resource.name) ?? textOf(obj(discloserTarget)?.display);
    const discloserOrg = discloserEntry === undefined ? undefined : cx.idOf(discloserTarget, entry, ['Organization']);
    // Categories from the labels of the root provision, then of the nested ones of the same type, each once.
    const dataCategories: DataCategory[] = [];
    addCategories(provision, dataCategories);
    if (base !== undefined) for (const p of objs(provision?.provision)) if (p.type === base) addCategories(p, dataCategories);
    let consentKind = kindOf(consent, purposes, recipients.length > 0);
    if (consentKind === undefined) {
      consentKind = cx.profile.defaults.consentKind;
      defaulted.push('consentKind');
    }
    const end = dateOf(obj(provision?.period)?.end);
    const signature = signatureOf(entry, cx, status, defaulted);
    cx.notePeerDate(peerId, start);
    cx.emit(
      'consent',
      entry,
      {
        kind: 'consent',
        id: cx.recordId(entry),
        peerId,
        consentKind,
        status,
        ...(discloserName === undefined ? {} : { discloser: { name: discloserName, ...(discloserOrg === undefined ? {} : { organizationId: discloserOrg }) } }),
        recipients,
        purposes,
        dataCategories,
        period: { start, ...(end === undefined ? {} : { end }) },
        rightToRevokeStatement: false,
        redisclosureNotice: false,
        ...(signature === undefined ? {} : { signature }),
      },
      { mapped: CONSENT_MAPPED, defaulted },
    );
  },
};
