/**
 * Model → FHIR for a whole set of records: the resources of every record, in record order, with
 * issues for what could not be mapped.
 */
import type { ClinicRecord, Issue, Result } from '@peerkit/model';
import type { FhirResource } from 'fhir/r4';
import { toFhirConsent } from './consent';
import { createFhirContext, type FhirContext, type FhirMappingOptions } from './context';
import { toFhirPeerEncounter } from './encounter';
import { toFhirGroupSession } from './group-session';
import { toFhirOrganization } from './organization';
import { toFhirPeer } from './peer';
import { toFhirRecoveryPlan } from './recovery-plan';
import { toFhirReferral } from './referral';
import { toFhirServiceConsent } from './service-consent';
import { toFhirSpecialist } from './specialist';

/**
 * Maps one record to its FHIR resources.
 *
 * @param record - any clinic record
 * @param ctx - the mapping context (see {@link createFhirContext})
 * @returns the resources, or `undefined` when the record's peer is not in the context
 * @example
 * const resources = toFhirRecord(encounter, ctx);
 */
export function toFhirRecord(record: ClinicRecord, ctx: FhirContext): FhirResource[] | undefined {
  switch (record.kind) {
    case 'organization':
      return toFhirOrganization(record, ctx);
    case 'specialist':
      return toFhirSpecialist(record, ctx);
    case 'peer':
      return toFhirPeer(record, ctx);
    case 'recovery-plan':
      return toFhirRecoveryPlan(record, ctx);
    case 'encounter':
      return toFhirPeerEncounter(record, ctx);
    case 'group-session':
      return toFhirGroupSession(record, ctx);
    case 'consent': {
      const consent = toFhirConsent(record, ctx);
      return consent && [consent];
    }
    case 'referral':
      return toFhirReferral(record, ctx);
    case 'service-consent': {
      const consent = toFhirServiceConsent(record, ctx);
      return consent && [consent];
    }
  }
}

/**
 * Maps a set of records (typically a whole clinic export) to FHIR R4 resources. Pure and
 * deterministic: ids, references and identifiers come from the records and the options.
 *
 * Issues: `fhir.no-identifier-system` when no organization record or `identifierSystem` option gives
 * the identifier base; `fhir.unknown-peer` (error) for a record whose peer is not among the records
 * (that record is skipped; the others are mapped).
 *
 * @param records - validated records (e.g. from `parseRecord`)
 * @param options - see {@link FhirMappingOptions}
 * @returns the resources in record order
 * @example
 * const result = toFhir(records);
 * if (result.ok) for (const resource of result.value) console.log(resource.resourceType, resource.id);
 * See: docs/fhir-mapping.md
 */
export function toFhir(records: readonly ClinicRecord[], options: FhirMappingOptions = {}): Result<FhirResource[]> {
  const ctx = createFhirContext(records, options);
  if (!ctx) {
    return {
      ok: false,
      issues: [
        {
          severity: 'error',
          code: 'fhir.no-identifier-system',
          path: [],
          message: 'No organization record and no identifierSystem option: business identifiers need a base URI',
        },
      ],
    };
  }
  const issues: Issue[] = [];
  const resources: FhirResource[] = [];
  records.forEach((record, index) => {
    if (record.kind === 'group-session') {
      record.attendees.forEach((a, i) => {
        if (!ctx.peers.has(a.peerId)) issues.push(unknownPeer([index, 'attendees', i, 'peerId']));
      });
    }
    const mapped = toFhirRecord(record, ctx);
    if (mapped === undefined) issues.push(unknownPeer([index, record.kind === 'peer' ? 'patient' : 'peerId']));
    else resources.push(...mapped);
  });
  return { ok: true, value: resources, issues };
}

function unknownPeer(path: (string | number)[]): Issue {
  return {
    severity: 'warning',
    code: 'fhir.unknown-peer',
    path,
    message: 'The peer is not among the records (or has no patient reference): this part was not mapped',
  };
}
