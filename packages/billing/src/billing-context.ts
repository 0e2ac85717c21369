/**
 * What billing needs besides the encounters: the rest of the clinic export (peers with coverage,
 * specialists, plans, consents, the organization), the payer packs, and the evidence a clinic export
 * does not hold (diagnoses, orders and authorizations, initiating visits, other services, MUE values),
 * which the host supplies from its EHR.
 */
import {
  fail,
  ok,
  type ClinicRecord,
  type Consent,
  type GroupSession,
  type Organization,
  type Peer,
  type PeerEncounter,
  type RecoveryPlan,
  type Result,
  type ServiceConsent,
  type Specialist,
} from '@peerkit/model';
import { z } from 'zod';
import { fromZodIssues } from '@peerkit/model';
import type { PayerPack } from './pack-schema';
import type { PlaceOfServiceMap } from './place-of-service';

const id = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, { error: 'Must be a record id' });
const date = z.iso.date();
const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The zod schema of {@link BillingEvidence}, for evidence loaded from JSON. */
export const billingEvidenceSchema = z.strictObject({
  /** Diagnoses on file, e.g. ICD-10-CM codes. */
  diagnoses: z
    .array(
      z.strictObject({
        peerId: id,
        code: z.string().min(1).max(20),
        /** Code system URI; default ICD-10-CM `http://hl7.org/fhir/sid/icd-10-cm`. */
        system: z.string().min(1).max(500).optional(),
        start: date.optional(),
        end: date.optional(),
      }),
    )
    .optional(),
  /** Service orders, assessments and prior authorizations. */
  authorizations: z
    .array(
      z.strictObject({
        peerId: id,
        kind: z.enum(['service-order', 'assessment', 'prior-authorization']),
        /** Signed, done or effective on. */
        start: date,
        /** Last day it covers (a prior authorization); open when absent. */
        end: date.optional(),
        /** HCPCS code it covers; any code when absent. */
        code: z.string().regex(/^[A-Z0-9]{5}$/).optional(),
        /** Units authorized for a prior authorization; unlimited when absent. */
        units: z.int().min(0).optional(),
        /** The payer's authorization number (837P loop 2300 REF*G1), when the host has it. */
        reference: z.string().regex(/^[A-Za-z0-9-]{1,50}$/, { error: 'Must be 1-50 letters, digits or "-"' }).optional(),
      }),
    )
    .optional(),
  /** Initiating visits for Medicare PIN (E/M, AWV or the psychologist codes). */
  initiatingVisits: z
    .array(z.strictObject({ peerId: id, date, code: z.string().regex(/^[A-Z0-9]{5}$/).optional() }))
    .optional(),
  /** Other services of the member: behavioral health services, and enrollments in programs that include peer support. */
  otherServices: z
    .array(
      z.strictObject({
        peerId: id,
        kind: z.enum(['behavioral-health', 'peer-inclusive-program']),
        start: dateOrDateTime,
        end: dateOrDateTime.optional(),
      }),
    )
    .optional(),
  /** Medically Unlikely Edit values by HCPCS code (units per member per date of service), from the CMS or Medicaid NCCI MUE files. */
  mue: z.record(z.string().regex(/^[A-Z0-9]{5}$/), z.int().min(0)).optional(),
});

/**
 * Evidence the clinic export does not hold. Leave a field out when the host has no such data: the
 * rules that need it then warn (or hold, see {@link BillingContext.missingEvidence}) instead of
 * passing silently. An empty list means "we have none", and fails the rules that need one.
 */
export type BillingEvidence = z.output<typeof billingEvidenceSchema>;

/**
 * Validates billing evidence (for example a JSON file).
 *
 * @param input - any value
 * @returns the evidence, or issues naming each invalid field
 * @example
 * parseBillingEvidence({ diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] }).ok; // true
 */
export function parseBillingEvidence(input: unknown): Result<BillingEvidence> {
  const parsed = billingEvidenceSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(fromZodIssues(parsed.error.issues, input));
}

/** Units a line billed in an earlier run (from the billing ledger's claims in force). */
export interface BilledUnits {
  /** The claim line's id: a line of this run with the same id is the same service billed again. */
  lineId: string;
  packId: string;
  peerId: string;
  code: string;
  /** Date of service, `YYYY-MM-DD` (a month line: the first day it covers). */
  date: string;
  /** Last day a month line covers. Default `date`. */
  to?: string;
  units: number;
  /** Minutes behind the line (a month line: the month's), when the ledger kept them. */
  minutes?: number;
  /** The services behind the line, `<kind>:<id>`, when the ledger kept them. */
  services?: readonly string[];
}

/** The second argument of `billEncounters`. */
export interface BillingContext {
  /** Payer packs to bill under (e.g. `PAYER_PACKS`, or one pack). */
  packs: readonly PayerPack[];
  /** Peers, for coverage and birth dates. */
  peers: readonly Peer[];
  /** Specialists, for credentials and supervision. */
  specialists: readonly Specialist[];
  /** Recovery plans, for the PLAN check. Default none. */
  plans?: readonly RecoveryPlan[];
  /** Disclosure consents; a pack's `consentPurposes` may accept one as consent to the service, with a warning. Default none. */
  consents?: readonly Consent[];
  /** Service consents (`service-consent` records), for a payer's consent prerequisite (Medicare PIN). Default none. */
  serviceConsents?: readonly ServiceConsent[];
  /** The organization: billing provider, program Part 2 flags, the state where services are delivered. */
  organization?: Organization;
  /** Evidence from the host EHR; see {@link BillingEvidence}. Default: none supplied. */
  evidence?: BillingEvidence;
  /**
   * What a rule does when the evidence it needs was not supplied at all: `warn` (default: the line is
   * billed with a warning to confirm before submission) or `hold`.
   */
  missingEvidence?: 'warn' | 'hold';
  /**
   * Coverage payer id to pack id. Default: the pack whose id is the payer id, else the first pack
   * whose `coveragePayerIds` lists it.
   */
  payerPacks?: Readonly<Record<string, string>>;
  /**
   * The host's place of service by setting, modality and program, over every pack's defaults (a
   * community mental health center: `{ bySetting: { clinic: '53' } }`). Default: the pack's.
   */
  placeOfService?: PlaceOfServiceMap;
  /** Two-letter state where services are delivered. Default the organization's state, else the pack's. */
  serviceState?: string;
  /**
   * Units billed in earlier runs (`billedUnitsOf` of the billing ledger). Lines this run does not
   * produce again (services of an earlier export) count toward caps and MUE before this run's lines;
   * a line of this run with the same id is recomputed, not counted twice. Default none.
   */
  billed?: readonly BilledUnits[];
  /**
   * Return only lines dated in this range (`YYYY-MM-DD`, inclusive). Services before it still count
   * toward caps. Default: every line.
   */
  period?: { start?: string; end?: string };
}

/** Encounters and context taken from the records of one clinic export. */
export interface BillingRecords {
  /** One-on-one encounters and group sessions, in export order. */
  encounters: (PeerEncounter | GroupSession)[];
  peers: Peer[];
  specialists: Specialist[];
  plans: RecoveryPlan[];
  consents: Consent[];
  serviceConsents: ServiceConsent[];
  /** The first organization record, if any. */
  organization?: Organization;
}

/**
 * Sorts the records of a clinic export into what `billEncounters` takes.
 *
 * @param records - valid records, e.g. from `readClinicExport` or `generateClinic(...).records`
 * @returns the encounters and the context records (add `packs` to make a {@link BillingContext})
 * @example
 * const { encounters, ...rest } = collectBillingRecords(clinic.records);
 * const run = billEncounters(encounters, { ...rest, packs: PAYER_PACKS });
 */
export function collectBillingRecords(records: Iterable<ClinicRecord>): BillingRecords {
  const out: BillingRecords = { encounters: [], peers: [], specialists: [], plans: [], consents: [], serviceConsents: [] };
  for (const record of records) {
    switch (record.kind) {
      case 'encounter':
      case 'group-session':
        out.encounters.push(record);
        break;
      case 'peer':
        out.peers.push(record);
        break;
      case 'specialist':
        out.specialists.push(record);
        break;
      case 'recovery-plan':
        out.plans.push(record);
        break;
      case 'consent':
        out.consents.push(record);
        break;
      case 'service-consent':
        out.serviceConsents.push(record);
        break;
      case 'organization':
        out.organization ??= record;
        break;
      default:
        break;
    }
  }
  return out;
}
