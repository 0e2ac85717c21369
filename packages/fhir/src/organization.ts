/**
 * Organization and its programs → FHIR `Organization` + one `HealthcareService` per program.
 */
import { PROGRAM_TYPES, type Organization, type Program } from '@peerkit/model';
import type { HealthcareService, Organization as FhirOrganization } from 'fhir/r4';
import type { FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { resourceId } from './internal/ids';
import { compact } from './internal/read';

/** Logical id of an organization's `Organization` resource. */
export const organizationResourceId = (organizationId: string): string => resourceId('org', organizationId);

/** Logical id of a program's `HealthcareService`. */
export const programResourceId = (organizationId: string, programId: string): string =>
  resourceId('hs', organizationId, programId);

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
