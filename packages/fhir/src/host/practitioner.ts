/**
 * Practitioner (+ its PractitionerRoles) → `specialist` record when a role, or a qualification, carries
 * a peer role code of the import profile; qualifications become certifications. Any other practitioner
 * stays a known practitioner (context) for signatures, supervision and referrals.
 *
 * R4 has no role level or caseload limit: they come from the profile defaults (`host.defaulted`).
 *
 * See: https://hl7.org/fhir/R4/practitioner.html; US Core Practitioner; fhir-mapping.md §1 (no
 * peer-specialist code in v2-0360, so credentials are host codes mapped by the profile).
 */
import type { HostReadContext } from './internal/context';
import { dateOf, humanNameOf, identifiersOf, languagesOf, stateOf, textOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { obj, objs, str, type Json } from './internal/json';
import { isPeerRole, PRACTITIONER_ROLE_MAPPED } from './practitioner-role';

/** Degrees and licenses (v2-0360), which are not peer certifications. Source: THO v2-0360 (fhir-mapping.md §1). */
const DEGREE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0360';

/** Elements of a Practitioner the specialist record carries. */
export const PRACTITIONER_MAPPED = ['identifier', 'name', 'active', 'qualification', 'communication', 'contained'] as const;

function certificationsOf(entry: HostEntry, cx: HostReadContext): Json[] {
  const out: Json[] = [];
  objs(entry.resource.qualification).forEach((q, i) => {
    const concepts = obj(q.code);
    if (concepts !== undefined && objs(concepts.coding).some((c) => c.system === DEGREE_SYSTEM)) return;
    const issuer = cx.resolve(q.issuer, entry);
    cx.useContained(issuer);
    const issuerName = textOf(issuer?.resource.name) ?? textOf(obj(q.issuer)?.display);
    const number = str(objs(q.identifier)[0]?.value);
    const issued = dateOf(obj(q.period)?.start);
    const missing = [
      ...(number === undefined || number.length > 60 ? ['identifier'] : []),
      ...(issued === undefined ? ['period.start'] : []),
      ...(issuerName === undefined ? ['issuer'] : []),
    ];
    if (missing.length > 0) {
      cx.report('host.element-skipped', entry, ['qualification', i], `Practitioner.qualification: ${missing.join(', ')} missing; not read as a certification`);
      return;
    }
    const expires = dateOf(obj(q.period)?.end);
    const state = stateOf(issuer?.resource.address);
    out.push({
      credential: cx.match.credential(q.code) ?? 'state-certified',
      issuer: issuerName,
      ...(state === undefined ? {} : { state }),
      number,
      issued,
      ...(expires === undefined ? {} : { expires }),
    });
  });
  return out.slice(0, 20);
}

/** Reads a Practitioner into a `specialist` record or a known practitioner. */
export const practitionerReader: HostTypeReader = {
  type: 'Practitioner',
  read(entry, cx) {
    const practitioner = entry.resource;
    const roles = cx.linked(entry, 'role').filter((r) => !cx.isClaimed(r) && isPeerRole(r.resource, cx));
    const peerQualification = objs(practitioner.qualification).some((q) => cx.match.peerRole(q.code) !== undefined);
    const id = cx.recordId(entry);
    const identifiers = identifiersOf(practitioner.identifier);
    const name = humanNameOf(practitioner.name);
    const known = () => cx.addContext(entry, { kind: 'practitioner', id, identifiers, ...(name === undefined ? {} : { name }) }, PRACTITIONER_MAPPED);
    if (roles.length === 0 && !peerQualification) {
      known();
      return;
    }
    if (name === undefined) {
      cx.report('host.required-missing', entry, ['name'], 'Practitioner: no name with family and given names; the specialist record needs one (kept as a known practitioner)');
      known();
      return;
    }
    const { defaults } = cx.profile;
    const defaulted = ['roleLevel', 'caseloadLimit'];
    const organizationId = roles.map((r) => cx.idOf(r.resource.organization, r, ['Organization'])).find((o) => o !== undefined);
    if (organizationId === undefined) defaulted.push('organizationId');
    const active = typeof practitioner.active === 'boolean' ? practitioner.active : roles.some((r) => r.resource.active !== false);
    cx.emit(
      'specialist',
      entry,
      {
        kind: 'specialist',
        id,
        identifiers,
        name,
        roleLevel: defaults.roleLevel,
        active,
        organizationId: organizationId ?? defaults.organizationId,
        certifications: certificationsOf(entry, cx),
        continuingEducation: [],
        supervisionLog: [],
        specializations: [],
        livedExperience: [],
        languages: languagesOf(practitioner.communication),
        caseloadLimit: defaults.caseloadLimit,
      },
      { mapped: PRACTITIONER_MAPPED, parts: roles.map((r) => ({ entry: r, mapped: PRACTITIONER_ROLE_MAPPED })), defaulted },
    );
  },
};
