/**
 * Organization → PeerKit `organization` record when it is a provider (type `prov`, an NPI, or the
 * provider of a peer HealthcareService), with its peer programs; any other organization (a community
 * resource, a payer, a certification board) is context: a referral target, a consent party, an issuer.
 *
 * See: https://hl7.org/fhir/R4/organization.html; US Core Organization (NPI, type prov).
 */
import { HEALTHCARE_SERVICE_MAPPED, isPeerService, programOf } from './healthcare-service';
import { identifiersOf, phoneOf, stateOf, textOf, type HostTypeReader } from './internal/fields';
import { codings, objs } from './internal/json';

const ORGANIZATION_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';

/** Elements of an Organization the organization record (or context item) carries. */
export const ORGANIZATION_MAPPED = ['identifier', 'name', 'type', 'address', 'telecom', 'active'] as const;

/** Reads an Organization into an `organization` record (with its peer programs) or a context item. */
export const organizationReader: HostTypeReader = {
  type: 'Organization',
  read(entry, cx) {
    const org = entry.resource;
    const services = cx.linked(entry, 'service').filter((s) => !cx.isClaimed(s) && isPeerService(s.resource, cx));
    const provider =
      codings(org.type).some((c) => c.system === ORGANIZATION_TYPE && c.code === 'prov') ||
      objs(org.identifier).some((i) => cx.match.isNpiSystem(i.system)) ||
      services.length > 0;
    const id = cx.recordId(entry);
    const name = textOf(org.name);
    const identifiers = identifiersOf(org.identifier);
    const context = () =>
      cx.addContext(entry, { kind: 'organization', id, identifiers, ...(name === undefined ? {} : { name }) }, ORGANIZATION_MAPPED);
    if (!provider) {
      context();
      return;
    }
    const { defaults } = cx.profile;
    const state = stateOf(org.address) ?? defaults.state;
    const missing = [...(name === undefined ? ['name'] : []), ...(state === undefined ? ['address.state'] : [])];
    if (name === undefined || state === undefined) {
      cx.report('host.required-missing', entry, [], `Organization: ${missing.join(' and ')} missing; PeerKit's organization record needs them (kept as context)`);
      context();
      return;
    }
    const defaulted: string[] = stateOf(org.address) === undefined ? ['state'] : [];
    const programs = services.map((s) => {
      const read = programOf(s, cx);
      defaulted.push(...read.defaulted.filter((f) => !defaulted.includes(f)));
      return read.program;
    });
    if (programs.length === 0) {
      programs.push({ id: defaults.programId, name: defaults.programName, type: defaults.programType, part2: defaults.part2 });
      defaulted.push('programs');
    }
    const phone = phoneOf(org.telecom);
    cx.emit(
      'organization',
      entry,
      {
        kind: 'organization',
        id,
        name,
        identifiers,
        identifierSystem: defaults.identifierSystem,
        state,
        ...(phone === undefined ? {} : { phone }),
        programs,
      },
      { mapped: ORGANIZATION_MAPPED, parts: services.map((s) => ({ entry: s, mapped: HEALTHCARE_SERVICE_MAPPED })), defaulted },
    );
  },
};
