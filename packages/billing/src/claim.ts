/**
 * Billable lines as FHIR R4: one professional `Claim` per payer, member and billing month, and a
 * `ChargeItem` per line for hosts that prefer charge capture.
 *
 * See: reference/billing.md §5; https://hl7.org/fhir/R4/claim.html; https://hl7.org/fhir/R4/chargeitem.html
 */
import {
  attendeeEncounterResourceId,
  encounterResourceId,
  organizationResourceId,
  part2Labels,
  PEERKIT_CANONICAL,
  practitionerResourceId,
  SYSTEMS,
} from '@peerkit/fhir';
import type { PatientRef } from '@peerkit/model';
import type { ChargeItem, Claim, ClaimItem, Coding, Meta, Reference } from 'fhir/r4';
import type { BillingRun, ClaimLine, ServiceRef } from './claim-line';
import { endOfMonth } from '@peerkit/model';
import { toFhirId } from './internal/fhir-id';
import { PLACE_OF_SERVICE_CODES } from './place-of-service';

/** HL7 claim-type code system (`professional`). billing.md §5 [S19, S21]. */
const CLAIM_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/claim-type';
/** HL7 process priority (`normal`); Claim.priority is required. */
const PRIORITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/processpriority';
/** HL7 claim care team role (`primary`). */
const CARE_TEAM_ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/claimcareteamrole';
/**
 * CPT, for the CPT modifiers 93 and 95 (billing.md §1.4 lists them as CPT); the URI is HL7's for CPT.
 * HCPCS Level II modifiers use the HCPCS system (billing.md §5: CARIN's modifier binding spans both).
 */
const CPT_SYSTEM = 'http://www.ama-assn.org/go/cpt';
/** ICD-10-CM, the default system of diagnoses in the host's evidence. */
const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Extension carrying a line's modifiers on a ChargeItem, which has no modifier element (billing.md §5: no standard extension found). */
export const CHARGE_ITEM_MODIFIER_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/charge-item-modifier`;
/** Extension carrying a line's place of service on a ChargeItem. */
export const CHARGE_ITEM_PLACE_OF_SERVICE_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/charge-item-place-of-service`;

/** Options of {@link toFhirClaims} and {@link toFhirChargeItems}. */
export interface FhirBillingOptions {
  /**
   * The billing provider. Default the `Organization` @peerkit/fhir maps the export's organization to,
   * when `organizationId` is given; else a display-only reference that a host must replace.
   */
  provider?: Reference;
  /** Id of the billing organization (the export's organization). */
  organizationId?: string;
  /** `Claim.created`. Default the last day of the billing period (deterministic output). */
  created?: string;
  /**
   * HCPCS system URI to emit. Default `SYSTEMS.hcpcs` (THO's `http://` form); CARIN BB and US Core 6+
   * use `SYSTEMS.hcpcsHttps`. billing.md §0.5.
   */
  hcpcsSystem?: string;
  /** Reference to a specialist. Default the `Practitioner` @peerkit/fhir maps the specialist to. */
  practitioner?: (specialistId: string) => Reference;
  /** Reference to the encounter a line bills. Default the `Encounter` @peerkit/fhir maps it to (per attendee for group sessions). */
  encounter?: (service: ServiceRef, peerId: string) => Reference | undefined;
}

/** Security labels for records from a 42 CFR Part 2 program (DS4P): R, SUD, 42CFRPart2, NORDSCLCD, as @peerkit/fhir labels them. */
function part2Meta(): Meta {
  return { security: part2Labels() };
}

const defaultPractitioner = (id: string): Reference => ({ reference: `Practitioner/${practitionerResourceId(id)}` });

function patientReference(patient: PatientRef): Reference {
  const ref: Reference = {};
  if (patient.reference !== undefined) ref.reference = patient.reference;
  if (patient.identifier !== undefined) {
    ref.identifier = patient.identifier.system === undefined ? { value: patient.identifier.value } : { ...patient.identifier };
  }
  return ref;
}

function providerOf(options: FhirBillingOptions): Reference {
  if (options.provider) return options.provider;
  if (options.organizationId !== undefined) return { reference: `Organization/${organizationResourceId(options.organizationId)}` };
  return { display: 'Billing provider not set' };
}

function modifierCoding(code: string, hcpcs: string): Coding {
  return { system: /^\d{2}$/.test(code) ? CPT_SYSTEM : hcpcs, code };
}

function posCoding(code: string): Coding {
  const name = PLACE_OF_SERVICE_CODES[code]?.name;
  return name === undefined ? { system: SYSTEMS.placeOfService, code } : { system: SYSTEMS.placeOfService, code, display: name };
}

const money = (value: number): { value: number; currency: 'USD' } => ({ value: Math.round(value * 100) / 100, currency: 'USD' });

/** The key that groups lines into one claim: pack, payer, member, peer and billing month. */
export function claimKeyOf(line: ClaimLine): string {
  return `${line.packId}|${line.payerId}|${line.memberId}|${line.peerId}|${line.date.slice(0, 7)}`;
}

function linesOf(input: BillingRun | readonly ClaimLine[]): readonly ClaimLine[] {
  return 'lines' in input ? input.lines : input;
}

/**
 * Builds one professional Claim per payer, member and billing month from the billable lines (held
 * lines are never claimed). Deterministic: same lines and options, same resources.
 *
 * @param input - a billing run or its lines
 * @param options - see {@link FhirBillingOptions}
 * @returns Claims in the order of their first line
 * @example
 * const claims = toFhirClaims(run, { organizationId: 'org-1' });
 * claims[0]?.item?.[0]?.productOrService.coding?.[0]?.code; // 'H0038'
 * See: https://hl7.org/fhir/R4/claim.html; billing.md §5
 */
export function toFhirClaims(input: BillingRun | readonly ClaimLine[], options: FhirBillingOptions = {}): Claim[] {
  const hcpcs = options.hcpcsSystem ?? SYSTEMS.hcpcs;
  const practitioner = options.practitioner ?? defaultPractitioner;
  const groups = new Map<string, ClaimLine[]>();
  for (const line of linesOf(input)) {
    if (line.status !== 'billable') continue;
    const key = claimKeyOf(line);
    const list = groups.get(key);
    if (list) list.push(line);
    else groups.set(key, [line]);
  }
  const claims: Claim[] = [];
  for (const [key, lines] of groups) {
    const first = lines[0] as ClaimLine;
    const month = first.date.slice(0, 7);
    const periodEnd = endOfMonth(`${month}-01`);

    const careTeam: string[] = [];
    const diagnoses: string[] = [];
    for (const line of lines) {
      if (!careTeam.includes(line.renderingSpecialistId)) careTeam.push(line.renderingSpecialistId);
      for (const code of line.diagnosisCodes) if (!diagnoses.includes(code)) diagnoses.push(code);
    }
    const items: ClaimItem[] = lines.map((line, i) => {
      const item: ClaimItem = {
        sequence: i + 1,
        careTeamSequence: [careTeam.indexOf(line.renderingSpecialistId) + 1],
        productOrService: { coding: [{ system: hcpcs, code: line.code, display: line.display }] },
        locationCodeableConcept: { coding: [posCoding(line.placeOfService)] },
        quantity: { value: line.units },
      };
      if (line.diagnosisCodes.length > 0) item.diagnosisSequence = line.diagnosisCodes.map((c) => diagnoses.indexOf(c) + 1);
      if (line.modifiers.length > 0) item.modifier = line.modifiers.map((m) => ({ coding: [modifierCoding(m, hcpcs)] }));
      if (line.session === 'month') item.servicedPeriod = { start: line.period.start, end: line.period.end };
      else item.servicedDate = line.date;
      if (line.unitPrice !== undefined) {
        item.unitPrice = money(line.unitPrice);
        item.net = money(line.unitPrice * line.units);
      }
      return item;
    });
    const claim: Claim = {
      resourceType: 'Claim',
      id: toFhirId(`claim-${key.replaceAll('|', '.')}`),
      identifier: [{ system: `${PEERKIT_CANONICAL}/claim-key`, value: key }],
      status: 'active',
      type: { coding: [{ system: CLAIM_TYPE_SYSTEM, code: 'professional' }] },
      use: 'claim',
      patient: patientReference(first.patient),
      billablePeriod: { start: `${month}-01`, end: periodEnd },
      created: options.created ?? periodEnd,
      insurer: { identifier: { system: `${PEERKIT_CANONICAL}/payer`, value: first.payerId } },
      provider: providerOf(options),
      priority: { coding: [{ system: PRIORITY_SYSTEM, code: 'normal' }] },
      careTeam: careTeam.map((id, i) => ({
        sequence: i + 1,
        provider: practitioner(id),
        role: { coding: [{ system: CARE_TEAM_ROLE_SYSTEM, code: 'primary' }] },
      })),
      insurance: [
        {
          sequence: 1,
          focal: true,
          coverage: {
            identifier: { system: `${PEERKIT_CANONICAL}/payer/${encodeURIComponent(first.payerId)}/member-id`, value: first.memberId },
          },
        },
      ],
      item: items,
    };
    if (lines.some((l) => l.part2)) claim.meta = part2Meta();
    if (diagnoses.length > 0) {
      claim.diagnosis = diagnoses.map((code, i) => ({
        sequence: i + 1,
        diagnosisCodeableConcept: { coding: [{ system: ICD10CM_SYSTEM, code }] },
      }));
    }
    if (lines.every((l) => l.unitPrice !== undefined)) {
      claim.total = money(lines.reduce((sum, l) => sum + (l.unitPrice ?? 0) * l.units, 0));
    }
    claims.push(claim);
  }
  return claims;
}

/**
 * Builds one ChargeItem per billable line, for hosts that capture charges rather than claims.
 * ChargeItem has no modifier or place-of-service element: both ride in PeerKit extensions
 * ({@link CHARGE_ITEM_MODIFIER_EXTENSION}, {@link CHARGE_ITEM_PLACE_OF_SERVICE_EXTENSION}).
 *
 * @param input - a billing run or its lines
 * @param options - see {@link FhirBillingOptions}
 * @returns ChargeItems with status `billable`, in line order
 * @example
 * toFhirChargeItems(run)[0]?.quantity?.value; // units of the first billable line
 * See: https://hl7.org/fhir/R4/chargeitem.html; billing.md §5 (S23)
 */
export function toFhirChargeItems(input: BillingRun | readonly ClaimLine[], options: FhirBillingOptions = {}): ChargeItem[] {
  const hcpcs = options.hcpcsSystem ?? SYSTEMS.hcpcs;
  const practitioner = options.practitioner ?? defaultPractitioner;
  const encounter =
    options.encounter ??
    ((service: ServiceRef, peerId: string): Reference => ({
      reference: `Encounter/${service.kind === 'encounter' ? encounterResourceId(service.id) : attendeeEncounterResourceId(service.id, peerId)}`,
    }));
  const provider = providerOf(options);
  const out: ChargeItem[] = [];
  for (const line of linesOf(input)) {
    if (line.status !== 'billable') continue;
    const item: ChargeItem = {
      resourceType: 'ChargeItem',
      id: toFhirId(`charge-${line.id}`),
      identifier: [{ system: `${PEERKIT_CANONICAL}/charge-item`, value: line.id }],
      status: 'billable',
      code: { coding: [{ system: hcpcs, code: line.code, display: line.display }] },
      subject: patientReference(line.patient),
      performer: [{ actor: practitioner(line.renderingSpecialistId) }],
      quantity: { value: line.units },
      extension: [
        ...line.modifiers.map((m) => ({ url: CHARGE_ITEM_MODIFIER_EXTENSION, valueCodeableConcept: { coding: [modifierCoding(m, hcpcs)] } })),
        { url: CHARGE_ITEM_PLACE_OF_SERVICE_EXTENSION, valueCodeableConcept: { coding: [posCoding(line.placeOfService)] } },
      ],
    };
    if (provider.reference?.startsWith('Organization/')) item.performingOrganization = provider;
    item.occurrencePeriod = { start: line.period.start, end: line.period.end };
    const context = line.services.length === 1 && line.services[0] ? encounter(line.services[0], line.peerId) : undefined;
    if (context) item.context = context;
    if (line.part2) item.meta = part2Meta();
    out.push(item);
  }
  return out;
}
