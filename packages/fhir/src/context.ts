/**
 * The mapping context: everything the model → FHIR mapping needs besides the record itself — the
 * organization's identifier system, the canonical base, the peers (for Patient references) and the
 * programs (for 42 CFR Part 2 labels). Built once from the records of a clinic export.
 */
import type { ClinicRecord, Enrollment, Organization, PatientRef, Program } from '@peerkit/model';
import type { Reference } from 'fhir/r4';
import { PEERKIT_CANONICAL } from './systems';

/** Options of {@link createFhirContext} and {@link toFhir}. */
export interface FhirMappingOptions {
  /**
   * Base URI of business identifier systems (`<base>/encounter`, `<base>/consent`…). Default: the
   * `identifierSystem` of the first organization record; required when the records hold none.
   */
  identifierSystem?: string;
  /** Canonical base of PeerKit's profiles, extensions and CodeSystems. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
  /**
   * Export specialists' lived-experience areas (private by default). Default `false`: they are left
   * out, as a specialist's own recovery history is theirs to share.
   */
  includeLivedExperience?: boolean;
}

/**
 * What the mapping of other records reads of a peer: the host's Patient (reference, identifier) and
 * the programs of its enrollments (for 42 CFR Part 2 labels). A `Peer` record is one.
 */
export interface MappingPeer {
  readonly patient: PatientRef;
  readonly enrollments: readonly Pick<Enrollment, 'programId' | 'programType'>[];
}

/**
 * The peers of a mapping context, by record id: a `Map` of the export's peers, or a lookup of one's
 * own (e.g. kept in a file, for an export too large to hold its peers in memory).
 */
export interface PeerLookup {
  /** What the mapping reads of the peer with this record id, or `undefined` for a peer not in the export. */
  get(peerId: string): MappingPeer | undefined;
  /** `true` when the export holds a peer with this record id. */
  has(peerId: string): boolean;
}

/** A resolved mapping context; create it with {@link createFhirContext}. */
export interface FhirContext {
  /** Base of business identifier systems, without a trailing slash. */
  readonly identifierSystem: string;
  /** Canonical base, without a trailing slash. */
  readonly canonical: string;
  readonly includeLivedExperience: boolean;
  /** Peers by record id. */
  readonly peers: PeerLookup;
  /** Programs by id, with the id of their organization. */
  readonly programs: ReadonlyMap<string, { program: Program; organizationId: string }>;
  /** Id of the (first) organization, the service provider of encounters. */
  readonly organizationId: string | undefined;
  /** Organizations by record id (their phone is the contact of their specialists' roles). */
  readonly organizations: ReadonlyMap<string, Organization>;
}

const trimSlash = (uri: string): string => uri.replace(/\/+$/, '');

/**
 * Indexes the records a mapping needs to look up (organization, programs, peers).
 *
 * @param records - the records of a clinic export (all kinds; only organizations and peers are indexed)
 * @param options - see {@link FhirMappingOptions}
 * @param peerLookup - the peers, looked up here instead of indexed from `records` (whose peer records
 *   are then ignored): for a stream that keeps only what {@link MappingPeer} holds, out of memory
 * @returns the context, or `undefined` when no identifier system is given or found
 * @example
 * const ctx = createFhirContext(records, { canonicalBase: 'https://peerkit.dev/fhir' });
 * const streamed = createFhirContext(organizations, {}, peersOnDisk); // peersOnDisk: a PeerLookup
 */
export function createFhirContext(
  records: readonly ClinicRecord[],
  options: FhirMappingOptions = {},
  peerLookup?: PeerLookup,
): FhirContext | undefined {
  const peers = new Map<string, MappingPeer>();
  const programs = new Map<string, { program: Program; organizationId: string }>();
  const organizations = new Map<string, Organization>();
  let organization: Organization | undefined;
  for (const record of records) {
    if (record.kind === 'peer') {
      if (peerLookup === undefined) peers.set(record.id, record);
    }
    else if (record.kind === 'organization') {
      organization ??= record;
      organizations.set(record.id, record);
      for (const program of record.programs) programs.set(program.id, { program, organizationId: record.id });
    }
  }
  const identifierSystem = options.identifierSystem ?? organization?.identifierSystem;
  if (identifierSystem === undefined) return undefined;
  return {
    identifierSystem: trimSlash(identifierSystem),
    canonical: trimSlash(options.canonicalBase ?? PEERKIT_CANONICAL),
    includeLivedExperience: options.includeLivedExperience ?? false,
    peers: peerLookup ?? peers,
    programs,
    organizationId: organization?.id,
    organizations,
  };
}

/** The FHIR reference to a peer's Patient (the host EHR's), or `undefined` for an unknown peer. */
export function patientReference(ctx: FhirContext, peerId: string): Reference | undefined {
  const peer = ctx.peers.get(peerId);
  if (!peer) return undefined;
  const { reference, identifier } = peer.patient;
  if (reference !== undefined) {
    return identifier === undefined ? { reference } : { reference, identifier: { ...identifier } };
  }
  return identifier === undefined ? undefined : { type: 'Patient', identifier: { ...identifier } };
}

/** `true` when the program is a 42 CFR Part 2 program (by its flag; by its type when unknown). */
export function isPart2Program(ctx: FhirContext, programId: string | undefined, programType?: string): boolean {
  const known = programId === undefined ? undefined : ctx.programs.get(programId);
  if (known) return known.program.part2;
  return programType === 'substance-use' || programType === 'co-occurring';
}

/** `true` when the peer is enrolled in any 42 CFR Part 2 program. */
export function isPart2Peer(ctx: FhirContext, peerId: string): boolean {
  const peer = ctx.peers.get(peerId);
  return peer?.enrollments.some((e) => isPart2Program(ctx, e.programId, e.programType)) ?? false;
}
