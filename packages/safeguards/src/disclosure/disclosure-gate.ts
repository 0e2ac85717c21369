/**
 * The disclosure gate: given a Bundle and a request, returns the Bundle that may be sent — entries
 * the consents do not permit withheld, references to them redacted, the 42 CFR §2.32 notice
 * attached when Part 2 records go — and a preview of what was withheld and why, as resource types
 * and counts only.
 *
 * Each entry is decided on its own, with the request's recipient and purpose and the entry's own
 * labels (`meta.security`), class (resource type), codes, reference and date. An entry goes only on
 * a clean PERMIT: a permit that would need partial redaction inside the entry is withheld, since
 * the gate does not edit inside resources. One AuditEvent records the whole disclosure.
 *
 * See: reference/fhir-mapping.md §2.4, §5 (LEAP step 9: label, then redact per obligations)
 */
import { PEERKIT_CANONICAL, SYSTEMS } from '@peerkit/fhir';
import type { AuditEntityInput } from '../consent/audit-event';
import { createConsentAuditEvent } from '../consent/audit-event';
import { normalizeReference } from '../consent/actors';
import { compileConsents, type CompileConsentsOptions, type CompiledConsents } from '../consent/compile-consents';
import type { ConsentDecision, UnauditedDecision } from '../consent/decision';
import { PART2_REDISCLOSURE_NOTICE } from '../consent/decision-options';
import type { ConsentResource } from '../consent/r5';
import type { DisclosureRequest } from '../consent/request';
import { toCodes, type Code } from '../internal/codes';
import type { Bundle, BundleEntry, CodeableConcept, Resource } from 'fhir/r4';
import { isPart2Labeled, labelResource, withHighWaterMark, type LabelContext, type LabelOptions } from './security-labels';

/** Extension on `Bundle.meta` carrying the no-redisclosure notice (PeerKit profile pack). */
export const REDISCLOSURE_NOTICE_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/redisclosure-notice`;

/** Options of {@link gateDisclosure}. */
export interface DisclosureGateOptions extends CompileConsentsOptions {
  /** Labels entries before deciding (e.g. from their program); entries keep their own labels too. */
  label?: (resource: Resource) => LabelContext | undefined;
  /** Options for {@link label}. */
  labelOptions?: LabelOptions;
  /** Replace references to withheld entries with a display-only reference. Default `true`. */
  redactReferences?: boolean;
  /**
   * PeerKit data categories (`progress-notes`, `attendance`…) an entry belongs to, matched against
   * `provision.code` of PeerKit consents. Default {@link peerkitDataCategories} (by resource type).
   */
  dataCategoriesOf?: (resource: Resource) => readonly string[];
  /** Canonical base of PeerKit's data-category CodeSystem. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
}

/** PeerKit data categories by resource type (what `@peerkit/fhir` maps each record to). */
const CATEGORY_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  DocumentReference: ['progress-notes'],
  Encounter: ['attendance'],
  EpisodeOfCare: ['attendance'],
  Procedure: ['attendance'],
  CarePlan: ['recovery-plan'],
  Goal: ['recovery-plan'],
  ServiceRequest: ['referrals'],
  Task: ['referrals'],
  Claim: ['billing'],
  ChargeItem: ['billing'],
  Coverage: ['billing'],
  ExplanationOfBenefit: ['billing'],
};

/**
 * The PeerKit data categories of a resource, by its type: DocumentReference → progress-notes;
 * Encounter, EpisodeOfCare, Procedure → attendance; CarePlan, Goal → recovery-plan; ServiceRequest,
 * Task → referrals; Claim, ChargeItem, Coverage, ExplanationOfBenefit → billing. Sensitive categories
 * (substance-use, mental-health, hiv) travel as security labels instead.
 *
 * @param resource - a FHIR resource
 * @returns data-category codes (PeerKit's `data-category` CodeSystem)
 * @example
 * peerkitDataCategories({ resourceType: 'Goal', … }); // ['recovery-plan']
 */
export function peerkitDataCategories(resource: Resource): readonly string[] {
  return CATEGORY_OF_TYPE[resource.resourceType] ?? [];
}

/** Why an entry was withheld. */
export type WithheldReason = 'consent-deny' | 'no-consent' | 'part2-not-covered' | 'partial-permit' | 'no-resource';

/** What the gate did, as types and counts: never values. */
export interface DisclosurePreview {
  readonly decision: ConsentDecision['decision'];
  readonly breakGlass: boolean;
  /** Entries sent, by resource type. */
  readonly disclosed: Readonly<Record<string, number>>;
  /** Entries withheld, by resource type and reason. */
  readonly withheld: readonly { readonly resourceType: string; readonly reason: WithheldReason; readonly count: number }[];
  /** References in sent entries that pointed at withheld entries and were redacted. */
  readonly redactedReferences: number;
  /** The §2.32 notice was attached. */
  readonly noticeAttached: boolean;
}

/** The result of {@link gateDisclosure}. */
export interface DisclosureGateResult {
  /** The decision for the disclosure as a whole: PERMIT when at least one entry may go. */
  readonly decision: ConsentDecision;
  /** The Bundle that may be sent; `undefined` when nothing may. */
  readonly bundle: Bundle | undefined;
  readonly preview: DisclosurePreview;
}

/** Elements holding an entry's codes, by resource type (the first present is used). */
const CODE_ELEMENTS = ['code', 'type', 'category', 'class'] as const;

function codesOf(resource: Resource): Code[] {
  const r = resource as unknown as Record<string, unknown>;
  const out: Code[] = [];
  for (const element of CODE_ELEMENTS) {
    const value = r[element];
    const concepts = (Array.isArray(value) ? value : [value]) as (CodeableConcept | undefined)[];
    for (const cc of concepts) if (cc && typeof cc === 'object' && Array.isArray(cc.coding)) out.push(...toCodes(cc.coding));
  }
  return out;
}

/** The period an entry's data covers, from the usual date elements; `undefined` when it has none. */
function dataPeriodOf(resource: Resource): { start?: string; end?: string } | undefined {
  const r = resource as unknown as Record<string, unknown>;
  const period = (r.period ?? r.billablePeriod ?? r.performedPeriod ?? r.effectivePeriod ?? (r.context as { period?: unknown } | undefined)?.period) as
    | { start?: string; end?: string }
    | undefined;
  if (period && (period.start !== undefined || period.end !== undefined)) {
    const out: { start?: string; end?: string } = {};
    if (period.start !== undefined) out.start = period.start;
    if (period.end !== undefined) out.end = period.end;
    return out;
  }
  for (const key of ['effectiveDateTime', 'performedDateTime', 'date', 'authoredOn', 'created', 'issued', 'recorded', 'occurrenceDateTime', 'startDate']) {
    const value = r[key];
    if (typeof value === 'string') return { start: value, end: value };
  }
  return undefined;
}

function entryRequest(request: DisclosureRequest, resource: Resource, categories: readonly Code[]): DisclosureRequest {
  const period = dataPeriodOf(resource);
  const labels = toCodes(resource.meta?.security);
  for (const c of resource.meta?.security ?? []) {
    for (const e of c.extension ?? []) {
      if (e.url === SYSTEMS.securityLabelBasisExtension && e.valueCoding) labels.push(...toCodes([e.valueCoding]));
    }
  }
  const entry: { -readonly [K in keyof DisclosureRequest]: DisclosureRequest[K] } = {
    ...request,
    securityLabel: labels,
    class: [{ system: SYSTEMS.resourceTypes, code: resource.resourceType }],
    code: [...codesOf(resource), ...categories],
  };
  if (resource.id !== undefined) entry.data = [`${resource.resourceType}/${resource.id}`];
  else delete entry.data;
  if (period) entry.dataPeriod = period;
  else delete entry.dataPeriod;
  return entry;
}

function withheldReason(decision: UnauditedDecision): WithheldReason | undefined {
  if (decision.decision === 'PERMIT') {
    return decision.obligations.some((o) => o.kind === 'redact' || o.kind === 'limit-to') ? 'partial-permit' : undefined;
  }
  if (decision.basis.kind === 'part2') return 'part2-not-covered';
  return decision.decision === 'DENY' ? 'consent-deny' : 'no-consent';
}

const categorySystemOf = (options: DisclosureGateOptions): string =>
  `${(options.canonicalBase ?? PEERKIT_CANONICAL).replace(/\/+$/, '')}/CodeSystem/data-category`;

/** Labels one resource (when asked), decides it, and says why it may not go (undefined: it may). */
function decideOne(
  input: Resource,
  compiled: CompiledConsents,
  request: DisclosureRequest,
  options: DisclosureGateOptions,
  categorySystem: string,
): { resource: Resource; reason: WithheldReason | undefined; decided: UnauditedDecision } {
  const context = options.label?.(input);
  const resource = context === undefined ? input : labelResource(input, context, options.labelOptions);
  const categories = (options.dataCategoriesOf ?? peerkitDataCategories)(resource).map((code) => ({ system: categorySystem, code }));
  const decided = compiled.decideWithoutAudit(entryRequest(request, resource, categories));
  return { resource, reason: withheldReason(decided), decided };
}

const isCompiled = (consents: readonly ConsentResource[] | CompiledConsents): consents is CompiledConsents => !Array.isArray(consents);

/** Compiles the consents once for a gate; a host canonical base's data-category codes are known codes. */
function compileForGate(consents: readonly ConsentResource[], options: DisclosureGateOptions): CompiledConsents {
  if (options.canonicalBase === undefined || options.canonicalBase.replace(/\/+$/, '') === PEERKIT_CANONICAL) return compileConsents(consents, options);
  const dataCategory = { system: categorySystemOf(options), criteria: ['code' as const], kind: 'closed' as const, source: 'PeerKit data-category CodeSystem (host canonical base)' };
  return compileConsents(consents, { ...options, codeSystems: [...(options.codeSystems ?? []), dataCategory] });
}

/** The result of {@link decideResourceDisclosure}. */
export interface ResourceDisclosure {
  /** Why the resource may not go; `undefined` when it may (a clean PERMIT). */
  readonly withheld: WithheldReason | undefined;
  /** The decision, without an AuditEvent (the caller audits the disclosure as a whole). */
  readonly decision: ConsentDecision['decision'];
  /** The resource as decided (labelled when `options.label` gave it a context). */
  readonly resource: Resource;
  /** The resource carries 42 CFR Part 2 labels, or the decision asks for the §2.32 notice. */
  readonly needsNotice: boolean;
}

/**
 * Decides one resource the way {@link gateDisclosure} decides each Bundle entry: with the request's
 * recipient and purpose and the resource's own labels, type, codes, reference and date. For callers
 * that stream resources one at a time (a sync to a FHIR server) instead of gating a whole Bundle.
 * It does not write an AuditEvent: audit the disclosure as a whole.
 *
 * @param resource - the resource that would be disclosed
 * @param consents - the patient's consents (R4, R5 Consent, R5 Permission), or, when deciding many
 *   resources, the same consents compiled once with `compileConsents(consents, options)`
 * @param request - recipient, purpose, action, date (its data fields are replaced by the resource's)
 * @param options - decision and labelling options, as for {@link gateDisclosure}
 * @returns whether it may go and, if not, why
 * @example
 * const compiled = compileConsents(consents, { now: new Date() });
 * const { withheld } = decideResourceDisclosure(note, compiled, request, { now: new Date() });
 * if (withheld !== undefined) skip(note); // 'part2-not-covered', 'consent-deny', …
 * See: 42 CFR §2.31, §2.32; reference/fhir-mapping.md §2.4
 */
export function decideResourceDisclosure(
  resource: Resource,
  consents: readonly ConsentResource[] | CompiledConsents,
  request: DisclosureRequest,
  options: DisclosureGateOptions,
): ResourceDisclosure {
  const compiled = isCompiled(consents) ? consents : compileForGate(consents, options);
  const one = decideOne(resource, compiled, request, options, categorySystemOf(options));
  return {
    withheld: one.reason,
    decision: one.decided.decision,
    resource: one.resource,
    needsNotice: isPart2Labeled(one.resource) || one.decided.obligations.some((o) => o.kind === 'attach-notice'),
  };
}

/** Replaces references to withheld resources with a display-only reference; counts them. */
function redactReferences(value: unknown, withheld: ReadonlySet<string>, counter: { n: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => redactReferences(v, withheld, counter));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (typeof obj.reference === 'string' && withheld.has(normalizeReference(obj.reference))) {
    counter.n += 1;
    return { display: 'withheld' };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = redactReferences(v, withheld, counter);
  return out;
}

/**
 * Gates a disclosure: decides each entry of a Bundle against the patient's consents and returns
 * what may be sent, with a preview.
 *
 * @param bundle - the data to disclose (not changed)
 * @param consents - the patient's consents (R4, R5 Consent, R5 Permission), or compiled once with `compileConsents`
 * @param request - recipient, purpose, action, date (its own data fields are replaced per entry)
 * @param options - decision options, labeling, reference redaction
 * @returns the decision (with one AuditEvent), the Bundle that may go, and a types-and-counts preview
 * @example
 * const { bundle: safe, preview } = gateDisclosure(bundle, consents, request, { now: new Date() });
 * console.log(preview.withheld); // [{ resourceType: 'DocumentReference', reason: 'consent-deny', count: 2 }]
 * See: 42 CFR §2.32; reference/fhir-mapping.md §2.4
 */
export function gateDisclosure(
  bundle: Bundle,
  consents: readonly ConsentResource[] | CompiledConsents,
  request: DisclosureRequest,
  options: DisclosureGateOptions,
): DisclosureGateResult {
  const compiled = isCompiled(consents) ? consents : compileForGate(consents, options);
  const disclosed: Record<string, number> = {};
  const withheldCounts = new Map<string, { resourceType: string; reason: WithheldReason; count: number }>();
  const withheldRefs = new Set<string>();
  const kept: BundleEntry[] = [];
  const basisConsents = new Set<string>();
  let notice = false;
  let breakGlass = false;
  const categorySystem = categorySystemOf(options);

  for (const e of bundle.entry ?? []) {
    if (!e.resource) {
      const k = `Bundle.entry|no-resource`;
      const w = withheldCounts.get(k) ?? { resourceType: '(no resource)', reason: 'no-resource' as const, count: 0 };
      withheldCounts.set(k, { ...w, count: w.count + 1 });
      continue;
    }
    const { resource, reason, decided } = decideOne(e.resource, compiled, request, options, categorySystem);
    if (reason === undefined) {
      kept.push({ ...e, resource });
      disclosed[resource.resourceType] = (disclosed[resource.resourceType] ?? 0) + 1;
      for (const ref of decided.deciding) basisConsents.add(ref);
      if (decided.breakGlass) breakGlass = true;
      if (isPart2Labeled(resource) || decided.obligations.some((o) => o.kind === 'attach-notice')) notice = true;
    } else {
      const k = `${resource.resourceType}|${reason}`;
      const w = withheldCounts.get(k) ?? { resourceType: resource.resourceType, reason, count: 0 };
      withheldCounts.set(k, { ...w, count: w.count + 1 });
      if (resource.id !== undefined) withheldRefs.add(`${resource.resourceType}/${resource.id}`);
      if (e.fullUrl !== undefined) withheldRefs.add(normalizeReference(e.fullUrl));
    }
  }

  const counter = { n: 0 };
  const entries =
    options.redactReferences === false || withheldRefs.size === 0
      ? kept
      : (redactReferences(kept, withheldRefs, counter) as BundleEntry[]);

  const permitted = entries.length > 0;
  const decisionCode: ConsentDecision['decision'] = permitted ? 'PERMIT' : (bundle.entry?.length ?? 0) === 0 ? 'NO_CONSENT' : 'DENY';
  const withheld = [...withheldCounts.values()];
  let out: Bundle | undefined;
  if (permitted) {
    const base: Bundle = { ...bundle, entry: entries };
    if (base.total !== undefined) base.total = entries.length;
    out = withHighWaterMark(base);
    if (notice) {
      const text = options.redisclosureNotice ?? PART2_REDISCLOSURE_NOTICE;
      out = { ...out, meta: { ...out.meta, extension: [...(out.meta?.extension ?? []), { url: REDISCLOSURE_NOTICE_EXTENSION, valueString: text }] } };
    }
  }

  const basis: ConsentDecision['basis'] = breakGlass
    ? { kind: 'break-glass', strategy: options.strategy ?? 'deny-overrides', source: '42 CFR §2.51 (medical emergencies)' }
    : basisConsents.size > 0
      ? { kind: 'consent', consent: [...basisConsents].join(' '), strategy: options.strategy ?? 'deny-overrides' }
      : { kind: 'none', strategy: options.strategy ?? 'deny-overrides' };
  const obligations: ConsentDecision['obligations'] = notice
    ? [
        {
          kind: 'attach-notice',
          code: { system: SYSTEMS.actCode, code: 'NORDSCLCD' },
          notice: options.redisclosureNotice ?? PART2_REDISCLOSURE_NOTICE,
          basis: 'part2: the disclosure carries 42 CFR Part 2 records',
          source: '42 CFR §2.32',
        },
      ]
    : [];
  const explanation: ConsentDecision['explanation'] = withheld.map((w) => ({
    consent: '-',
    role: 'not-applicable' as const,
    reason: w.reason,
    message: `${w.count} ${w.resourceType} ${w.count === 1 ? 'entry' : 'entries'} withheld (${w.reason})`,
  }));
  const entities: AuditEntityInput[] = kept.flatMap((e) =>
    e.resource?.id === undefined ? [] : [{ reference: `${e.resource.resourceType}/${e.resource.id}` }],
  );
  const audit = createConsentAuditEvent(
    { decision: decisionCode, breakGlass, basis, request, now: options.now, consents: [...basisConsents], disclosed: entities },
    options.audit,
  );
  const preview: DisclosurePreview = {
    decision: decisionCode,
    breakGlass,
    disclosed,
    withheld,
    redactedReferences: counter.n,
    noticeAttached: notice && permitted,
  };
  return { decision: { decision: decisionCode, breakGlass, obligations, basis, explanation, audit }, bundle: out, preview };
}
