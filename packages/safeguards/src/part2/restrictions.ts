/**
 * Restriction requests: a patient may ask a Part 2 program to restrict uses and disclosures for
 * treatment, payment and health care operations, even where a consent allows them; an agreed
 * restriction binds the program. The program must agree to restrict disclosures to a health plan
 * for payment or health care operations, not otherwise required by law, of records about an item or
 * service paid for in full by the patient (or someone other than the plan on the patient's behalf).
 *
 * A {@link RestrictionRecord} is applied on top of the consent engine: {@link applyRestrictions}
 * only ever turns a PERMIT into a DENY, never the other way.
 *
 * Verification: 42 CFR §2.26 mirrors the HIPAA right in 45 CFR §164.522(a)(1); the HIPAA text
 * (including (a)(1)(vi), the paid-in-full restriction, and (a)(1)(iii), the emergency-treatment
 * exception) was read in a copy of the CFR; §2.26's own text only in secondary sources. The emergency
 * exception is therefore an option, off by default.
 *
 * See: 42 CFR §2.26; 45 CFR §164.522(a)(1)
 */
import { fail, fromZodIssues, ok, type Result } from '@peerkit/model';
import { z } from 'zod';
import type { ConsentDecisionCode } from '../consent/decision';
import type { DisclosureRequest } from '../consent/request';
import { intersects, normalizeSystem, type Code } from '../internal/codes';
import { isFhirDateTime, toRange } from '../internal/dates';
import { anySameToken, tokensOf } from '../internal/tokens';
import type { Part2RuleOutcome } from './counseling-notes';
import type { RegulatoryFact } from './regulation';

/** The rules of this module, with how they were checked. */
export const RESTRICTION_RULES: Readonly<Record<'request' | 'selfPay' | 'emergency', RegulatoryFact>> = {
  request: { source: '42 CFR §2.26(a)', verification: 'secondary', note: 'right to request restrictions of TPO uses and disclosures; an agreed one binds (mirrors 45 CFR §164.522(a)(1)(i)-(iii))' },
  selfPay: {
    source: '42 CFR §2.26(a); 45 CFR §164.522(a)(1)(vi)',
    verification: 'regulation-text',
    note: 'HIPAA text read: must agree to restrict disclosure to a health plan for payment or operations, not required by law, of an item or service paid in full',
  },
  emergency: { source: '45 CFR §164.522(a)(1)(iii)', verification: 'regulation-text', note: 'restricted information may be used or disclosed for emergency treatment' },
};

/** An agreed restriction. Every stated criterion must match a request for the restriction to apply. */
export interface RestrictionRecord {
  readonly id: string;
  /** The patient, as a token: `Patient/123` or `system|value`. */
  readonly patient: string;
  /** `agreed`: the program agreed to the patient's request; `self-pay`: the paid-in-full restriction to a health plan, which it must agree to. */
  readonly kind: 'agreed' | 'self-pay';
  /** `active`, or `terminated` (by the patient, or by the program as the rule allows). */
  readonly status: 'active' | 'terminated';
  /** When it was agreed (a FHIR date or dateTime). */
  readonly agreedOn: string;
  /** When it ended, for a terminated one. */
  readonly terminatedOn?: string;
  /** Recipients it protects against, as tokens. Not stated: every recipient (for `self-pay`: health plans). */
  readonly recipients?: readonly string[];
  /** v3-ActReason purposes it covers. Not stated: TPO (`self-pay`: payment and operations). */
  readonly purposes?: readonly string[];
  /** Data it covers: security labels, classes (resource types) or codes, any of them. Not stated: all the patient's data. */
  readonly data?: readonly Code[];
  /** For `self-pay`: references of the items or services paid in full (`Encounter/1`, `Claim/7`). */
  readonly services?: readonly string[];
}

/** What a request adds for restrictions, beyond the {@link DisclosureRequest}. */
export interface RestrictionContext {
  /** The recipient is a health plan. Not stated: treated as one (a `self-pay` restriction applies). */
  readonly recipientIsHealthPlan?: boolean;
  /** The disclosure is required by law: a `self-pay` restriction does not apply. Default `false`. */
  readonly requiredByLaw?: boolean;
  /** The disclosure is for emergency treatment of the patient. Default `false`. */
  readonly emergencyTreatment?: boolean;
  /** The evaluation date when the request has none. */
  readonly now?: string | Date;
}

/** Options of {@link applyRestrictions}. */
export interface RestrictionOptions {
  /** Let an `agreed` restriction yield for emergency treatment (45 CFR §164.522(a)(1)(iii)). Default `false`. */
  emergencyException?: boolean;
  /** Purposes a restriction without `purposes` covers. Default v3-ActReason `TREAT`, `HPAYMT`, `HOPERAT`. */
  tpoPurposes?: readonly string[];
  /** Purposes a `self-pay` restriction covers. Default `HPAYMT`, `HOPERAT`. */
  selfPayPurposes?: readonly string[];
}

/** Purposes the engine also reads as TPO; the host can widen them (e.g. `COC`). */
const DEFAULT_TPO = ['TREAT', 'HPAYMT', 'HOPERAT'];
const DEFAULT_SELF_PAY = ['HPAYMT', 'HOPERAT'];

function inForce(r: RestrictionRecord, at: number): boolean {
  if (r.status === 'terminated' && r.terminatedOn === undefined) return false;
  const agreed = toRange(r.agreedOn)?.low;
  const ended = r.terminatedOn === undefined ? undefined : toRange(r.terminatedOn)?.low;
  return agreed !== undefined && agreed <= at && (ended === undefined || at < ended);
}

function dateOf(request: DisclosureRequest, context: RestrictionContext): number {
  if (request.date !== undefined) return toRange(request.date)?.low ?? Number.NaN;
  const now = context.now;
  if (now instanceof Date) return now.getTime();
  if (now !== undefined) return toRange(now)?.low ?? Number.NaN;
  return Number.NaN;
}

/** `true` when a stated list matches the request's list; an unstated request side matches (fail closed). */
function listMatches(stated: readonly string[], requested: readonly string[]): boolean {
  return requested.length === 0 || requested.some((r) => stated.includes(r));
}

/**
 * The in-force restrictions that cover a request (see {@link applyRestrictions} for the rules).
 *
 * @param restrictions - the patient's restriction records
 * @param request - the disclosure request
 * @param context - health plan, required by law, emergency, clock
 * @param options - emergency exception, purpose sets
 * @returns the restrictions that apply, in input order
 * @example
 * restrictionsFor([selfPay], request, { recipientIsHealthPlan: true }).map((r) => r.id); // ['r-self-pay']
 * See: 42 CFR §2.26
 */
export function restrictionsFor(
  restrictions: readonly RestrictionRecord[],
  request: DisclosureRequest,
  context: RestrictionContext = {},
  options: RestrictionOptions = {},
): RestrictionRecord[] {
  const at = dateOf(request, context);
  const patient = tokensOf(request.patient);
  const recipients = request.actor.flatMap((a) => tokensOf(a));
  const purposes = request.purposeOfUse.map((p) => p.code);
  const data = [...(request.securityLabel ?? []), ...(request.class ?? []), ...(request.code ?? [])];
  const dataStated = request.securityLabel !== undefined || request.class !== undefined || request.code !== undefined || request.data !== undefined;
  return restrictions.filter((r) => {
    // Without a date the restriction is taken as in force (fail closed).
    if (!Number.isNaN(at) && !inForce(r, at)) return false;
    if (Number.isNaN(at) && r.status === 'terminated') return false;
    if (!anySameToken([r.patient], patient)) return false;
    if (r.recipients !== undefined && r.recipients.length > 0 && recipients.length > 0 && !anySameToken(r.recipients, recipients)) return false;
    if (r.kind === 'self-pay') {
      if (context.requiredByLaw === true) return false;
      if (context.recipientIsHealthPlan === false) return false;
      if (!listMatches(r.purposes ?? options.selfPayPurposes ?? DEFAULT_SELF_PAY, purposes)) return false;
      const services = r.services ?? [];
      if (services.length > 0 && request.data !== undefined && !anySameToken(services, request.data)) return false;
    } else {
      if (context.emergencyTreatment === true && options.emergencyException === true) return false;
      if (!listMatches(r.purposes ?? options.tpoPurposes ?? DEFAULT_TPO, purposes)) return false;
    }
    if (r.data !== undefined && r.data.length > 0 && dataStated && !intersects(r.data, data)) return false;
    return true;
  });
}

/**
 * Applies agreed restrictions on top of a consent decision: a PERMIT becomes DENY when an in-force
 * restriction for the patient covers the request's recipient, purpose and data. What the request
 * does not state (no recipient, no purpose, no data) counts as covered. DENY and NO_CONSENT pass
 * unchanged: a restriction never permits.
 *
 * @param decision - the consent engine's decision for the request
 * @param restrictions - the patient's restriction records
 * @param request - the disclosure request (per resource, as the gate decides it)
 * @param context - health plan, required by law, emergency, clock
 * @param options - emergency exception, purpose sets
 * @returns the decision and, when it turned to DENY, why
 * @example
 * const out = applyRestrictions('PERMIT', [selfPay], request, { recipientIsHealthPlan: true });
 * out.decision; // 'DENY'
 * See: 42 CFR §2.26; 45 CFR §164.522(a)(1)
 */
export function applyRestrictions(
  decision: ConsentDecisionCode,
  restrictions: readonly RestrictionRecord[],
  request: DisclosureRequest,
  context: RestrictionContext = {},
  options: RestrictionOptions = {},
): Part2RuleOutcome & { readonly restrictedBy: readonly string[] } {
  if (decision !== 'PERMIT') return { decision, restrictedBy: [] };
  const applying = restrictionsFor(restrictions, request, context, options);
  if (applying.length === 0) return { decision, restrictedBy: [] };
  const selfPay = applying.some((r) => r.kind === 'self-pay');
  return {
    decision: 'DENY',
    restrictedBy: applying.map((r) => r.id),
    withheld: {
      reason: 'restriction',
      source: selfPay ? RESTRICTION_RULES.selfPay.source : RESTRICTION_RULES.request.source,
      message: selfPay
        ? 'The patient restricted disclosure to a health plan of an item or service paid in full'
        : 'An agreed restriction covers this recipient, purpose and data',
    },
  };
}

const text = z.string().min(1).max(500);
const fhirDate = text.refine(isFhirDateTime, { message: 'Must be a FHIR date or dateTime', params: { code: 'schema.invalid-format' } });
const code = z.union([text, z.strictObject({ system: text.optional(), code: text })]);
const restrictionSchema = z.strictObject({
  id: text,
  patient: text,
  kind: z.enum(['agreed', 'self-pay']),
  status: z.enum(['active', 'terminated']).default('active'),
  agreedOn: fhirDate,
  terminatedOn: fhirDate.optional(),
  recipients: z.array(text).max(100).optional(),
  purposes: z.array(text).max(20).optional(),
  data: z.array(code).max(100).optional(),
  services: z.array(text).max(1000).optional(),
});

/**
 * Validates a restriction record (JSON). `data` entries are codings or bare codes.
 *
 * @param input - any value, typically parsed JSON
 * @returns the record, or issues naming each invalid field (never its value); an `agreed`
 *   restriction with no recipient, purpose or data is an error (`restriction.empty`), a terminated
 *   one needs `terminatedOn`
 * @example
 * parseRestriction({ id: 'r1', patient: 'Patient/1', kind: 'self-pay', agreedOn: '2026-03-01', services: ['Encounter/9'] });
 * See: 42 CFR §2.26
 */
export function parseRestriction(input: unknown): Result<RestrictionRecord> {
  const parsed = restrictionSchema.safeParse(input);
  if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
  const raw = parsed.data;
  if (raw.kind === 'agreed' && raw.recipients === undefined && raw.purposes === undefined && raw.data === undefined) {
    return fail([{ severity: 'error', code: 'restriction.empty', path: [], message: 'An agreed restriction needs recipients, purposes or data', source: RESTRICTION_RULES.request.source }]);
  }
  if (raw.status === 'terminated' && raw.terminatedOn === undefined) {
    return fail([{ severity: 'error', code: 'restriction.termination-missing', path: ['terminatedOn'], message: 'A terminated restriction needs terminatedOn' }]);
  }
  const record: { -readonly [K in keyof RestrictionRecord]: RestrictionRecord[K] } = {
    id: raw.id,
    patient: raw.patient,
    kind: raw.kind,
    status: raw.status,
    agreedOn: raw.agreedOn,
  };
  if (raw.terminatedOn !== undefined) record.terminatedOn = raw.terminatedOn;
  if (raw.recipients !== undefined) record.recipients = raw.recipients;
  if (raw.purposes !== undefined) record.purposes = raw.purposes;
  if (raw.services !== undefined) record.services = raw.services;
  if (raw.data !== undefined) {
    record.data = raw.data.map((c): Code => {
      if (typeof c === 'string') return { code: c };
      const system = normalizeSystem(c.system);
      return system === undefined ? { code: c.code } : { system, code: c.code };
    });
  }
  return ok(record);
}
