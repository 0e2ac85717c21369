/**
 * Reads consents from JSON: a Bundle (any type), an array, or one resource; FHIR R4 Consents, and
 * R5 Consents and R5 Permissions mapped to the R4 shape the engine evaluates (with `consent.`
 * findings for what is mapped or not supported). Checks the elements the decision engine reads, so
 * a malformed consent is reported with its path instead of being silently misread.
 *
 * See: https://hl7.org/fhir/R4/consent.html; https://hl7.org/fhir/R5/consent.html;
 * https://hl7.org/fhir/R5/permission.html
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import type { Consent } from 'fhir/r4';
import { z } from 'zod';
import { isFhirDateTime } from '../internal/dates';
import { fromZodIssues } from '@peerkit/model';
import { isR5Consent, toEngineConsent, type ConsentResource } from './r5';

/** Deepest provision nesting accepted; deeper trees are reported rather than walked. */
export const MAX_PROVISION_DEPTH = 32;

const fhirDate = z
  .string()
  .refine(isFhirDateTime, { message: 'Must be a FHIR date or dateTime', params: { code: 'schema.invalid-format' } });
const coding = z.looseObject({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const codeableConcept = z.looseObject({ coding: z.array(coding).optional(), text: z.string().optional() });
const identifier = z.looseObject({ system: z.string().optional(), value: z.string().optional() });
const reference = z.looseObject({ reference: z.string().optional(), identifier: identifier.optional(), display: z.string().optional() });
const period = z.looseObject({ start: fhirDate.optional(), end: fhirDate.optional() });

interface ProvisionShape {
  [key: string]: unknown;
  provision?: ProvisionShape[] | undefined;
}

/** Criteria R4 and R5 provisions share. */
const sharedCriteria = {
  period: period.optional(),
  action: z.array(codeableConcept).optional(),
  securityLabel: z.array(coding).optional(),
  purpose: z.array(coding).optional(),
  code: z.array(codeableConcept).optional(),
  dataPeriod: period.optional(),
  data: z.array(z.looseObject({ meaning: z.enum(['instance', 'related', 'dependents', 'authoredby']), reference })).optional(),
};

const provision: z.ZodType<ProvisionShape> = z.lazy(() =>
  z.looseObject({
    ...sharedCriteria,
    type: z.enum(['deny', 'permit']).optional(),
    actor: z.array(z.looseObject({ role: codeableConcept, reference })).optional(),
    class: z.array(coding).optional(),
    provision: z.array(provision).optional(),
  }),
);

const consentSchema = z.looseObject({
  resourceType: z.literal('Consent'),
  id: z.string().optional(),
  status: z.enum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']),
  scope: codeableConcept.optional(),
  category: z.array(codeableConcept).optional(),
  patient: reference.optional(),
  dateTime: fhirDate.optional(),
  organization: z.array(reference).optional(),
  performer: z.array(reference).optional(),
  policy: z.array(z.looseObject({ authority: z.string().optional(), uri: z.string().optional() })).optional(),
  policyRule: codeableConcept.optional(),
  provision: provision.optional(),
  contained: z.array(z.looseObject({ resourceType: z.string(), id: z.string().optional() })).optional(),
});

const r5Provision: z.ZodType<ProvisionShape> = z.lazy(() =>
  z.looseObject({
    ...sharedCriteria,
    actor: z.array(z.looseObject({ role: codeableConcept.optional(), reference: reference.optional() })).optional(),
    documentType: z.array(coding).optional(),
    resourceType: z.array(coding).optional(),
    provision: z.array(r5Provision).optional(),
  }),
);

const r5ConsentSchema = z.looseObject({
  resourceType: z.literal('Consent'),
  status: z.enum(['draft', 'active', 'inactive', 'not-done', 'entered-in-error', 'unknown']),
  subject: reference.optional(),
  date: fhirDate.optional(),
  period: period.optional(),
  decision: z.enum(['deny', 'permit']).optional(),
  provision: z.array(r5Provision).optional(),
});

const permissionSchema = z.looseObject({
  resourceType: z.literal('Permission'),
  status: z.enum(['active', 'entered-in-error', 'draft', 'rejected']),
  date: z.array(fhirDate).optional(),
  validity: period.optional(),
  combining: z.enum(['deny-overrides', 'permit-overrides', 'ordered-deny-overrides', 'ordered-permit-overrides', 'deny-unless-permit', 'permit-unless-deny']),
  rule: z
    .array(
      z.looseObject({
        type: z.enum(['deny', 'permit']).optional(),
        data: z.array(z.looseObject({ resource: z.array(z.looseObject({ meaning: z.string(), reference })).optional(), security: z.array(coding).optional(), period: z.array(period).optional() })).optional(),
        activity: z.array(z.looseObject({ actor: z.array(reference).optional(), action: z.array(codeableConcept).optional(), purpose: z.array(codeableConcept).optional() })).optional(),
      }),
    )
    .optional(),
});

function depth(p: ProvisionShape | undefined): number {
  if (!p?.provision || p.provision.length === 0) return p ? 1 : 0;
  let deepest = 0;
  for (const child of p.provision) deepest = Math.max(deepest, depth(child));
  return deepest + 1;
}

/** Checks an R5 Consent or Permission and maps it to the R4 shape; `path` is where it sits in the input. */
function checkR5(value: unknown, path: (string | number)[]): { consent?: Consent; issues: Issue[] } {
  const schema = (value as { resourceType?: unknown }).resourceType === 'Permission' ? permissionSchema : r5ConsentSchema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { issues: fromZodIssues(parsed.error.issues, value, path) };
  const mapped = toEngineConsent(value as ConsentResource);
  const checked = checkConsent(mapped.consent, path, false);
  return { ...checked, issues: [...mapped.issues.map((i) => ({ ...i, path: [...path, ...i.path] })), ...checked.issues] };
}

/** Checks one Consent resource; `path` is where it sits in the input. */
function checkConsent(value: unknown, path: (string | number)[], r4 = true): { consent?: Consent; issues: Issue[] } {
  const type = value !== null && typeof value === 'object' ? (value as { resourceType?: unknown }).resourceType : undefined;
  if (r4 && (type === 'Permission' || isR5Consent(value))) return checkR5(value, path);
  const parsed = consentSchema.safeParse(value);
  if (!parsed.success) return { issues: fromZodIssues(parsed.error.issues, value, path) };
  const tree = parsed.data.provision as ProvisionShape | undefined;
  if (depth(tree) > MAX_PROVISION_DEPTH) {
    return {
      issues: [
        {
          severity: 'error',
          code: 'consent.provision-too-deep',
          path: [...path, 'provision'],
          message: `provision is nested more than ${MAX_PROVISION_DEPTH} levels deep`,
        },
      ],
    };
  }
  return { consent: value as Consent, issues: [] };
}

/**
 * Reads consents from a Bundle, an array, or a single resource: R4 Consents as they are, R5
 * Consents and R5 Permissions mapped to R4 (with `consent.` findings). Bundle entries of other
 * resource types are skipped with an `information` issue.
 *
 * @param input - parsed JSON
 * @returns the consents in input order, or issues naming each invalid element (never its value)
 * @example
 * const result = readConsents(JSON.parse(text));
 * if (result.ok) decideConsent(result.value, request, { now: new Date() });
 * See: https://hl7.org/fhir/R4/consent.html
 */
export function readConsents(input: unknown): Result<Consent[]> {
  const issues: Issue[] = [];
  const consents: Consent[] = [];
  const take = (value: unknown, path: (string | number)[]): void => {
    const checked = checkConsent(value, path);
    issues.push(...checked.issues);
    if (checked.consent) consents.push(checked.consent);
  };
  if (Array.isArray(input)) {
    input.forEach((item, i) => take(item, [i]));
  } else if (input !== null && typeof input === 'object' && (input as { resourceType?: unknown }).resourceType === 'Bundle') {
    const entries = (input as { entry?: unknown }).entry;
    if (entries !== undefined && !Array.isArray(entries)) {
      return fail([{ severity: 'error', code: 'schema.invalid-type', path: ['entry'], message: 'Must be an array' }]);
    }
    (entries ?? []).forEach((entry: unknown, i: number) => {
      const resource = (entry as { resource?: unknown } | null)?.resource;
      const type = (resource as { resourceType?: unknown } | null | undefined)?.resourceType;
      if (type === 'Consent' || type === 'Permission') take(resource, ['entry', i, 'resource']);
      else {
        issues.push({
          severity: 'information',
          code: 'consent.not-a-consent',
          path: ['entry', i, 'resource'],
          message: 'Bundle entry is not a Consent or Permission resource; skipped',
        });
      }
    });
  } else if (input !== null && typeof input === 'object' && ['Consent', 'Permission'].includes((input as { resourceType?: unknown }).resourceType as string)) {
    take(input, []);
  } else {
    return fail([
      {
        severity: 'error',
        code: 'consent.unreadable',
        path: [],
        message: 'Expected a FHIR Bundle, an array of Consent (R4 or R5) or Permission resources, or one of them',
      },
    ]);
  }
  return issues.some((i) => i.severity === 'error') ? fail(issues) : ok(consents, issues);
}
