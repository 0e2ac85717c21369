/**
 * Specialist ↔ FHIR `Practitioner` (certifications as `qualification`) + `PractitionerRole` (NUCC
 * 175T00000X Peer Specialist, role level, specializations, supervision).
 *
 * See: fhir-mapping.md §1 (Peer Support Specialist row): NUCC 175T00000X has no SNOMED map, so it goes
 * in `specialty` and as an extra coding in `code`; v2-0360 has no peer credential, hence PeerKit's
 * credential-type CodeSystem.
 */
import {
  CREDENTIAL_TYPES,
  LIVED_EXPERIENCE_AREAS,
  ROLE_LEVELS,
  SPECIALIZATIONS,
  type Specialist,
} from '@peerkit/model';
import type { Extension, Practitioner, PractitionerRole } from 'fhir/r4';
import type { FhirContext } from './context';
import { businessIdentifier, codeSystemUrl, ext, exts, meta, nonEmpty, peerkitCoding, ref, structureUrl } from './internal/build';
import { codeIn, compact, extOf, extsOf, isCode, type Reader } from './internal/read';
import {
  businessId,
  code,
  defined,
  otherIdentifiers,
  resourceReader,
  sub,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { organizationResourceId, practitionerResourceId, practitionerRoleResourceId } from './resource-ids';
import { SYSTEMS } from './systems';

/** NUCC Health Care Provider Taxonomy: Peer Specialist. Source: THO tx-cache + NamingSystem (fhir-mapping.md §3). */
export const NUCC_PEER_SPECIALIST = { system: SYSTEMS.nucc, code: '175T00000X', display: 'Peer Specialist' } as const;

/** BCP 47 language tags. */
const BCP47 = 'urn:ietf:bcp:47';

/**
 * Maps a specialist to `Practitioner` and `PractitionerRole`. Lived-experience areas are left out
 * unless `ctx.includeLivedExperience` is set.
 *
 * @param specialist - the specialist record
 * @param ctx - the mapping context
 * @returns `[Practitioner, PractitionerRole]`
 * @example
 * const [practitioner, role] = toFhirSpecialist(specialist, ctx);
 * See: https://hl7.org/fhir/R4/practitioner.html, https://hl7.org/fhir/R4/practitionerrole.html
 */
export function toFhirSpecialist(specialist: Specialist, ctx: FhirContext): [Practitioner, PractitionerRole] {
  const url = (name: string): string => structureUrl(ctx, name);
  const education: Extension[] = specialist.continuingEducation.map((e) => ({
    url: url('continuing-education'),
    extension: [
      { url: 'date', valueDate: e.date },
      { url: 'hours', valueDecimal: e.hours },
      { url: 'topic', valueString: e.topic },
      { url: 'ethics', valueBoolean: e.ethics },
    ],
  }));
  const lived: Extension[] = ctx.includeLivedExperience
    ? specialist.livedExperience.map((area) => ({
        url: url('lived-experience'),
        valueCoding: peerkitCoding(ctx, 'lived-experience', LIVED_EXPERIENCE_AREAS, area),
      }))
    : [];
  const practitioner: Practitioner = compact({
    resourceType: 'Practitioner',
    id: practitionerResourceId(specialist.id),
    meta: meta(ctx, 'peerkit-specialist', false),
    extension: nonEmpty([...education, ...lived]),
    identifier: [businessIdentifier(ctx, 'specialist', specialist.id), ...specialist.identifiers.map((i) => ({ ...i }))],
    active: specialist.active,
    name: [
      {
        text: specialist.name.display,
        family: specialist.name.family,
        given: [...specialist.name.given],
      },
    ],
    qualification: nonEmpty(
      specialist.certifications.map((c) => ({
        extension: exts(ext(url('credential-state'), c.state === undefined ? undefined : { valueCode: c.state })),
        identifier: [{ value: c.number }],
        code: { coding: [peerkitCoding(ctx, 'credential-type', CREDENTIAL_TYPES, c.credential)] },
        period: { start: c.issued, end: c.expires },
        issuer: { display: c.issuer },
      })),
    ),
    communication: nonEmpty(specialist.languages.map((tag) => ({ coding: [{ system: BCP47, code: tag }] }))),
  });

  const supervision: Extension[] = specialist.supervisionLog.map((s) => ({
    url: url('supervision'),
    extension: [
      { url: 'date', valueDate: s.date },
      { url: 'supervisor', valueReference: ref('Practitioner', practitionerResourceId(s.supervisorId)) },
      { url: 'minutes', valueInteger: s.minutes },
      { url: 'format', valueCoding: { system: codeSystemUrl(ctx, 'supervision-format'), code: s.format } },
    ],
  }));
  const agencyPhone = ctx.organizations.get(specialist.organizationId)?.phone;
  const role: PractitionerRole = compact({
    resourceType: 'PractitionerRole',
    id: practitionerRoleResourceId(specialist.id),
    meta: meta(ctx, 'peerkit-specialist-role', false),
    extension: exts(
      ext(
        url('supervisor'),
        specialist.supervisorId === undefined
          ? undefined
          : { valueReference: ref('Practitioner', practitionerResourceId(specialist.supervisorId)) },
      ),
      ...supervision,
      ext(url('caseload-limit'), { valueInteger: specialist.caseloadLimit }),
    ),
    identifier: [businessIdentifier(ctx, 'specialist-role', specialist.id)],
    active: specialist.active,
    period: specialist.hired === undefined ? undefined : { start: specialist.hired },
    practitioner: ref('Practitioner', practitionerResourceId(specialist.id)),
    organization: ref('Organization', organizationResourceId(specialist.organizationId)),
    code: [{ coding: [peerkitCoding(ctx, 'role-level', ROLE_LEVELS, specialist.roleLevel), { ...NUCC_PEER_SPECIALIST }] }],
    specialty: [
      { coding: [{ ...NUCC_PEER_SPECIALIST }] },
      ...specialist.specializations.map((s) => ({ coding: [peerkitCoding(ctx, 'specialization', SPECIALIZATIONS, s)] })),
    ],
    // US Core pd-1 (telecom or endpoint): the role is reached through its agency's phone; PeerKit
    // records no phone of a specialist's own.
    telecom: agencyPhone === undefined ? undefined : [{ system: 'phone', value: agencyPhone }],
  });
  return [practitioner, role];
}

/** Reads specialists (`Practitioner` with its `PractitionerRole`) back from FHIR. */
export const specialistReader: RecordReader = resourceReader({ type: 'Practitioner', identifier: 'specialist', read: readSpecialist });

function readSpecialist(ix: ReadIndex, r: Reader, p: Loose<Practitioner>): Json {
  const self = ix.idOf({ reference: `Practitioner/${String(p.id)}` }, 'Practitioner');
  const role = ix.find<PractitionerRole>('PractitionerRole', (x) => ix.idOf(x.practitioner, 'Practitioner') === self);
  if (role) ix.consumed.add(role);
  warnForeignExtensions(ix, r, p);
  const name = p.name?.[0];
  if (!role) r.missing(['PractitionerRole'], 'The PractitionerRole of the specialist');
  const education = extsOf(p, ix.url('continuing-education')).map((e) =>
    defined({
      date: sub(e, 'date')?.valueDate,
      hours: sub(e, 'hours')?.valueDecimal,
      topic: sub(e, 'topic')?.valueString,
      ethics: sub(e, 'ethics')?.valueBoolean ?? false,
    }),
  );
  return defined({
    kind: 'specialist',
    id: businessId(p.identifier, 'specialist')?.value ?? p.id,
    identifiers: otherIdentifiers(p.identifier, ['specialist']),
    name: defined({ given: name?.given, family: name?.family, display: name?.text }),
    roleLevel: code(r, ROLE_LEVELS, role?.code?.[0], ix.cs('role-level'), ['code'], 'PractitionerRole.code'),
    active: p.active ?? role?.active ?? true,
    organizationId: ix.idOf(role?.organization, 'Organization'),
    hired: role?.period?.start,
    certifications: (p.qualification ?? []).map((q, i) =>
      defined({
        credential: code(r, CREDENTIAL_TYPES, q.code, ix.cs('credential-type'), ['qualification', i, 'code'], 'Practitioner.qualification.code'),
        issuer: q.issuer?.display,
        state: extOf(q, ix.url('credential-state'))?.valueCode,
        number: q.identifier?.[0]?.value,
        issued: q.period?.start,
        expires: q.period?.end,
      }),
    ),
    continuingEducation: education,
    supervisorId: ix.idOf(extOf(role, ix.url('supervisor'))?.valueReference, 'Practitioner'),
    supervisionLog: extsOf(role, ix.url('supervision')).map((e) =>
      defined({
        date: sub(e, 'date')?.valueDate,
        supervisorId: ix.idOf(sub(e, 'supervisor')?.valueReference, 'Practitioner'),
        minutes: sub(e, 'minutes')?.valueInteger,
        format: sub(e, 'format')?.valueCoding?.code,
      }),
    ),
    specializations: (role?.specialty ?? []).flatMap((s) => {
      const c = codeIn(s, ix.cs('specialization'));
      return isCode(SPECIALIZATIONS, c) ? [c] : [];
    }),
    livedExperience: extsOf(p, ix.url('lived-experience')).flatMap((e) => {
      const c = e.valueCoding?.code;
      return isCode(LIVED_EXPERIENCE_AREAS, c) ? [c] : [];
    }),
    languages: (p.communication ?? []).flatMap((c) => c.coding?.map((x) => x.code).filter((x): x is string => x !== undefined) ?? []),
    caseloadLimit: extOf(role, ix.url('caseload-limit'))?.valueInteger,
  });
}
