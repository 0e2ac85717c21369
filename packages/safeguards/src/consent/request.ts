/**
 * The disclosure request: who asks for which patient's data, for what purpose, and what data. The
 * same JSON shape is used by the API and by `peerkit consent --request`.
 *
 * See: reference/fhir-mapping.md §5 (LEAP `patient-consent-consult` context: patientId, actor,
 * purposeOfUse, category, class).
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { SYSTEMS } from '@peerkit/fhir';
import { z } from 'zod';
import { normalizeSystem, type Code } from '../internal/codes';
import { isFhirDateTime } from '../internal/dates';
import { fromZodIssues } from '@peerkit/model';

/** A business identifier (FHIR `Identifier`: system URI + value). */
export interface RequestIdentifier {
  readonly system?: string;
  readonly value: string;
}

/** The patient whose data is requested: a `Patient/<id>` reference, identifiers, or both. */
export interface PatientSelector {
  readonly reference?: string;
  readonly identifier: readonly RequestIdentifier[];
}

/** Someone named in a request (recipient or discloser): by identifiers and/or a reference. */
export interface RequestActor {
  readonly reference?: string;
  readonly identifier: readonly RequestIdentifier[];
}

/** A parsed, normalized disclosure request. Data fields left `undefined` mean "not stated". */
export interface DisclosureRequest {
  readonly patient: PatientSelector;
  /** The recipients asking for the data (matched against provision actors in recipient roles). */
  readonly actor: readonly RequestActor[];
  /** Who would disclose (matched against provision actors in source roles); not stated = the caller. */
  readonly discloser: readonly RequestActor[];
  /** v3-ActReason purposes of use. */
  readonly purposeOfUse: readonly Code[];
  /**
   * consentaction code; `undefined` = not stated: a deny provision with an `action` applies to it
   * (any action), a permit provision reads it as `disclose` (what the engine decides).
   */
  readonly action?: Code;
  /** When the disclosure would happen; the evaluation clock when not stated. */
  readonly date?: string;
  /** Security labels of the requested data; `undefined` = not stated (all of the patient's data). */
  readonly securityLabel?: readonly Code[];
  /** Classes (e.g. resource types) of the requested data; `undefined` = not stated. */
  readonly class?: readonly Code[];
  /** Codes found in the requested data; `undefined` = not stated. */
  readonly code?: readonly Code[];
  /** References (`DocumentReference/123`) of the requested resources; `undefined` = not stated. */
  readonly data?: readonly string[];
  /** Period the requested data covers; `undefined` = not stated. */
  readonly dataPeriod?: { readonly start?: string; readonly end?: string };
  /** Consent categories the caller restricts the evaluation to (e.g. LOINC 59284-0); empty = all. */
  readonly category: readonly Code[];
}

const fhirDate = z
  .string()
  .refine(isFhirDateTime, {
    message: 'Must be a FHIR date or dateTime (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)',
    params: { code: 'schema.invalid-format' },
  });
const text = z.string().min(1).max(500);
const identifier = z.strictObject({ system: text.optional(), value: text });
const coding = z.strictObject({ system: text.optional(), code: text, display: z.string().max(500).optional() });
const codeOrCoding = z.union([text, coding]);
const actor = z.union([
  identifier,
  z.strictObject({ reference: text.optional(), identifier: z.union([identifier, z.array(identifier).max(20)]).optional() }),
]);

const requestSchema = z.strictObject({
  patient: z.strictObject({
    reference: text.optional(),
    identifier: z.union([identifier, z.array(identifier).min(1).max(20)]).optional(),
  }),
  actor: z.array(actor).max(50).optional(),
  discloser: z.array(actor).max(50).optional(),
  purposeOfUse: z.array(codeOrCoding).max(20).optional(),
  securityLabel: z.array(coding).max(50).optional(),
  class: z.array(coding).max(50).optional(),
  code: z.array(coding).max(50).optional(),
  data: z.array(z.union([text, z.strictObject({ reference: text })])).max(1000).optional(),
  dataPeriod: z.strictObject({ start: fhirDate.optional(), end: fhirDate.optional() }).optional(),
  category: z.array(coding).max(20).optional(),
  action: codeOrCoding.optional(),
  date: fhirDate.optional(),
});

type RawRequest = z.output<typeof requestSchema>;
type RawActor = z.output<typeof actor>;

type LooseIdentifier = { system?: string | undefined; value: string };

function toIdentifiers(value: LooseIdentifier | readonly LooseIdentifier[] | undefined): RequestIdentifier[] {
  if (value === undefined) return [];
  const list: readonly LooseIdentifier[] = Array.isArray(value) ? value : [value as LooseIdentifier];
  return list.map((i) => (i.system === undefined ? { value: i.value } : { system: i.system, value: i.value }));
}

function toActor(raw: RawActor): RequestActor {
  if ('value' in raw) return { identifier: toIdentifiers(raw) };
  const ids = toIdentifiers(raw.identifier);
  return raw.reference === undefined ? { identifier: ids } : { reference: raw.reference, identifier: ids };
}

function toCodeIn(system: string, value: string | { system?: string | undefined; code: string }): Code {
  if (typeof value === 'string') return { system, code: value };
  const normalized = normalizeSystem(value.system);
  return normalized === undefined ? { code: value.code } : { system: normalized, code: value.code };
}

function toCodes(list: readonly { system?: string | undefined; code: string }[]): Code[] {
  return list.map((c) => {
    const system = normalizeSystem(c.system);
    return system === undefined ? { code: c.code } : { system, code: c.code };
  });
}

function normalize(raw: RawRequest): DisclosureRequest {
  const patientIds = toIdentifiers(raw.patient.identifier);
  const request: {
    -readonly [K in keyof DisclosureRequest]: DisclosureRequest[K];
  } = {
    patient: raw.patient.reference === undefined ? { identifier: patientIds } : { reference: raw.patient.reference, identifier: patientIds },
    actor: (raw.actor ?? []).map(toActor),
    discloser: (raw.discloser ?? []).map(toActor),
    purposeOfUse: (raw.purposeOfUse ?? []).map((p) => toCodeIn(SYSTEMS.actReason, p)),
    category: toCodes(raw.category ?? []),
  };
  if (raw.action !== undefined) request.action = toCodeIn(SYSTEMS.consentAction, raw.action);
  if (raw.date !== undefined) request.date = raw.date;
  if (raw.securityLabel !== undefined) request.securityLabel = toCodes(raw.securityLabel);
  if (raw.class !== undefined) request.class = toCodes(raw.class);
  if (raw.code !== undefined) request.code = toCodes(raw.code);
  if (raw.data !== undefined) request.data = raw.data.map((d) => (typeof d === 'string' ? d : d.reference));
  if (raw.dataPeriod !== undefined) {
    const period: { start?: string; end?: string } = {};
    if (raw.dataPeriod.start !== undefined) period.start = raw.dataPeriod.start;
    if (raw.dataPeriod.end !== undefined) period.end = raw.dataPeriod.end;
    request.dataPeriod = period;
  }
  return request;
}

/**
 * Validates and normalizes a disclosure request (JSON). Only `patient` is required; it takes a
 * `reference` (`Patient/123`), an `identifier` (or a list of them), or both. `purposeOfUse` entries
 * are v3-ActReason codes (`"TREAT"`) or codings; `action` is a consentaction code (not stated:
 * every deny on an action applies, a permit reads it as `disclose`); legacy
 * `http://hl7.org/fhir/v3/...` systems are normalized.
 *
 * @param input - any value, typically parsed JSON
 * @returns the normalized request, or issues naming each invalid field (never its value)
 * @example
 * const result = parseDisclosureRequest({
 *   patient: { reference: 'Patient/123' },
 *   actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
 *   purposeOfUse: ['TREAT'],
 *   securityLabel: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }],
 * });
 * See: reference/fhir-mapping.md §5
 */
export function parseDisclosureRequest(input: unknown): Result<DisclosureRequest> {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
  const issues: Issue[] = [];
  const { patient } = parsed.data;
  if (patient.reference === undefined && patient.identifier === undefined) {
    issues.push({
      severity: 'error',
      code: 'request.patient-unidentified',
      path: ['patient'],
      message: 'patient needs a reference or an identifier',
    });
  }
  const start = parsed.data.dataPeriod?.start;
  const end = parsed.data.dataPeriod?.end;
  if (start !== undefined && end !== undefined && end < start) {
    issues.push({ severity: 'error', code: 'period.end-before-start', path: ['dataPeriod', 'end'], message: 'dataPeriod.end must not be before dataPeriod.start' });
  }
  return issues.length > 0 ? fail(issues) : ok(normalize(parsed.data));
}

/**
 * Who receives data and why, without a patient: the part of a {@link DisclosureRequest} that stays
 * the same for every resource of a bulk disclosure (a sync to a FHIR server). Each resource's patient
 * and data fields are filled in when it is decided.
 */
export type DisclosureRecipient = Pick<DisclosureRequest, 'actor' | 'discloser' | 'purposeOfUse' | 'action' | 'category'> & {
  readonly date?: string;
};

const recipientSchema = requestSchema.pick({ actor: true, discloser: true, purposeOfUse: true, action: true, category: true, date: true });

/**
 * Validates and normalizes a recipient (JSON): `actor` (the recipients, by identifier and/or
 * reference), `purposeOfUse` (v3-ActReason codes such as `"TREAT"`, or codings), and optionally
 * `discloser`, `action` (not stated: see {@link DisclosureRequest.action}), `category` and `date` — the same fields, with the same
 * rules, as in {@link parseDisclosureRequest}.
 *
 * @param input - any value, typically parsed JSON
 * @returns the normalized recipient, or issues naming each invalid field (never its value)
 * @example
 * parseDisclosureRecipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] });
 */
export function parseDisclosureRecipient(input: unknown): Result<DisclosureRecipient> {
  const parsed = recipientSchema.safeParse(input);
  if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
  const { patient: _none, ...rest } = normalize({ ...parsed.data, patient: {} });
  const recipient: DisclosureRecipient = {
    actor: rest.actor,
    discloser: rest.discloser,
    purposeOfUse: rest.purposeOfUse,
    category: rest.category,
    ...(rest.action === undefined ? {} : { action: rest.action }),
    ...(rest.date === undefined ? {} : { date: rest.date }),
  };
  return ok(recipient);
}
