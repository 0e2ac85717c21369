/**
 * Organization and its programs ↔ FHIR `Organization` + one `HealthcareService` per program.
 */
import { PROGRAM_TYPES, type Organization, type Program } from '@peerkit/model';
import type { HealthcareService, Organization as FhirOrganization } from 'fhir/r4';
import type { FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { compact, extOf, type Reader } from './internal/read';
import {
  businessId,
  code,
  defined,
  otherIdentifiers,
  resourceReader,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { organizationResourceId, programResourceId } from './resource-ids';

/**
 * Maps an organization to FHIR: the `Organization` and a `HealthcareService` per program (its type
 * and its 42 CFR Part 2 flag as the `part2-program` extension).
 *
 * @param org - the organization record
 * @param ctx - the mapping context
 * @returns `[Organization, ...HealthcareService]`
 * @example
 * const [organization, ...programs] = toFhirOrganization(org, ctx);
 * See: https://hl7.org/fhir/R4/organization.html, https://hl7.org/fhir/R4/healthcareservice.html
 */
export function toFhirOrganization(org: Organization, ctx: FhirContext): [FhirOrganization, ...HealthcareService[]] {
  const organization: FhirOrganization = compact({
    resourceType: 'Organization',
    id: organizationResourceId(org.id),
    meta: meta(ctx, 'peerkit-organization', false),
    identifier: [businessIdentifier(ctx, 'organization', org.id), ...org.identifiers.map((i) => ({ ...i }))],
    active: true,
    name: org.name,
    telecom: org.phone === undefined ? undefined : [{ system: 'phone', value: org.phone }],
    address: [{ state: org.state }],
  });
  return [organization, ...org.programs.map((p) => toFhirProgram(org.id, p, ctx))];
}

function toFhirProgram(organizationId: string, program: Program, ctx: FhirContext): HealthcareService {
  return compact({
    resourceType: 'HealthcareService',
    id: programResourceId(organizationId, program.id),
    meta: meta(ctx, 'peerkit-program', false),
    extension: exts(
      ext(structureUrl(ctx, 'part2-program'), { valueBoolean: program.part2 }),
      ext(structureUrl(ctx, 'program-start'), program.start === undefined ? undefined : { valueDate: program.start }),
    ),
    identifier: [businessIdentifier(ctx, 'program', program.id)],
    active: true,
    providedBy: ref('Organization', organizationResourceId(organizationId)),
    type: [{ coding: [peerkitCoding(ctx, 'program-type', PROGRAM_TYPES, program.type)] }],
    name: program.name,
  });
}

/** Reads organizations (with the programs they provide) back from FHIR. */
export const organizationReader: RecordReader = resourceReader({ type: 'Organization', identifier: 'organization', read: readOrganization });

function readOrganization(ix: ReadIndex, r: Reader, org: Loose<FhirOrganization>): Json | undefined {
  warnForeignExtensions(ix, r, org);
  const id = businessId(org.identifier, 'organization');
  const orgRef = `Organization/${String(org.id)}`;
  const programs = ix
    .of<HealthcareService>('HealthcareService')
    .filter((s) => s.resource.providedBy?.reference === orgRef)
    .map(({ resource: s }) => {
      ix.consumed.add(s);
      return defined({
        id: businessId(s.identifier, 'program')?.value ?? s.id,
        name: s.name,
        type: code(r, PROGRAM_TYPES, s.type?.[0], ix.cs('program-type'), ['type'], 'HealthcareService.type'),
        part2: extOf(s, ix.url('part2-program'))?.valueBoolean ?? false,
        start: extOf(s, ix.url('program-start'))?.valueDate,
      });
    });
  if (!id) r.missing(['identifier'], 'The organization identifier system');
  return defined({
    kind: 'organization',
    id: id?.value ?? org.id,
    name: org.name,
    identifiers: otherIdentifiers(org.identifier, ['organization']),
    identifierSystem: id?.base,
    state: org.address?.[0]?.state,
    phone: org.telecom?.find((t) => t.system === 'phone')?.value,
    programs,
  });
}
