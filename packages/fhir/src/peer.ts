/**
 * Peer → one `EpisodeOfCare` per program enrollment and one `Coverage` per coverage entry. The host
 * EHR owns the `Patient`: PeerKit only references it, and does not emit its demographics (birth date,
 * language stay in the host's record).
 */
import { PROGRAM_TYPES, type Peer } from '@peerkit/model';
import type { Coverage, EpisodeOfCare } from 'fhir/r4';
import { isPart2Peer, patientReference, type FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { resourceId } from './internal/ids';
import { compact } from './internal/read';
import { organizationResourceId, programResourceId } from './organization';
import { practitionerResourceId } from './specialist';

/**
 * Maps a peer's enrollments and coverage to `EpisodeOfCare` and `Coverage` resources. Each
 * EpisodeOfCare carries the peer's record id (`<identifierSystem>/peer`), which is how PeerKit maps the
 * host's Patient back to its peer.
 *
 * @param peer - the peer record
 * @param ctx - the mapping context
 * @returns the resources, or `undefined` when the peer has no usable patient reference
 * @example
 * const resources = toFhirPeer(peer, ctx);
 * See: https://hl7.org/fhir/R4/episodeofcare.html, https://hl7.org/fhir/R4/coverage.html
 */
export function toFhirPeer(peer: Peer, ctx: FhirContext): (EpisodeOfCare | Coverage)[] | undefined {
  const patient = patientReference(ctx, peer.id);
  if (!patient) return undefined;
  const part2 = isPart2Peer(ctx, peer.id);
  const organizationId = ctx.organizationId;
  const episodes = peer.enrollments.map(
    (e): EpisodeOfCare =>
      compact({
        resourceType: 'EpisodeOfCare',
        id: resourceId('eoc', peer.id, e.programId, e.start),
        meta: meta(ctx, 'peerkit-program-enrollment', part2),
        extension: exts(
          ext(
            structureUrl(ctx, 'program'),
            organizationId === undefined
              ? undefined
              : { valueReference: ref('HealthcareService', programResourceId(ctx.programs.get(e.programId)?.organizationId ?? organizationId, e.programId)) },
          ),
        ),
        identifier: [businessIdentifier(ctx, 'enrollment', `${peer.id}/${e.programId}/${e.start}`), businessIdentifier(ctx, 'peer', peer.id)],
        status: e.end === undefined ? 'active' : 'finished',
        type: [{ coding: [peerkitCoding(ctx, 'program-type', PROGRAM_TYPES, e.programType)] }],
        patient: { ...patient },
        managingOrganization: organizationId === undefined ? undefined : ref('Organization', organizationResourceId(organizationId)),
        period: { start: e.start, end: e.end },
        careManager:
          peer.primarySpecialistId === undefined ? undefined : ref('Practitioner', practitionerResourceId(peer.primarySpecialistId)),
      }),
  );
  const coverage = peer.coverage.map(
    (c): Coverage =>
      compact({
        resourceType: 'Coverage',
        id: resourceId('cov', peer.id, c.payerId, c.start),
        meta: meta(ctx, 'peerkit-coverage', part2),
        identifier: [businessIdentifier(ctx, 'coverage', `${peer.id}/${c.payerId}/${c.memberId}/${c.start}`)],
        status: 'active',
        subscriberId: c.memberId,
        beneficiary: { ...patient },
        period: { start: c.start, end: c.end },
        payor: [{ identifier: businessIdentifier(ctx, 'payer', c.payerId), display: c.payerId }],
      }),
  );
  return [...episodes, ...coverage];
}
