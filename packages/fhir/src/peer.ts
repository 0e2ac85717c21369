/**
 * Peer ↔ one `EpisodeOfCare` per program enrollment and one `Coverage` per coverage entry. The host
 * EHR owns the `Patient`: PeerKit only references it, and does not emit its demographics (birth date,
 * language stay in the host's record).
 */
import { PROGRAM_TYPES, type Peer } from '@peerkit/model';
import type { Coverage, EpisodeOfCare, Reference } from 'fhir/r4';
import { isPart2Peer, patientReference, type FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { compact, extOf } from './internal/read';
import { businessId, code, defined, patientKeys, str, type Indexed, type Loose, type RecordReader } from './internal/record-reader';
import { coverageResourceId, enrollmentResourceId, organizationResourceId, practitionerResourceId, programResourceId } from './resource-ids';

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
        id: enrollmentResourceId(peer.id, e.programId, e.start),
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
        id: coverageResourceId(peer.id, c.payerId, c.start),
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

/**
 * Reads peers back from FHIR: one peer per PeerKit peer id on `EpisodeOfCare`s, with its enrollments
 * and the `Coverage`s of its patient. The peer id is how the host's Patient maps back to its peer.
 */
export const peerReader: RecordReader = {
  index(ix, resource) {
    if (resource.resourceType !== 'EpisodeOfCare') return;
    const peer = businessId(resource.identifier, 'peer');
    if (peer) for (const key of patientKeys(resource.patient as Reference)) ix.peerOfPatient.set(key, peer.value);
  },
  read(ix, emit) {
    const byPeer = new Map<string, Indexed<Loose<EpisodeOfCare>>[]>();
    for (const e of ix.of<EpisodeOfCare>('EpisodeOfCare')) {
      ix.consumed.add(e.resource);
      const peer = businessId(e.resource.identifier, 'peer')?.value;
      if (peer === undefined) continue;
      const list = byPeer.get(peer) ?? [];
      list.push(e);
      byPeer.set(peer, list);
    }
    const coverages = ix.of<Coverage>('Coverage');
    for (const c of coverages) ix.consumed.add(c.resource);
    for (const [peerId, list] of byPeer) {
      const first = list[0]!;
      emit(first.index, (r) => {
        const patient = first.resource.patient;
        const careManager = list.find((e) => e.resource.careManager)?.resource.careManager;
        return defined({
          kind: 'peer',
          id: peerId,
          patient: defined({
            reference: str(patient?.reference),
            identifier: patient?.identifier === undefined ? undefined : defined({ system: patient.identifier.system, value: patient.identifier.value }),
          }),
          enrollments: list.map(({ resource: e }) =>
            defined({
              programId: businessId(e.identifier, 'enrollment')?.value.split('/')[1] ?? ix.idOf(extOf(e, ix.url('program'))?.valueReference, 'HealthcareService'),
              programType: code(r, PROGRAM_TYPES, e.type?.[0], ix.cs('program-type'), ['type'], 'EpisodeOfCare.type'),
              start: e.period?.start,
              end: e.period?.end,
            }),
          ),
          coverage: coverages
            .filter((c) => ix.peerOf(c.resource.beneficiary) === peerId)
            .map(({ resource: c }) =>
              defined({ payerId: c.payor?.[0]?.identifier?.value ?? c.payor?.[0]?.display, memberId: c.subscriberId, start: c.period?.start, end: c.period?.end }),
            ),
          primarySpecialistId: ix.idOf(careManager, 'Practitioner'),
        });
      });
    }
  },
};
