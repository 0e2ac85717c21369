/**
 * FHIR R5 `Consent` and R5 `Permission` read through the R4 engine: each is mapped to an R4
 * `Consent` whose provisions carry, in PeerKit extensions, the path of the element they came from
 * (so a decision names `provision[1]` or `rule[0]`, not the R4 shape), the criteria the engine cannot
 * evaluate (a computable expression: a deny with one applies, a permit with one never does) and, for
 * a Permission, its combining algorithm. What is not supported is reported as a `consent.` finding.
 *
 * See: https://hl7.org/fhir/R5/consent.html (decision is the default; provision[] are exceptions to
 * it; Consent.period bounds all provisions); https://hl7.org/fhir/R5/permission.html (combining
 * follows XACML rule-combining algorithms); reference/fhir-mapping.md §5 (LEAP: base decision from
 * Consent.decision, exceptions flip it).
 */
import type { Issue, IssuePath } from '@peerkit/model';
import { PEERKIT_CANONICAL } from '@peerkit/fhir';
import type { CodeableConcept, Coding, Consent, ConsentProvision, Extension, Period, Reference } from 'fhir/r4';
import type { Consent as R5Consent, ConsentProvision as R5Provision, Permission, PermissionRule } from 'fhir/r5';
import { toRange } from '../internal/dates';
import { consentFinding } from './compile-findings';
import type { ConflictStrategy } from './provision';

/** Extension on a mapped provision: the path of the R5 element it came from (`provision[1]`, `rule[0]`). */
export const SOURCE_PATH_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/consent-source-path`;
/** Extension on a mapped provision: a criterion the engine cannot evaluate (`expression`, `limit`). */
export const UNSUPPORTED_CRITERION_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/consent-unsupported-criterion`;
/** Extension on a mapped Consent: how its provisions at one level combine (from `Permission.combining`). */
export const RULE_COMBINING_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/consent-rule-combining`;

/** A consent input the engine reads: an R4 Consent, an R5 Consent or an R5 Permission. */
export type ConsentResource = Consent | R5Consent | Permission;

/** An input mapped to the R4 shape the engine evaluates. */
export interface MappedConsent {
  readonly consent: Consent;
  /** What was mapped or not supported (codes under `consent.`). */
  readonly issues: readonly Issue[];
}

/** Most data × activity combinations one Permission rule expands to. */
const MAX_RULE_COMBINATIONS = 64;

/**
 * `true` for an R5 Consent: `decision`, a `provision` array or `subject`, and no R4 `patient`.
 *
 * @param value - any resource
 * @returns whether it is shaped like an R5 Consent
 */
export function isR5Consent(value: unknown): value is R5Consent {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  if (c.resourceType !== 'Consent' || c.patient !== undefined) return false;
  return c.decision !== undefined || Array.isArray(c.provision) || c.subject !== undefined || c.status === 'not-done' || c.status === 'unknown';
}

/** R5 datatypes (Coding, Period, Reference…) are the same JSON as R4's; only their TypeScript declarations differ. */
function asR4<T>(value: unknown): T {
  return value as T;
}

const sourcePath = (path: string): Extension => ({ url: SOURCE_PATH_EXTENSION, valueString: path });
const unsupported = (criterion: string): Extension => ({ url: UNSUPPORTED_CRITERION_EXTENSION, valueCode: criterion });

function codings(concepts: unknown): Coding[] {
  return (asR4<CodeableConcept[] | undefined>(concepts) ?? []).flatMap((c) => c.coding ?? []);
}

/** An R5 provision with no selection criteria: the base provision that carries `decision`. */
function isBaseProvision(p: R5Provision): boolean {
  return (
    p.actor === undefined &&
    p.action === undefined &&
    p.securityLabel === undefined &&
    p.purpose === undefined &&
    p.documentType === undefined &&
    p.resourceType === undefined &&
    p.code === undefined &&
    p.dataPeriod === undefined &&
    p.data === undefined &&
    p.expression === undefined
  );
}

/** Later start and earlier end of two periods (either may be absent). */
function intersect(a: Period | undefined, b: Period | undefined): Period | undefined {
  if (!a) return b;
  if (!b) return a;
  const later = (x?: string, y?: string): string | undefined =>
    x === undefined ? y : y === undefined ? x : (toRange(x)?.low ?? 0) >= (toRange(y)?.low ?? 0) ? x : y;
  const earlier = (x?: string, y?: string): string | undefined =>
    x === undefined ? y : y === undefined ? x : (toRange(x)?.high ?? 0) <= (toRange(y)?.high ?? 0) ? x : y;
  const start = later(a.start, b.start);
  const end = earlier(a.end, b.end);
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

function mapR5Provision(p: R5Provision, path: string, issues: Issue[], at: IssuePath): ConsentProvision {
  const out: ConsentProvision = { extension: [sourcePath(path)] };
  if (p.period) out.period = asR4<Period>(p.period);
  if (p.actor) out.actor = p.actor.map((a) => ({ role: asR4<CodeableConcept>(a.role ?? {}), reference: asR4<Reference>(a.reference ?? {}) }));
  if (p.action) out.action = asR4<CodeableConcept[]>(p.action);
  if (p.securityLabel) out.securityLabel = asR4<Coding[]>(p.securityLabel);
  if (p.purpose) out.purpose = asR4<Coding[]>(p.purpose);
  const classes = asR4<Coding[]>([...(p.documentType ?? []), ...(p.resourceType ?? [])]);
  if (classes.length > 0) out.class = classes;
  if (p.code) out.code = asR4<CodeableConcept[]>(p.code);
  if (p.dataPeriod) out.dataPeriod = asR4<Period>(p.dataPeriod);
  if (p.data) out.data = p.data.map((d) => ({ meaning: d.meaning, reference: asR4<Reference>(d.reference) }));
  if (p.expression) {
    out.extension?.push(unsupported('expression'));
    issues.push(consentFinding('consent.expression-unsupported', [...at, 'expression'], 'provision.expression is not evaluated'));
  }
  if (p.provision) out.provision = p.provision.map((c, i) => mapR5Provision(c, `${path}.provision[${i}]`, issues, [...at, 'provision', i]));
  return out;
}

const R5_STATUS: Readonly<Record<R5Consent['status'], Consent['status']>> = {
  draft: 'draft',
  active: 'active',
  inactive: 'inactive',
  'not-done': 'rejected',
  'entered-in-error': 'entered-in-error',
  unknown: 'proposed',
};

function subjectIssues(subject: Reference | undefined, field: string, issues: Issue[]): void {
  const ref = subject?.reference;
  const notPatient = (subject?.type !== undefined && subject.type !== 'Patient') || (ref !== undefined && !ref.startsWith('#') && !/(^|\/)Patient\//.test(ref));
  if (notPatient) issues.push(consentFinding('consent.subject-not-patient', [field], `${field} is not a Patient reference`));
}

/**
 * Maps an R5 Consent to the R4 shape the engine evaluates: `decision` → root `type`,
 * `Consent.period` → root `period`, `subject` → `patient`, `date` → `dateTime`,
 * `regulatoryBasis` → `policyRule`, `policyBasis.url` → `policy.uri`, `documentType` and
 * `resourceType` → `class`; each top-level provision is an exception to the decision (a provision
 * with no selection criteria is the base provision instead: it carries the decision, and its
 * children are the exceptions).
 *
 * @param r5 - an R5 Consent
 * @returns the R4 Consent and findings
 * @example
 * const { consent, issues } = fromR5Consent(r5);
 * See: https://hl7.org/fhir/R5/consent.html
 */
export function fromR5Consent(r5: R5Consent): MappedConsent {
  const issues: Issue[] = [consentFinding('consent.r5-mapped', [], 'R5 Consent read as R4: decision, provision[], period, subject, date')];
  if (r5.status === 'not-done' || r5.status === 'unknown') {
    issues.push(consentFinding('consent.r5-status', ['status'], 'Consent.status has no R4 equivalent and is read as not in force'));
  }
  subjectIssues(asR4<Reference | undefined>(r5.subject), 'subject', issues);
  if (r5.policyBasis?.reference) {
    issues.push(consentFinding('consent.policy-reference-unsupported', ['policyBasis', 'reference'], 'policyBasis.reference is not dereferenced'));
  }
  const top = r5.provision ?? [];
  const bases = top.filter(isBaseProvision);
  let period = asR4<Period | undefined>(r5.period);
  let exceptions: { p: R5Provision; path: string; at: IssuePath }[] = top.map((p, i) => ({ p, path: `provision[${i}]`, at: ['provision', i] }));
  const root: ConsentProvision = { extension: [sourcePath(r5.decision === undefined ? 'provision' : 'decision')] };
  if (top.length === 1 && bases.length === 1 && top[0]) {
    // The single base provision carries the decision; its children are the exceptions.
    issues.push(consentFinding('consent.r5-base-provision', ['provision', 0], 'provision[0] has no selection criteria: read as the base provision'));
    period = intersect(period, asR4<Period | undefined>(top[0].period));
    exceptions = (top[0].provision ?? []).map((p, i) => ({ p, path: `provision[0].provision[${i}]`, at: ['provision', 0, 'provision', i] }));
  }
  if (r5.decision) root.type = r5.decision;
  if (period) root.period = period;
  const opposite = r5.decision === 'permit' ? 'deny' : r5.decision === 'deny' ? 'permit' : undefined;
  const children = exceptions.map(({ p, path, at }) => {
    const mapped = mapR5Provision(p, path, issues, at);
    // A base provision among several keeps the decision (it bounds its own exceptions); the others are exceptions.
    if (isBaseProvision(p) && top.length > 1) {
      if (r5.decision) mapped.type = r5.decision;
      issues.push(consentFinding('consent.r5-base-provision', at, `${path} has no selection criteria: read as a base provision`));
    } else if (opposite) mapped.type = opposite;
    return mapped;
  });
  if (children.length > 0) root.provision = children;

  const consent: Consent = {
    resourceType: 'Consent',
    status: R5_STATUS[r5.status] ?? 'proposed',
    provision: root,
  } as Consent;
  if (r5.id !== undefined) consent.id = r5.id;
  if (r5.meta) consent.meta = r5.meta as Consent['meta'];
  if (r5.identifier) consent.identifier = asR4<Consent['identifier']>(r5.identifier);
  if (r5.contained) consent.contained = r5.contained as Consent['contained'];
  if (r5.category) consent.category = asR4<CodeableConcept[]>(r5.category);
  if (r5.subject) consent.patient = asR4<Reference>(r5.subject);
  if (r5.date !== undefined) consent.dateTime = r5.date;
  const basis = codings(r5.regulatoryBasis);
  if (basis.length > 0) consent.policyRule = { coding: basis };
  if (r5.policyBasis?.url !== undefined) consent.policy = [{ uri: r5.policyBasis.url }];
  return { consent, issues };
}

/** The XACML combining algorithm as a root effect and a conflict strategy between rules. */
const COMBINING: Readonly<Record<Permission['combining'], { base?: 'permit' | 'deny'; strategy: ConflictStrategy }>> = {
  'deny-overrides': { strategy: 'deny-overrides' },
  'ordered-deny-overrides': { strategy: 'deny-overrides' },
  'permit-overrides': { strategy: 'permit-overrides' },
  'ordered-permit-overrides': { strategy: 'permit-overrides' },
  'deny-unless-permit': { base: 'deny', strategy: 'permit-overrides' },
  'permit-unless-deny': { base: 'permit', strategy: 'deny-overrides' },
};

const PATIENT_REFERENCE = /(^|\/)Patient\/[^/]+$/;

function ruleProvisions(rule: PermissionRule, index: number, issues: Issue[]): ConsentProvision[] {
  const path = `rule[${index}]`;
  const at: IssuePath = ['rule', index];
  const datas = rule.data && rule.data.length > 0 ? rule.data : [undefined];
  const activities = rule.activity && rule.activity.length > 0 ? rule.activity : [undefined];
  const out: ConsentProvision[] = [];
  let dropped = false;
  for (const [d, data] of datas.entries()) {
    const periods = data?.period && data.period.length > 0 ? data.period : [undefined];
    for (const dataPeriod of periods) {
      for (const activity of activities) {
        if (out.length >= MAX_RULE_COMBINATIONS) {
          dropped = true;
          continue;
        }
        const p: ConsentProvision = { extension: [sourcePath(path)] };
        if (rule.type) p.type = rule.type;
        // A Patient named in rule.data.resource says whose data the rule is about: that is the
        // consent's patient, not a data criterion.
        const resources = (data?.resource ?? []).filter((r) => !PATIENT_REFERENCE.test(r.reference.reference ?? ''));
        if (resources.length > 0) p.data = resources.map((r) => ({ meaning: r.meaning, reference: asR4<Reference>(r.reference) }));
        if (data?.security) p.securityLabel = asR4<Coding[]>(data.security);
        if (dataPeriod) p.dataPeriod = asR4<Period>(dataPeriod);
        if (data?.expression) {
          p.extension?.push(unsupported('expression'));
          issues.push(consentFinding('consent.expression-unsupported', [...at, 'data', d, 'expression'], 'rule.data.expression is not evaluated'));
        }
        if (activity?.actor) p.actor = activity.actor.map((reference) => ({ role: {}, reference: asR4<Reference>(reference) }));
        if (activity?.action) p.action = asR4<CodeableConcept[]>(activity.action);
        const purposes = codings(activity?.purpose);
        if (purposes.length > 0) p.purpose = purposes;
        if (rule.limit && rule.limit.length > 0) p.extension?.push(unsupported('limit'));
        out.push(p);
      }
    }
  }
  if (rule.limit && rule.limit.length > 0) {
    issues.push(consentFinding('consent.permission-limit-unsupported', [...at, 'limit'], 'rule.limit is not enforced'));
  }
  if (dropped) {
    issues.push(consentFinding('consent.rule-combinations', at, `rule.data × rule.activity expands to more than ${MAX_RULE_COMBINATIONS} provisions`));
    if (rule.type === 'deny') out.push({ type: 'deny', extension: [sourcePath(path), unsupported('combinations')] });
  }
  return out;
}

/**
 * Maps an R5 Permission to the R4 shape the engine evaluates: `validity` → root `period`, the
 * latest `date` → `dateTime`, `justification.basis` → `policyRule`, `combining` → the root effect
 * (deny-unless-permit: deny; permit-unless-deny: permit) and the conflict strategy between rules
 * (a {@link RULE_COMBINING_EXTENSION}), each rule → one provision per data × activity combination.
 * The patient is the one Patient named in `rule.data.resource`.
 *
 * @param permission - an R5 Permission
 * @returns the R4 Consent and findings
 * @example
 * const { consent, issues } = fromPermission(permission);
 * See: https://hl7.org/fhir/R5/permission.html
 */
export function fromPermission(permission: Permission): MappedConsent {
  const issues: Issue[] = [consentFinding('consent.permission-mapped', [], 'R5 Permission read as R4: combining, validity, rule[]')];
  const combining = COMBINING[permission.combining] ?? COMBINING['deny-overrides'];
  const patients = new Set<string>();
  for (const rule of permission.rule ?? []) {
    for (const data of rule.data ?? []) {
      for (const r of data.resource ?? []) {
        const ref = r.reference.reference;
        if (ref !== undefined && PATIENT_REFERENCE.test(ref)) patients.add(ref);
      }
    }
  }
  if (patients.size !== 1) issues.push(consentFinding('consent.permission-patient', ['rule'], 'rule.data.resource does not name exactly one Patient'));
  const root: ConsentProvision = { extension: [sourcePath('combining')] };
  if (combining.base) root.type = combining.base;
  if (permission.validity) root.period = asR4<Period>(permission.validity);
  const rules = (permission.rule ?? []).flatMap((rule, i) => ruleProvisions(rule, i, issues));
  if (rules.length > 0) root.provision = rules;
  const consent: Consent = {
    resourceType: 'Consent',
    status: permission.status,
    extension: [{ url: RULE_COMBINING_EXTENSION, valueCode: combining.strategy }],
    provision: root,
  } as Consent;
  if (permission.id !== undefined) consent.id = permission.id;
  if (permission.contained) consent.contained = permission.contained as Consent['contained'];
  const [patient] = [...patients];
  if (patients.size === 1 && patient !== undefined) consent.patient = { reference: patient };
  const latest = (permission.date ?? []).reduce<string | undefined>(
    (best, d) => (best === undefined || (toRange(d)?.low ?? 0) > (toRange(best)?.low ?? 0) ? d : best),
    undefined,
  );
  if (latest !== undefined) consent.dateTime = latest;
  const basis = codings(permission.justification?.basis);
  if (basis.length > 0) consent.policyRule = { coding: basis };
  return { consent, issues };
}

/**
 * Reads any consent input as the R4 shape the engine evaluates: R4 Consents as they are, R5
 * Consents and Permissions mapped.
 *
 * @param input - an R4 Consent, an R5 Consent or an R5 Permission
 * @returns the R4 Consent and findings (none for R4)
 */
export function toEngineConsent(input: ConsentResource): MappedConsent {
  if (input.resourceType === 'Permission') return fromPermission(input);
  if (isR5Consent(input)) return fromR5Consent(input);
  return { consent: input as Consent, issues: [] };
}
