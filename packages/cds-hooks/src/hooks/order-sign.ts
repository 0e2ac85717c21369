/**
 * `order-sign`: for each peer-support ServiceRequest or disclosure (CommunicationRequest, Communication)
 * being signed, the consent decision (Part 2 data needs a consent that covers the recipient) and the
 * billing eligibility that can be known before a claim (coverage, payer age limits).
 *
 * See: https://cds-hooks.hl7.org/hooks/order-sign/2.0/
 */
import { BILLING_CHECKS, type PayerPack } from '@peerkit/billing';
import { readHostFhir } from '@peerkit/fhir';
import { compileConsents, isPart2Labeled, type ConsentResource, type DisclosureRequest } from '@peerkit/safeguards';
import type { Resource } from 'fhir/r4';
import { PART2_URL } from '../codes';
import { makeCard } from '../internal/cards';
import { flattenResources, isObject, ofType, referenceOf, refersTo, text, type FhirJson } from '../internal/resources';
import type { Card, CardSource } from '../types';
import { dateOf, patientOf, prefetchTemplates, type CdsHook, type HookInput } from './hook';
import { isPeerSupportOrder } from './peer-referral';

/** Id of the order-sign service. */
export const ORDER_SIGN_SERVICE_ID = 'peerkit-order-sign';

const PREFETCH = prefetchTemplates('patient', 'consents', 'coverage', 'conditions');

const PART2_SOURCE: CardSource = { label: '42 CFR Part 2 §2.31, §2.33 (consent to disclose SUD records)', url: PART2_URL };
const DISCLOSURE_TYPES = new Set(['CommunicationRequest', 'Communication']);

/** A draft order the hook checks, with why. */
interface CheckedOrder {
  readonly order: FhirJson;
  readonly kind: 'peer-support' | 'disclosure';
  /** Who would receive the patient's data. */
  readonly recipients: readonly string[];
}

function ordersToCheck(drafts: readonly FhirJson[]): CheckedOrder[] {
  const out: CheckedOrder[] = [];
  for (const order of drafts) {
    if (isPeerSupportOrder(order)) out.push({ order, kind: 'peer-support', recipients: references(order.performer) });
    else if (DISCLOSURE_TYPES.has(String(order.resourceType))) out.push({ order, kind: 'disclosure', recipients: references(order.recipient) });
  }
  return out;
}

const references = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap((v) => referenceOf(v) ?? []) : []);

/** The resources an order sends or rests on: its reasons, supporting info and payload references. */
function carriedResources(order: FhirJson, known: ReadonlyMap<string, FhirJson>): FhirJson[] {
  const refs: string[] = [
    ...references(order.reasonReference),
    ...references(order.supportingInfo),
    ...references(order.about),
    ...(Array.isArray(order.payload) ? (order.payload as unknown[]).flatMap((p) => (isObject(p) ? [referenceOf(p.contentReference)].filter((r): r is string => r !== undefined) : [])) : []),
  ];
  return [order, ...refs.map((ref) => known.get(ref)).filter((r): r is FhirJson => r !== undefined)];
}

function securityCodes(resources: readonly FhirJson[]): { system?: string; code: string }[] {
  const codes = new Map<string, { system?: string; code: string }>();
  for (const resource of resources) {
    const security = isObject(resource.meta) && Array.isArray(resource.meta.security) ? resource.meta.security : [];
    for (const c of security) if (isObject(c) && typeof c.code === 'string') codes.set(`${String(c.system)}|${c.code}`, typeof c.system === 'string' ? { system: c.system, code: c.code } : { code: c.code });
  }
  return [...codes.values()];
}

function consentCards(input: HookInput, checked: readonly CheckedOrder[], known: ReadonlyMap<string, FhirJson>): Card[] {
  if (input.missing.includes('consents')) {
    const detail = "The patient's consents were neither prefetched nor readable from the FHIR server, so whether they cover the recipient is unknown. Records labelled 42 CFR Part 2 need a consent that covers the recipient (§2.31, §2.33).";
    return [makeCard(input.newId, { summary: 'Consent could not be checked: the patient’s consents are not available to the service', detail, indicator: 'warning', source: PART2_SOURCE })];
  }
  const consents = (input.data.consents ?? []).filter((c) => c.resourceType === 'Consent' || c.resourceType === 'Permission') as unknown as ConsentResource[];
  const compiled = compileConsents(consents, { now: input.now });
  const cards: Card[] = [];
  for (const { order, kind, recipients } of checked) {
    const carried = carriedResources(order, known);
    const part2 = carried.some((r) => isPart2Labeled(r as unknown as Resource));
    const what = kind === 'peer-support' ? 'this peer-support referral' : 'this disclosure';
    if (part2 && recipients.length === 0) {
      cards.push(makeCard(input.newId, { summary: `Part 2 records in ${what}: name the recipient so consent can be checked`, detail: 'The order carries records labelled 42 CFR Part 2 but names no recipient (performer or recipient). A Part 2 consent names its recipients (§2.31(a)(4)).', indicator: 'warning', source: PART2_SOURCE }));
      continue;
    }
    if (recipients.length === 0) continue;
    const labels = securityCodes(carried);
    const request: DisclosureRequest = {
      patient: { reference: patientOf(input.request), identifier: [] },
      actor: recipients.map((reference) => ({ reference, identifier: [] })),
      discloser: [],
      purposeOfUse: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
      category: [],
      date: dateOf(input.now),
      ...(labels.length > 0 ? { securityLabel: labels } : {}),
    };
    const decision = compiled.decide(request);
    const basis = decision.basis.consent === undefined ? '' : ` Deciding consent: ${decision.basis.consent}${decision.basis.provision ? ` (${decision.basis.provision})` : ''}.`;
    if (decision.decision === 'DENY') {
      cards.push(makeCard(input.newId, { summary: `Consent denies ${what} to its recipient`, detail: `The patient's consent forbids disclosing this data to the named recipient for treatment.${basis}`, indicator: 'critical', source: part2 ? PART2_SOURCE : { label: "Patient's consent (FHIR Consent)", url: 'https://hl7.org/fhir/R4/consent.html' } }));
    } else if (decision.decision === 'NO_CONSENT' && part2) {
      cards.push(makeCard(input.newId, { summary: `No consent covers Part 2 records in ${what}`, detail: 'The order carries records labelled 42 CFR Part 2 and no consent in force names this recipient for them. Part 2 records may not be disclosed without a consent that covers them (§2.31, §2.33); obtain one before signing.', indicator: 'critical', source: PART2_SOURCE }));
    } else if (decision.decision === 'PERMIT' && decision.obligations.some((o) => o.kind === 'attach-notice')) {
      cards.push(makeCard(input.newId, { summary: `Consent covers ${what}; the Part 2 redisclosure notice must go with it`, detail: `A consent in force permits the disclosure.${basis} Each disclosure of Part 2 records carries the §2.32 notice.`, indicator: 'info', source: { label: '42 CFR §2.32 (notice to accompany disclosure)', url: PART2_URL } }));
    }
  }
  return cards;
}

/** A public URL in a citation (`medicaid.gov/…`), if it names one. */
function citationUrl(citation: string | undefined): string | undefined {
  const match = citation === undefined ? undefined : /\b((?:[a-z0-9-]+\.)+(?:gov|org|com|us)(?:\/[^\s,;)]*)?)/i.exec(citation);
  return match?.[1] === undefined ? undefined : `https://${match[1]}`;
}

function packSource(pack: PayerPack, sourceId: string): CardSource {
  const citation = pack.sources[sourceId];
  const url = citationUrl(citation);
  return { label: `${pack.name} (${sourceId})`, ...(url === undefined ? {} : { url }), topic: { system: 'https://peerkit.dev/cds', code: 'billing' } };
}

function activeOn(coverage: FhirJson, date: string): boolean {
  if (text(coverage, 'status') !== 'active') return false;
  const period = isObject(coverage.period) ? coverage.period : {};
  const start = typeof period.start === 'string' ? period.start.slice(0, 10) : undefined;
  const end = typeof period.end === 'string' ? period.end.slice(0, 10) : undefined;
  return (start === undefined || start <= date) && (end === undefined || date <= end);
}

/** Payer ids a Coverage names: `payor` identifiers and reference ids. */
function payerIds(coverage: FhirJson): string[] {
  const payors = Array.isArray(coverage.payor) ? coverage.payor : [];
  return payors.flatMap((p: unknown) => {
    if (!isObject(p)) return [];
    const ids: string[] = [];
    if (isObject(p.identifier) && typeof p.identifier.value === 'string') ids.push(p.identifier.value);
    const ref = referenceOf(p);
    if (ref !== undefined) ids.push(ref.split('/').pop() ?? ref);
    return ids;
  });
}

function wholeYears(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  if (by === undefined || y === undefined) return Number.NaN;
  return y - by - ((m ?? 1) < (bm ?? 1) || ((m ?? 1) === (bm ?? 1) && (d ?? 1) < (bd ?? 1)) ? 1 : 0);
}

/** The performers of the peer-support orders, as the resources the request holds (roles, their practitioners). */
function performerResources(checked: readonly CheckedOrder[], known: ReadonlyMap<string, FhirJson>): FhirJson[] {
  const refs = new Set(checked.filter((c) => c.kind === 'peer-support').flatMap((c) => c.recipients.filter((r) => /^(Practitioner|PractitionerRole)\//.test(r))));
  for (const ref of [...refs]) {
    const role = known.get(ref);
    const practitioner = role?.resourceType === 'PractitionerRole' ? referenceOf(role.practitioner) : undefined;
    if (practitioner !== undefined) refs.add(practitioner);
  }
  // A practitioner is read as a peer specialist through its roles (the peer role code, the agency).
  for (const [key, resource] of known) {
    if (resource.resourceType === 'PractitionerRole' && [...refs].some((ref) => refersTo(resource.practitioner, ref))) {
      refs.add(key);
      const organization = referenceOf(resource.organization);
      if (organization !== undefined) refs.add(organization);
    }
  }
  return [...refs].map((ref) => known.get(ref)).filter((r): r is FhirJson => r !== undefined);
}

function ageCard(input: HookInput, pack: PayerPack, today: string): Card | undefined {
  const age = pack.rules.age;
  if (age === undefined) return undefined;
  const birthDate = ofType(input.data.patient ?? [], 'Patient').map((p) => text(p, 'birthDate')).find((b) => b !== undefined);
  const years = birthDate === undefined ? Number.NaN : wholeYears(birthDate, today);
  const outside = Number.isNaN(years) || (age.minAge !== undefined && years < age.minAge) || (age.maxAge !== undefined && years > age.maxAge);
  if (!outside) return undefined;
  const limits = [age.minAge === undefined ? '' : `from ${age.minAge}`, age.maxAge === undefined ? '' : `to ${age.maxAge}`].filter((s) => s !== '').join(' ');
  const programs = age.programs === undefined ? '' : ` (for ${age.programs.join(', ')} programs)`;
  return makeCard(input.newId, {
    summary: Number.isNaN(years) ? `Peer support billing: ${pack.name} has an age limit and no birth date is on file` : `Peer support may not be billable: patient's age is outside ${pack.name}'s limit`,
    detail: `${BILLING_CHECKS.AGE.summary}. ${pack.name} bills peer support for ages ${limits}${programs}; source: ${pack.sources[age.source] ?? age.source}.`,
    indicator: age.enforcement === 'hold' ? 'warning' : 'info',
    source: packSource(pack, age.source),
  });
}

/** A card when the performer is known as a peer specialist and holds no certification the pack accepts today. */
function credentialCard(input: HookInput, pack: PayerPack, today: string, performers: readonly FhirJson[]): Card | undefined {
  const rule = pack.rules.credential;
  if (rule === undefined || performers.length === 0) return undefined;
  const specialists = readHostFhir(performers, { asOf: today }).records.flatMap((r) => (r.kind === 'specialist' ? [r.record] : []));
  if (specialists.length === 0) return undefined;
  const current = specialists.some((specialist) =>
    specialist.certifications.some(
      (c) =>
        rule.accepted.includes(c.credential) &&
        c.issued <= today &&
        (c.expires === undefined || today <= c.expires) &&
        (!rule.stateCertification || pack.state === undefined || c.state === pack.state),
    ),
  );
  if (current) return undefined;
  return makeCard(input.newId, {
    summary: `Peer support may not be billable: the performer holds no current certification ${pack.name} accepts`,
    detail: `${BILLING_CHECKS.CREDENTIAL.summary}. Accepted: ${rule.accepted.join(', ')}${rule.stateCertification ? ` (from ${pack.state ?? 'the service state'})` : ''}; source: ${pack.sources[rule.source] ?? rule.source}.`,
    indicator: rule.enforcement === 'hold' ? 'warning' : 'info',
    source: packSource(pack, rule.source),
  });
}

function billingCards(input: HookInput, performers: readonly FhirJson[]): Card[] {
  const today = dateOf(input.now);
  if (input.missing.includes('coverage')) return [];
  const coverages = ofType(input.data.coverage ?? [], 'Coverage').filter((c) => activeOn(c, today));
  if (coverages.length === 0) {
    return [makeCard(input.newId, { summary: 'Peer support may not be billable: no active coverage on file for today', detail: `${BILLING_CHECKS.COVERAGE.summary}. Check the patient's coverage before the service.`, indicator: 'warning', source: { label: `PeerKit billing check ${BILLING_CHECKS.COVERAGE.code}` } })];
  }
  const ids = new Set(coverages.flatMap(payerIds));
  const pack = input.payerPacks.find((p) => ids.has(p.id) || p.coveragePayerIds.some((id) => ids.has(id)));
  if (pack === undefined) return [];
  return [ageCard(input, pack, today), credentialCard(input, pack, today, performers)].filter((c): c is Card => c !== undefined);
}

/**
 * The `order-sign` service: consent and billing eligibility cards for peer-support referrals and
 * disclosures being signed.
 * See: https://cds-hooks.hl7.org/hooks/order-sign/2.0/
 */
export const ORDER_SIGN_HOOK: CdsHook = {
  definition: {
    hook: 'order-sign',
    id: ORDER_SIGN_SERVICE_ID,
    title: 'PeerKit consent and billing check for peer-support orders and disclosures',
    description: 'When a peer-support ServiceRequest or a disclosure (CommunicationRequest, Communication) is signed: whether the patient’s consent covers the recipient (42 CFR Part 2 records need one that does) and whether peer support is billable (coverage, payer age limits, the certification of a performer the request names as a peer specialist).',
    prefetch: PREFETCH,
    usageRequirements: 'Read access to Patient, Consent, Coverage and Condition of the patient (prefetch or fhirAuthorization).',
  },
  contextFields: ['userId', 'patientId'],
  contextObjects: ['draftOrders'],
  answer(input) {
    const drafts = flattenResources(input.request.context.draftOrders);
    const checked = ordersToCheck(drafts);
    if (checked.length === 0) return { cards: [] };
    const known = new Map<string, FhirJson>();
    for (const r of [...drafts, ...Object.values(input.data).flat()]) if (typeof r.id === 'string') known.set(`${String(r.resourceType)}/${r.id}`, r);
    const cards = consentCards(input, checked, known);
    if (checked.some((c) => c.kind === 'peer-support')) cards.push(...billingCards(input, performerResources(checked, known)));
    return { cards };
  },
};
