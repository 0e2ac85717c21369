/**
 * PractitionerRole → part of its Practitioner's `specialist` record when its `code` or `specialty`
 * carries a peer role code of the import profile (NUCC `175T00000X` by default). The Practitioner
 * reader takes the roles of the practitioners it reads; this reader reports the rest: a peer role
 * whose Practitioner is not in the input is context, any other role is not peer support.
 *
 * See: https://hl7.org/fhir/R4/practitionerrole.html; US Core PractitionerRole; fhir-mapping.md §3
 * (NUCC 175T00000X has no SNOMED map, so it is read from `code` and `specialty`).
 */
import type { HostReadContext } from './internal/context';
import type { HostTypeReader } from './internal/fields';
import type { Json } from './internal/json';

/** Elements of a PractitionerRole the specialist record carries. */
export const PRACTITIONER_ROLE_MAPPED = ['practitioner', 'organization', 'code', 'specialty', 'active'] as const;

/** `true` when a PractitionerRole is a peer role under the import profile. */
export function isPeerRole(role: Json, cx: HostReadContext): boolean {
  return cx.match.peerRole(role.code) !== undefined || cx.match.peerRole(role.specialty) !== undefined;
}

/** Reads the PractitionerRoles no specialist record took. */
export const practitionerRoleReader: HostTypeReader = {
  type: 'PractitionerRole',
  link: (entry, cx) => cx.link(entry, 'role', entry.resource.practitioner),
  read(entry, cx) {
    if (!isPeerRole(entry.resource, cx)) {
      cx.report('host.not-peer-support', entry, ['code'], 'PractitionerRole: neither code nor specialty carries a peer role code of the import profile');
      return;
    }
    cx.addContext(entry, { kind: 'practitioner-role', id: cx.recordId(entry) }, PRACTITIONER_ROLE_MAPPED);
  },
};
