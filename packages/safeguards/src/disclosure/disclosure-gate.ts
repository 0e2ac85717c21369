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
 * The 2024 Part 2 duties, in order, on each entry the consents permit: a SUD counseling note goes
 * only to its author or under a consent naming SUD counseling notes alone (§2.31(b)); an agreed
 * restriction withholds what it covers (§2.26). A sent Bundle holding Part 2 records carries the
 * §2.32 notice and copies of the consents it rests on; with the `ledger` option the result also
 * holds the disclosure ledger's entry (§2.25), for the caller to append.
 *
 * See: reference/fhir-mapping.md §2.4, §5 (LEAP step 9: label, then redact per obligations);
 * 42 CFR §2.25, §2.26, §2.31(b), §2.32
 */
import type { Issue, Result } from '@peerkit/model';
import { PEERKIT_CANONICAL, SYSTEMS } from '@peerkit/fhir';
import type { AuditEntityInput } from '../consent/audit-event';
import { createConsentAuditEvent } from '../consent/audit-event';
import { normalizeReference } from '../consent/actors';
import { compileConsents, type CompileConsentsOptions, type CompiledConsents } from '../consent/compile-consents';
import type { ConsentDecision, ConsentDecisionCode, UnauditedDecision } from '../consent/decision';
import { PART2_REDISCLOSURE_NOTICE } from '../consent/decision-options';
import { consentRef } from '../consent/evaluate-consent';
import type { ConsentResource } from '../consent/r5';
import type { DisclosureRequest } from '../consent/request';
import { toCodes, type Code } from '../internal/codes';
import { applyCounselingNoteRule, type CounselingNoteOptions } from '../part2/counseling-notes';
import { toDisclosureLedgerEntry, type GateLedgerOptions } from '../part2/ledger';
import { attachRedisclosureNotice, type RedisclosureNoticeOptions } from '../part2/notice';
import { applyRestrictions, type RestrictionContext, type RestrictionOptions, type RestrictionRecord } from '../part2/restrictions';
import type { Bundle, BundleEntry, CodeableConcept, Resource } from 'fhir/r4';
import { peerkitDataCategories } from './data-categories';
import type { DisclosureGateResult, DisclosurePreview, WithheldReason } from './gate-result';
import { isPart2Labeled, labelResource, withHighWaterMark, type LabelContext, type LabelOptions } from './security-labels';

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
  /** Codes that mark a SUD counseling note (42 CFR §2.31(b)). Default `[SUD_COUNSELING_NOTES]`. */
  counselingNotes?: CounselingNoteOptions;
  /**
   * The patients' agreed restrictions (42 CFR §2.26; the paid-in-full restriction to a health plan):
   * an entry the consents permit and a restriction covers is withheld (`restriction`). Default none.
   */
  restrictions?: readonly RestrictionRecord[];
  /**
   * What disclosing a resource adds for the restrictions: the recipient is a health plan, the
   * disclosure is required by law or for emergency treatment. Default `{}` (a recipient not said
   * to be otherwise counts as a health plan); the clock is `now`.
   */
  restrictionContext?: (resource: Resource) => RestrictionContext;
  /** Emergency exception and purpose sets of the restrictions. Default those of `applyRestrictions`. */
  restrictionOptions?: RestrictionOptions;
  /**
   * How the §2.32 notice reads: `statement`, `as` (DocumentReference or Composition), `author`,
   * `newId`. Default Statement 2 (or `redisclosureNotice`) as a DocumentReference.
   */
  notice?: Pick<RedisclosureNoticeOptions, 'statement' | 'as' | 'author' | 'newId'>;
  /**
   * Build the disclosure ledger's entry of this decision (`result.ledgerEntry`, 42 CFR §2.25) with
   * these options. The gate is pure: append the entry yourself, `await ledger.append(result.ledgerEntry)`.
   * `recorded` is `now`; `channel` defaults to `ehr`. Default: no entry.
   */
  ledger?: Omit<GateLedgerOptions, 'recorded'>;
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

const categorySystemOf = (options: DisclosureGateOptions): string =>
  `${(options.canonicalBase ?? PEERKIT_CANONICAL).replace(/\/+$/, '')}/CodeSystem/data-category`;

const isCompiled = (consents: readonly ConsentResource[] | CompiledConsents): consents is CompiledConsents => !Array.isArray(consents);

/**
 * Compiles consents once for many gate decisions ({@link gateDisclosure}, {@link decideResourceDisclosure}):
 * `compileConsents` with the gate's options, the data-category codes of a host `canonicalBase`
 * known codes.
 *
 * @param consents - R4 Consents, R5 Consents, R5 Permissions (any patients)
 * @param options - the gate's options
 * @returns the compiled set, to pass as the gate's `consents`
 * @example
 * const compiled = compileGateConsents(consents, options);
 * for (const resource of stream) decideResourceDisclosure(resource, compiled, request, options);
 */
export function compileGateConsents(consents: readonly ConsentResource[], options: DisclosureGateOptions): CompiledConsents {
  if (options.canonicalBase === undefined || options.canonicalBase.replace(/\/+$/, '') === PEERKIT_CANONICAL) return compileConsents(consents, options);
  const dataCategory = { system: categorySystemOf(options), criteria: ['code' as const], kind: 'closed' as const, source: 'PeerKit data-category CodeSystem (host canonical base)' };
  return compileConsents(consents, { ...options, codeSystems: [...(options.codeSystems ?? []), dataCategory] });
}

/** One gate run: the compiled consents, and the subsets the counseling-note rule decides with, compiled on first use. */
interface GateContext {
  readonly compiled: CompiledConsents;
  readonly options: DisclosureGateOptions;
  readonly categorySystem: string;
  readonly subsets: Map<string, CompiledConsents>;
}

function gateContext(consents: readonly ConsentResource[] | CompiledConsents, options: DisclosureGateOptions): GateContext {
  const compiled = isCompiled(consents) ? consents : compileGateConsents(consents, options);
  return { compiled, options, categorySystem: categorySystemOf(options), subsets: new Map() };
}

/** The decision with only some of the consents (the counseling-note rule's); break-glass opens nothing here. */
function decideWithSubset(ctx: GateContext, subset: readonly ConsentResource[], request: DisclosureRequest): ConsentDecisionCode {
  const key = subset.map((c) => ctx.compiled.consents.indexOf(c as (typeof ctx.compiled.consents)[number])).join(' ');
  let compiled = ctx.subsets.get(key);
  if (compiled === undefined) {
    compiled = compileGateConsents(subset, ctx.options);
    ctx.subsets.set(key, compiled);
  }
  const decided = compiled.decideWithoutAudit(request);
  return decided.breakGlass ? 'DENY' : decided.decision;
}

/**
 * The Part 2 duties on what the consents permit: a SUD counseling note (§2.31(b)), then the agreed
 * restrictions (§2.26). Only ever withholds.
 */
function part2Reason(resource: Resource, request: DisclosureRequest, decided: UnauditedDecision, ctx: GateContext): WithheldReason | undefined {
  if (decided.decision !== 'PERMIT') return undefined;
  const { options } = ctx;
  const note = applyCounselingNoteRule(
    { resource, request, consents: ctx.compiled.consents, decision: decided.decision, decideWith: (subset) => decideWithSubset(ctx, subset, request) },
    options.counselingNotes,
  );
  const context: RestrictionContext = { now: options.now, ...options.restrictionContext?.(resource) };
  const restricted = applyRestrictions(note.decision, options.restrictions ?? [], request, context, options.restrictionOptions);
  return note.withheld?.reason ?? restricted.withheld?.reason;
}

function withheldReason(decision: UnauditedDecision): WithheldReason | undefined {
  if (decision.decision === 'PERMIT') {
    return decision.obligations.some((o) => o.kind === 'redact' || o.kind === 'limit-to') ? 'partial-permit' : undefined;
  }
  if (decision.basis.kind === 'part2') return 'part2-not-covered';
  return decision.decision === 'DENY' ? 'consent-deny' : 'no-consent';
}

/** Labels one resource (when asked), decides it, and says why it may not go (undefined: it may). */
function decideOne(input: Resource, ctx: GateContext, request: DisclosureRequest): { resource: Resource; reason: WithheldReason | undefined; decided: UnauditedDecision; decision: ConsentDecisionCode } {
  const { options } = ctx;
  const context = options.label?.(input);
  const resource = context === undefined ? input : labelResource(input, context, options.labelOptions);
  const categories = (options.dataCategoriesOf ?? peerkitDataCategories)(resource).map((code) => ({ system: ctx.categorySystem, code }));
  const entry = entryRequest(request, resource, categories);
  const decided = ctx.compiled.decideWithoutAudit(entry);
  const part2 = part2Reason(resource, entry, decided, ctx);
  return { resource, reason: part2 ?? withheldReason(decided), decided, decision: part2 === undefined ? decided.decision : 'DENY' };
}

/** The result of {@link decideResourceDisclosure}. */
export interface ResourceDisclosure {
  /** Why the resource may not go; `undefined` when it may (a clean PERMIT). */
  readonly withheld: WithheldReason | undefined;
  /** The decision, without an AuditEvent (the caller audits the disclosure as a whole); DENY when a Part 2 duty withheld a PERMIT. */
  readonly decision: ConsentDecision['decision'];
  /** The resource as decided (labelled when `options.label` gave it a context). */
  readonly resource: Resource;
  /** The resource carries 42 CFR Part 2 labels, or the decision asks for the §2.32 notice. */
  readonly needsNotice: boolean;
  /** References of the consents the decision rested on (for the disclosure ledger). */
  readonly deciding: readonly string[];
  /** The engine permitted it as a break-glass emergency (§2.51). */
  readonly breakGlass: boolean;
}

/**
 * Decides one resource the way {@link gateDisclosure} decides each Bundle entry: with the request's
 * recipient and purpose and the resource's own labels, type, codes, reference and date, then the
 * Part 2 duties (SUD counseling notes, restrictions). For callers that stream resources one at a
 * time (a sync to a FHIR server) instead of gating a whole Bundle. It does not write an AuditEvent
 * nor attach the §2.32 notice: audit and notify for the disclosure as a whole.
 *
 * @param resource - the resource that would be disclosed
 * @param consents - the patient's consents (R4, R5 Consent, R5 Permission), or, when deciding many
 *   resources, the same consents compiled once with {@link compileGateConsents}
 * @param request - recipient, purpose, action, date (its data fields are replaced by the resource's)
 * @param options - decision and labelling options, as for {@link gateDisclosure}
 * @returns whether it may go and, if not, why
 * @example
 * const options = { now: new Date() };
 * const compiled = compileGateConsents(consents, options);
 * const { withheld } = decideResourceDisclosure(note, compiled, request, options);
 * if (withheld !== undefined) skip(note); // 'part2-not-covered', 'consent-deny', …
 * See: 42 CFR §2.31, §2.32; reference/fhir-mapping.md §2.4
 */
export function decideResourceDisclosure(
  resource: Resource,
  consents: readonly ConsentResource[] | CompiledConsents,
  request: DisclosureRequest,
  options: DisclosureGateOptions,
): ResourceDisclosure {
  const one = decideOne(resource, gateContext(consents, options), request);
  return {
    withheld: one.reason,
    decision: one.decision,
    resource: one.resource,
    needsNotice: isPart2Labeled(one.resource) || one.decided.obligations.some((o) => o.kind === 'attach-notice'),
    deciding: one.decided.deciding,
    breakGlass: one.decided.breakGlass,
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
 * Gates a disclosure: decides each entry of a Bundle against the patient's consents, applies the
 * Part 2 duties (SUD counseling notes, restrictions) to what they permit, attaches the §2.32 notice
 * to a Part 2 Bundle, and returns what may be sent, with a preview.
 *
 * @param bundle - the data to disclose (not changed)
 * @param consents - the patient's consents (R4, R5 Consent, R5 Permission), or compiled once with {@link compileGateConsents}
 * @param request - recipient, purpose, action, date (its own data fields are replaced per entry)
 * @param options - decision options, labeling, reference redaction, restrictions, notice, ledger
 * @returns the decision (with one AuditEvent), the Bundle that may go, a types-and-counts preview,
 *   and with `options.ledger` the ledger entry to append
 * @example
 * const result = gateDisclosure(bundle, consents, request, { now, restrictions, ledger: { channel: 'ehr' } });
 * console.log(result.preview.withheld); // [{ resourceType: 'DocumentReference', reason: 'sud-counseling-note', count: 1 }]
 * if (result.ledgerEntry) await ledger.append(result.ledgerEntry);
 * if (result.bundle) await send(result.bundle);
 * See: 42 CFR §2.25, §2.26, §2.31(b), §2.32; reference/fhir-mapping.md §2.4
 */
export function gateDisclosure(
  bundle: Bundle,
  consents: readonly ConsentResource[] | CompiledConsents,
  request: DisclosureRequest,
  options: DisclosureGateOptions,
): DisclosureGateResult {
  const ctx = gateContext(consents, options);
  const disclosed: Record<string, number> = {};
  const withheldCounts = new Map<string, { resourceType: string; reason: WithheldReason; count: number }>();
  const count = (resourceType: string, reason: WithheldReason, n = 1): void => {
    const k = `${resourceType}|${reason}`;
    const w = withheldCounts.get(k) ?? { resourceType, reason, count: 0 };
    withheldCounts.set(k, { ...w, count: w.count + n });
  };
  const withheldRefs = new Set<string>();
  const kept: BundleEntry[] = [];
  const basisConsents = new Set<string>();
  let notice = false;
  let breakGlass = false;

  for (const e of bundle.entry ?? []) {
    if (!e.resource) {
      count('(no resource)', 'no-resource');
      continue;
    }
    const { resource, reason, decided } = decideOne(e.resource, ctx, request);
    if (reason === undefined) {
      kept.push({ ...e, resource });
      disclosed[resource.resourceType] = (disclosed[resource.resourceType] ?? 0) + 1;
      for (const ref of decided.deciding) basisConsents.add(ref);
      if (decided.breakGlass) breakGlass = true;
      if (isPart2Labeled(resource) || decided.obligations.some((o) => o.kind === 'attach-notice')) notice = true;
    } else {
      count(resource.resourceType, reason);
      if (resource.id !== undefined) withheldRefs.add(`${resource.resourceType}/${resource.id}`);
      if (e.fullUrl !== undefined) withheldRefs.add(normalizeReference(e.fullUrl));
    }
  }

  const counter = { n: 0 };
  const entries =
    options.redactReferences === false || withheldRefs.size === 0
      ? kept
      : (redactReferences(kept, withheldRefs, counter) as BundleEntry[]);

  // What goes, before the notice: the ledger describes this data, not the notice or the consent copies.
  let sent: Bundle | undefined;
  if (entries.length > 0) {
    const base: Bundle = { ...bundle, entry: entries };
    if (base.total !== undefined) base.total = entries.length;
    sent = withHighWaterMark(base);
  }
  let out = sent;
  let issues: readonly Issue[] = [];
  if (sent !== undefined && notice) {
    const attached = attachNotice(sent, ctx, basisConsents);
    if (attached.ok) out = attached.value;
    else {
      // A Part 2 disclosure that cannot carry its notice does not go (§2.32).
      issues = attached.issues;
      out = undefined;
      sent = undefined;
      for (const [resourceType, n] of Object.entries(disclosed)) count(resourceType, 'notice-missing', n);
      for (const key of Object.keys(disclosed)) delete disclosed[key];
      kept.length = 0;
    }
  }

  const permitted = out !== undefined;
  const decisionCode: ConsentDecision['decision'] = permitted ? 'PERMIT' : (bundle.entry?.length ?? 0) === 0 ? 'NO_CONSENT' : 'DENY';
  const withheld = [...withheldCounts.values()];
  const strategy = options.strategy ?? 'deny-overrides';
  const basis: ConsentDecision['basis'] =
    breakGlass && permitted
      ? { kind: 'break-glass', strategy, source: '42 CFR §2.51 (medical emergencies)' }
      : basisConsents.size > 0 && permitted
        ? { kind: 'consent', consent: [...basisConsents].join(' '), strategy }
        : { kind: 'none', strategy };
  const noticeText = options.redisclosureNotice ?? PART2_REDISCLOSURE_NOTICE;
  const obligations: ConsentDecision['obligations'] =
    notice && permitted
      ? [{ kind: 'attach-notice', code: { system: SYSTEMS.actCode, code: 'NORDSCLCD' }, notice: noticeText, basis: 'part2: the disclosure carries 42 CFR Part 2 records', source: '42 CFR §2.32' }]
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
  const consentsUsed = permitted ? [...basisConsents] : [];
  const audit = createConsentAuditEvent(
    { decision: decisionCode, breakGlass: breakGlass && permitted, basis, request, now: options.now, consents: consentsUsed, disclosed: entities },
    options.audit,
  );
  const preview: DisclosurePreview = {
    decision: decisionCode,
    breakGlass: breakGlass && permitted,
    disclosed,
    withheld,
    redactedReferences: counter.n,
    noticeAttached: notice && permitted,
  };
  const result: DisclosureGateResult = {
    decision: { decision: decisionCode, breakGlass: breakGlass && permitted, obligations, basis, explanation, audit },
    bundle: out,
    preview,
    ...(issues.length > 0 ? { issues } : {}),
  };
  if (options.ledger === undefined) return result;
  const { channel = 'ehr', ...ledger } = options.ledger;
  const ledgerOptions: GateLedgerOptions = { dataCategoriesOf: options.dataCategoriesOf ?? peerkitDataCategories, ...ledger, channel, recorded: options.now };
  return { ...result, ledgerEntry: toDisclosureLedgerEntry({ ...result, bundle: sent }, request, ledgerOptions) };
}

/**
 * Attaches the §2.32 notice with copies of the consents the disclosure rests on; a break-glass
 * disclosure (§2.51) rests on none and needs no copy.
 */
function attachNotice(bundle: Bundle, ctx: GateContext, basis: ReadonlySet<string>): Result<Bundle> {
  const { options } = ctx;
  const consents = ctx.compiled.consents.filter((c, i) => basis.has(consentRef(c, i)));
  const statement = options.notice?.statement ?? (options.redisclosureNotice === undefined ? undefined : { text: options.redisclosureNotice });
  return attachRedisclosureNotice(bundle, {
    ...options.notice,
    ...(statement === undefined ? {} : { statement }),
    now: options.now,
    consents,
    madeWithConsent: basis.size > 0,
    force: true,
  });
}
