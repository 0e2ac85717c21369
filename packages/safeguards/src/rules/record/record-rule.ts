/**
 * What a record rule is: one small named check over the records of a clinic export, carrying its
 * catalog definition (id, category, severity, title, rationale, source). A rule either reads each
 * record of some kinds as it is added (it needs nothing else), or one kind of subject of the whole
 * export once every record has been seen. `clinic-index.ts` gathers the subjects and facts;
 * `check-clinic.ts` runs the rules.
 */
import type { ClinicRecord, Consent, IssuePath, Peer, RecordKind, RecoveryPlan, Referral, Specialist } from '@peerkit/model';
import type { Policy } from '../policy';
import type { RuleDefinition } from '../rule-definition';

/** Where a record is in the export; with a field path it is where a finding is. */
export interface RecordPlace {
  readonly recordKind: RecordKind;
  readonly recordId: string;
  /** 1-based line in the export, when known. */
  readonly line?: number;
}

/** The record type of each record kind. */
type RecordsByKind = { readonly [K in RecordKind]: Extract<ClinicRecord, { kind: K }> };

/** The record type of a record kind. */
export type RecordOf<K extends RecordKind> = RecordsByKind[K];

/** A completed one-on-one contact. */
export interface Contact {
  readonly place: RecordPlace;
  readonly peerId: string;
  readonly specialistId: string;
  /** The local date of service, `YYYY-MM-DD`. */
  readonly date: string;
}

/** A note of a completed contact that is not signed. */
export interface UnsignedNote {
  readonly place: RecordPlace;
  /** The note's `signedAt` field. */
  readonly path: IssuePath;
  /** When the contact ended, in milliseconds. */
  readonly endMs: number;
}

/** A record with its place. */
export interface PlacedRecord<K extends RecordKind> {
  readonly place: RecordPlace;
  readonly record: RecordOf<K>;
}

/** What the export-wide rules look at, by kind of subject. */
export interface ExportSubjects {
  specialist: PlacedRecord<'specialist'>;
  'unsigned-note': UnsignedNote;
  contact: Contact;
  /** The completed contacts with one peer on one local date, in export order. */
  'peer-day': readonly Contact[];
  referral: PlacedRecord<'referral'>;
}

/** A kind of subject of the export-wide rules. */
export type SubjectKind = keyof ExportSubjects;

/** The order subjects are visited in; each subject's rules run in catalog order. */
export const SUBJECT_ORDER: readonly SubjectKind[] = ['specialist', 'unsigned-note', 'contact', 'peer-day', 'referral'];

/** What the whole export says, for the export-wide rules. */
export interface ClinicFacts {
  readonly policy: Policy;
  /** The date the export is judged at; `undefined` when it has no dated service. */
  readonly asOf: string | undefined;
  /** The specialist with an id (the last one added). */
  specialist(id: string): Specialist | undefined;
  /** The peer with an id (the last one added). */
  peer(id: string): Peer | undefined;
  /** The recovery plans of a peer, in export order. */
  plansOf(peerId: string): readonly RecoveryPlan[];
  /** The consent with an id (the last one added). */
  consent(id: string): Consent | undefined;
  /** Whether an organization's program is a Part 2 program; `undefined` when no organization lists it. */
  part2Program(programId: string): boolean | undefined;
  /** Peers enrolled on the as-of date whose primary specialist is `specialistId`; 0 without an as-of date. */
  caseload(specialistId: string): number;
}

/** Reports a finding of the rule at a record and field. */
export type Emit = (place: RecordPlace, path: IssuePath) => void;

/** A rule that reads each record of some kinds as it is added. */
export interface AddedRecordRule<K extends RecordKind = RecordKind> {
  readonly definition: RuleDefinition;
  /** The record kinds it reads. */
  readonly records: readonly K[];
  /** Whether it applies to the record; default: always. */
  applies?(record: RecordOf<K>): boolean;
  check(record: RecordOf<K>, place: RecordPlace, policy: Policy, emit: Emit): void;
}

/** A rule over one kind of subject of the whole export, run once every record has been added. */
export interface ExportRule<S extends SubjectKind = SubjectKind> {
  readonly definition: RuleDefinition;
  /** The subject it reads. */
  readonly subject: S;
  /** Whether it applies to the subject; default: always. */
  applies?(subject: ExportSubjects[S], facts: ClinicFacts): boolean;
  check(subject: ExportSubjects[S], facts: ClinicFacts, emit: Emit): void;
}

/** A record rule. */
export type RecordRule = AddedRecordRule | ExportRule;

/** `true` for a rule that reads records as they are added. */
export function isAddedRecordRule(rule: RecordRule): rule is AddedRecordRule {
  return 'records' in rule;
}
