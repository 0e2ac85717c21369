/**
 * What `readHostFhir` takes and returns: the input forms, the records (each with the host resources it
 * was read from), the context and the findings.
 */
import type {
  ClinicRecord,
  Finding,
  Goal,
  HumanName,
  Identifier,
  Issue,
  IssuePath,
  Note,
  Program,
} from '@peerkit/model';
import type { Coding, Reference } from 'fhir/r4';
import type { ImportProfile } from './import-profile';

/** One NDJSON line with where it comes from, for input read from several files. */
export interface HostLine {
  /** The line's text (one JSON value). */
  readonly text: string;
  /** 1-based line number in its file. */
  readonly line: number;
  /** The file's name, first segment of the findings' paths. */
  readonly file?: string;
}

/**
 * One resource with where it comes from, for input read from a server: a search result entry with its
 * `fullUrl` (against which absolute references resolve) and a position that names the search and page.
 */
export interface HostEntryItem {
  /** The resource (a Bundle is read entry by entry, under this item's path). */
  readonly resource: Readonly<Record<string, unknown>>;
  /** Where it is, first segments of the findings' paths, e.g. `['Encounter?patient', 0, 'entry', 3]`. */
  readonly path: IssuePath;
  /** The entry's `fullUrl`. Default none. */
  readonly fullUrl?: string;
}

/**
 * What the host readers take: a Bundle (searchset, collection, transaction, batch, history…), one
 * resource, an array of resources, NDJSON text, or an iterable of resources, NDJSON lines (strings),
 * {@link HostLine}s and {@link HostEntryItem}s. `readHostFhir` also takes an `AsyncIterable` of the
 * same items.
 */
export type HostInput = string | Readonly<Record<string, unknown>> | readonly unknown[] | Iterable<unknown>;

/** Options of `readHostFhir`. */
export interface ReadHostOptions {
  /** The host's import profile (see `parseImportProfile`). Default {@link US_CORE_IMPORT_PROFILE}. */
  profile?: ImportProfile;
  /**
   * The import date (`YYYY-MM-DD`): the start of a peer's defaulted enrollment when the input shows no
   * earlier dated service for the peer. Default none (then the Patient's `meta.lastUpdated` date).
   */
  asOf?: string;
  /** Name of the file a string input or plain NDJSON lines come from; first segment of finding paths. Default none. */
  file?: string;
  /**
   * Canonical base of PeerKit's own profiles. Resources that claim one (PeerKit's own output) are read
   * losslessly by `fromFhir` instead of the host readers. Default `https://peerkit.dev/fhir`.
   */
  canonicalBase?: string;
}

/** A reference in a host resource and what it resolved to. */
export interface HostReference {
  /** Where it is in the resource, e.g. `participant[0].individual`. */
  readonly path: string;
  /** The Reference as the host wrote it. */
  readonly reference: Readonly<Reference>;
  /** How it is written. */
  readonly by: HostReferenceKind;
  /** `true` when it names a resource of the input (or a contained one). */
  readonly resolved: boolean;
  /** The resource it names, when resolved. */
  readonly target?: { readonly resourceType: string; readonly id?: string; readonly path: IssuePath; readonly line?: number };
}

/** How a reference is written. */
export type HostReferenceKind = 'relative' | 'absolute' | 'urn' | 'conditional' | 'identifier' | 'contained' | 'display';

/**
 * A host resource a record was read from, kept as the host wrote it so nothing is lost on the way
 * back: unknown extensions, elements PeerKit does not map, the host's references.
 */
export interface HostSource {
  readonly resourceType: string;
  readonly id?: string;
  readonly fullUrl?: string;
  /** Position in the input (as in findings). */
  readonly path: IssuePath;
  readonly line?: number;
  /** The resource, untouched (the same object the input held). */
  readonly resource: Readonly<Record<string, unknown>>;
  /** Elements of the resource the record does not carry, e.g. `extension`, `_status`, `class.extension`, `meta.tag`. */
  readonly unmapped: readonly string[];
  /** Every reference in the resource (contained resources included). */
  readonly references: readonly HostReference[];
}

/** A goal read from a Goal that no CarePlan of the input holds. */
export interface HostGoal {
  readonly peerId: string;
  readonly goal: Goal;
}

/** A note read from a DocumentReference whose encounter is not a record of the input. */
export interface HostNote {
  readonly peerId?: string;
  /** Record id of its encounter (the host's Encounter id), when it names one. */
  readonly encounterId?: string;
  readonly note: Note;
}

/** A peer program read from a HealthcareService whose organization is not a record of the input. */
export interface HostProgram {
  /** Record id of its organization (the host's Organization id), when it names one. */
  readonly organizationId?: string;
  readonly program: Program;
}

/** What a record read from host resources is, by kind. */
export interface HostRecordValues {
  readonly peer: Extract<ClinicRecord, { kind: 'peer' }>;
  readonly specialist: Extract<ClinicRecord, { kind: 'specialist' }>;
  readonly organization: Extract<ClinicRecord, { kind: 'organization' }>;
  readonly 'recovery-plan': Extract<ClinicRecord, { kind: 'recovery-plan' }>;
  readonly encounter: Extract<ClinicRecord, { kind: 'encounter' }>;
  readonly 'group-session': Extract<ClinicRecord, { kind: 'group-session' }>;
  readonly consent: Extract<ClinicRecord, { kind: 'consent' }>;
  readonly 'service-consent': Extract<ClinicRecord, { kind: 'service-consent' }>;
  readonly referral: Extract<ClinicRecord, { kind: 'referral' }>;
  readonly goal: HostGoal;
  readonly note: HostNote;
  readonly program: HostProgram;
}

/** The kind of a host record: a clinic record kind, or a part (`goal`, `note`, `program`) whose whole is not in the input. */
export type HostRecordKind = keyof HostRecordValues;

/** One record read from host resources, with the resources it was read from. */
export type HostRecord = { [K in HostRecordKind]: HostRecordOf<K> }[HostRecordKind];

/** A host record of one kind. */
export interface HostRecordOf<K extends HostRecordKind> {
  readonly kind: K;
  /** The record (a `ClinicRecord` for the clinic kinds): always passes the model's schema. */
  readonly record: HostRecordValues[K];
  /**
   * `true` when the record also passes the model's rules. `false`: the host's data breaks a rule it
   * cannot satisfy (a completed encounter without activities…); `issues` says which.
   */
  readonly valid: boolean;
  /** The model's issues about the record (paths into the record). */
  readonly issues: readonly Issue[];
  /**
   * Fields set from the import profile defaults because the resources have no source for them (e.g.
   * `programId`, `modality`); summed up in the `host.defaulted` findings.
   */
  readonly defaulted: readonly string[];
  /**
   * The host resources it was read from; the first is the main one. Empty for a record read from
   * PeerKit's own profiled output (`fromFhir` reads those losslessly).
   */
  readonly sources: readonly HostSource[];
  /** The security labels (`meta.security`, `securityLabel`) of its resources, as the host wrote them. */
  readonly securityLabels: readonly Coding[];
}

/** A resource used by the records without being one of them. */
export type HostContextItem =
  | {
      /** A practitioner who is not a peer specialist: known for signatures, supervision and referrals. */
      readonly kind: 'practitioner';
      readonly id: string;
      readonly identifiers: readonly Identifier[];
      readonly name?: HumanName;
      readonly source: HostSource;
    }
  | {
      /** An organization that is not a peer-support agency record: a referral target, consent party, certification issuer. */
      readonly kind: 'organization';
      readonly id: string;
      readonly name?: string;
      readonly identifiers: readonly Identifier[];
      readonly source: HostSource;
    }
  | {
      /** A HealthcareService that is not a peer program, a PractitionerRole or Task whose main resource is not in the input. */
      readonly kind: 'service' | 'practitioner-role' | 'task';
      readonly id: string;
      readonly source: HostSource;
    }
  | HostCoverage
  | HostCondition
  | HostClaimResponse
  | {
      /** A Bulk Data `$export` completion manifest (not a resource: it has no source, only its position). */
      readonly kind: 'bulk-manifest';
      readonly transactionTime?: string;
      readonly output: readonly { readonly type?: string; readonly url?: string; readonly count?: number }[];
      /** The manifest as written. */
      readonly manifest: Readonly<Record<string, unknown>>;
      readonly path: IssuePath;
      readonly line?: number;
    };

/** The patient a billing fact is about: the record id of the host's Patient, and its identifiers. */
export interface HostPatientFact {
  /** Record id of the Patient (resolved: its id; else the id its reference names), as a `peer` record read from it has. */
  readonly patientId: string;
  /** Identifiers of the Patient (from the resource when it is in the input, else from the reference). */
  readonly patientIdentifiers: readonly Identifier[];
}

/** A payer a Coverage or ClaimResponse names (an Organization, resolved or as referenced). */
export interface HostPayer {
  /** Record id of the payer Organization (or the id its reference names), when it has one. */
  readonly id?: string;
  readonly name?: string;
  readonly identifiers: readonly Identifier[];
}

/** A date range read from a FHIR Period (dates, `YYYY-MM-DD`). */
export interface HostDateRange {
  readonly start?: string;
  readonly end?: string;
}

/** A Coverage: the member's insurance as billing needs it (payer, plan, member id, when in force). */
export interface HostCoverage extends HostPatientFact {
  readonly kind: 'coverage';
  readonly id: string;
  /** R4 `Coverage.status`: `active`, `cancelled`, `draft`. */
  readonly status: string;
  /** `Coverage.payor`, in order. */
  readonly payers: readonly HostPayer[];
  /** `subscriberId`, else the identifier of type `MB` (member number, v2-0203), when there is one. */
  readonly memberId?: string;
  /** `class` of type `plan` and `group` (coverage-class): the value and its name. */
  readonly plan?: { readonly value: string; readonly name?: string };
  readonly group?: { readonly value: string; readonly name?: string };
  /** `period`, as dates. */
  readonly period?: HostDateRange;
  /** `order` (1 = primary). */
  readonly order?: number;
  readonly source: HostSource;
}

/** A Condition: a diagnosis of the patient, with its codes and when it held. */
export interface HostCondition extends HostPatientFact {
  readonly kind: 'condition';
  readonly id: string;
  /** `code` codings with a system and code (ICD-10-CM, SNOMED CT…). */
  readonly codes: readonly { readonly system?: string; readonly code: string }[];
  /** `clinicalStatus` code (condition-clinical): `active`, `recurrence`, `relapse`, `inactive`, `remission`, `resolved`. */
  readonly clinicalStatus?: string;
  /** `verificationStatus` code (condition-ver-status): `confirmed`, `provisional`, `refuted`… */
  readonly verificationStatus?: string;
  /** `category` codes: `encounter-diagnosis`, `problem-list-item`, `health-concern`… */
  readonly categories: readonly string[];
  /** `onsetDateTime` or `onsetPeriod.start`, as a date. */
  readonly onset?: string;
  /** `abatementDateTime` or `abatementPeriod.end`, as a date. */
  readonly abatement?: string;
  /** `recordedDate`, as a date. */
  readonly recorded?: string;
  readonly source: HostSource;
}

/** A ClaimResponse: a payer's answer to a claim or a prior-authorization request. */
export interface HostClaimResponse extends HostPatientFact {
  readonly kind: 'claim-response';
  readonly id: string;
  /** R4 `status`: `active`, `cancelled`, `draft`. */
  readonly status: string;
  /** `use`: `claim`, `preauthorization`, `predetermination`. */
  readonly use?: string;
  /** `outcome`: `queued`, `complete`, `error`, `partial`. */
  readonly outcome?: string;
  /** `created`, as a date. */
  readonly created?: string;
  /** `preAuthRef`: the payer's authorization number. */
  readonly preAuthRef?: string;
  /** `preAuthPeriod`, as dates. */
  readonly preAuthPeriod?: HostDateRange;
  readonly insurer?: HostPayer;
  /**
   * The services it answers for: each `addItem`, and each `item` whose request `Claim` (contained or
   * in the input) says what it was: the service code, units and dates.
   */
  readonly items: readonly {
    readonly code?: { readonly system?: string; readonly code: string };
    readonly units?: number;
    readonly from?: string;
    readonly to?: string;
  }[];
  readonly source: HostSource;
}

/** What `readHostFhir` returns. */
export interface HostReadResult {
  /** The records, in the input order of their main resource. */
  readonly records: HostRecord[];
  /** Resources used by the records without being one. */
  readonly context: HostContextItem[];
  /** Every input position that is not (part of) a record or context, and what records had to complete. Never cut short. */
  readonly findings: Finding[];
  /** The profile the input was read with. */
  readonly profile: ImportProfile;
}
