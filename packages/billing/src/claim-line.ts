/**
 * The output of billing: claim lines (billable or held, each with its findings), findings about the
 * run as a whole, and the services no pack billed.
 */
import type { Issue, IssuePath, Modality, PatientRef, ProgramType } from '@peerkit/model';
import type { BillingCheck } from './checks';

/** A finding of one check. `error` holds the line; `warning` and `information` do not. */
export interface BillingFinding extends Issue {
  /** Which check found it; see `BILLING_CHECKS`. */
  readonly check: BillingCheck;
}

/** A record a line bills for. */
export interface ServiceRef {
  readonly kind: 'encounter' | 'group-session';
  readonly id: string;
}

/** One service line of a professional claim (CMS-1500 / 837P), billable or held. */
export interface ClaimLine {
  /** Stable id: pack, record (and member for group sessions or months). */
  id: string;
  /** `held` when a blocking check failed: `findings` says why. Never dropped. */
  status: 'billable' | 'held';
  packId: string;
  /** Coverage payer id of the member. */
  payerId: string;
  /** The member's id with the payer. */
  memberId: string;
  peerId: string;
  /** The host EHR's patient. */
  patient: PatientRef;
  /** HCPCS code. */
  code: string;
  /** The code's descriptor. */
  display: string;
  /** Modifiers in the pack's order, at most 4. */
  modifiers: string[];
  /** Units (for a held line: the units it would bill). */
  units: number;
  /** Minutes of service behind the line (0 for the held remainder of a split line). */
  minutes: number;
  /** CMS place of service code. */
  placeOfService: string;
  /** Date of service, `YYYY-MM-DD`. */
  date: string;
  /** When the service ran: date-times for one service, dates for a month line. */
  period: { start: string; end: string };
  /** Specialist id of the rendering (performing) specialist. */
  renderingSpecialistId: string;
  /** `individual`, `group` (one attendee of a group session) or `month` (a monthly code). */
  session: 'individual' | 'group' | 'month';
  /** The encounters and group sessions the line bills for. */
  services: ServiceRef[];
  programType: ProgramType;
  modality: Modality;
  /** Price of one unit, where the pack has a rate. */
  unitPrice?: number;
  /** Diagnosis codes on file for the date (from the host's evidence). */
  diagnosisCodes: string[];
  /** `true` when the service comes from a 42 CFR Part 2 program. */
  part2: boolean;
  /** Where the (first) service behind the line is in the `encounters` argument. */
  path: IssuePath;
  /** For the held remainder of a line cut by a cap: the id of the billed part. */
  splitFrom?: string;
  /** Why the line is held (errors) and what to confirm (warnings). */
  findings: BillingFinding[];
}

/** Services billed under no pack, grouped by reason and payer. */
export interface NotBilled {
  /**
   * `no-pack`: the member's payer has no pack loaded; `no-coverage`: no coverage on the date of
   * service; `unknown-peer`: the peer is not in the export.
   */
  reason: 'no-pack' | 'no-coverage' | 'unknown-peer';
  /** The coverage payer id, for `no-pack`. */
  payerId?: string;
  /** Distinct members. */
  peers: number;
  /** Services (encounters and group attendances). */
  services: number;
  minutes: number;
}

/** What `billEncounters` returns. */
export interface BillingRun {
  /** Every line, billable and held, by member, date and start. */
  lines: ClaimLine[];
  /** Findings about the run rather than a line (payers without a pack, a pack for another state…). */
  findings: BillingFinding[];
  /** Services no pack billed; counted, never silently dropped. */
  notBilled: NotBilled[];
  /** Encounters and group sessions not delivered (no-show, cancelled) and group members absent: nothing to bill. */
  notDelivered: number;
  /** Lines outside the requested period (counted toward caps, not returned). */
  outsidePeriod: number;
}
