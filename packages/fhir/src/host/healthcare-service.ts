/**
 * HealthcareService → a peer program (of its `providedBy` Organization) when its `type`, `specialty`
 * or `category` carries a peer-support or peer-role code of the import profile; other services are
 * context (referral targets). The Organization reader takes the programs of the organizations it
 * reads; this reader reads the rest: a program whose organization is not in the input.
 *
 * See: https://hl7.org/fhir/R4/healthcareservice.html
 */
import type { HostReadContext } from './internal/context';
import { textOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import type { Json } from './internal/json';

/** Elements of a HealthcareService a program carries. */
export const HEALTHCARE_SERVICE_MAPPED = ['name', 'type', 'specialty', 'category', 'providedBy', 'active'] as const;

/** `true` when a HealthcareService offers peer support under the import profile. */
export function isPeerService(service: Json, cx: HostReadContext): boolean {
  const { match } = cx;
  return [service.type, service.specialty, service.category].some((c) => match.peerSupport(c) !== undefined || match.peerRole(c) !== undefined);
}

/** The program a peer HealthcareService is, with the fields set from the profile defaults. */
export function programOf(entry: HostEntry, cx: HostReadContext): { program: Json; defaulted: string[] } {
  const { defaults } = cx.profile;
  const name = textOf(entry.resource.name);
  return {
    program: { id: cx.recordId(entry), name: name ?? defaults.programName, type: defaults.programType, part2: defaults.part2 },
    defaulted: [...(name === undefined ? ['program name'] : []), 'program type', 'program part2'],
  };
}

/** Reads the HealthcareServices no Organization record took. */
export const healthcareServiceReader: HostTypeReader = {
  type: 'HealthcareService',
  link: (entry, cx) => cx.link(entry, 'service', entry.resource.providedBy),
  read(entry, cx) {
    if (!isPeerService(entry.resource, cx)) {
      cx.addContext(entry, { kind: 'service', id: cx.recordId(entry) }, HEALTHCARE_SERVICE_MAPPED);
      return;
    }
    const { program, defaulted } = programOf(entry, cx);
    const organizationId = cx.idOf(entry.resource.providedBy, entry, ['Organization']);
    cx.emit('program', entry, { ...(organizationId === undefined ? {} : { organizationId }), program }, { mapped: HEALTHCARE_SERVICE_MAPPED, defaulted });
  },
};
