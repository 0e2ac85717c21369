/**
 * A clinic record: one of the entity kinds, told apart by its `kind` field.
 */
import { codesOf, RECORD_KINDS, type RecordKind } from './codes';
import { parseConsent, type Consent } from './consent';
import { parsePeerEncounter, type PeerEncounter } from './encounter';
import { parseGroupSession, type GroupSession } from './group-session';
import { parseOrganization, type Organization } from './organization';
import { parsePeer, type Peer } from './peer';
import { parseRecoveryPlan, type RecoveryPlan } from './recovery-plan';
import { parseReferral, type Referral } from './referral';
import { parseServiceConsent, type ServiceConsent } from './service-consent';
import { fail, type Result } from './result';
import { parseSpecialist, type Specialist } from './specialist';

/** Any record of a clinic export. */
export type ClinicRecord =
  | Organization
  | Specialist
  | Peer
  | RecoveryPlan
  | PeerEncounter
  | GroupSession
  | Consent
  | Referral
  | ServiceConsent;

const PARSERS: { readonly [K in RecordKind]: (input: unknown) => Result<Extract<ClinicRecord, { kind: K }>> } = {
  organization: parseOrganization,
  specialist: parseSpecialist,
  peer: parsePeer,
  'recovery-plan': parseRecoveryPlan,
  encounter: parsePeerEncounter,
  'group-session': parseGroupSession,
  consent: parseConsent,
  referral: parseReferral,
  'service-consent': parseServiceConsent,
};

const KIND_CODES: readonly string[] = codesOf(RECORD_KINDS);

/** `true` when `value` is one of the record kinds. */
export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && KIND_CODES.includes(value);
}

/**
 * Validates any clinic record, dispatching on its `kind`. Never throws, whatever the input.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the typed record, or issues (`record.not-object`, `record.missing-kind`,
 *   `record.unknown-kind`, or the entity's own)
 * @example
 * const result = parseRecord(JSON.parse(line));
 * if (result.ok && result.value.kind === 'encounter') console.log(result.value.modality);
 */
export function parseRecord(input: unknown): Result<ClinicRecord> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail([{ severity: 'error', code: 'record.not-object', path: [], message: 'A record must be a JSON object' }]);
  }
  const kind = (input as { kind?: unknown }).kind;
  if (kind === undefined) {
    return fail([{ severity: 'error', code: 'record.missing-kind', path: ['kind'], message: 'Required field kind is missing' }]);
  }
  if (!isRecordKind(kind)) {
    return fail([
      {
        severity: 'error',
        code: 'record.unknown-kind',
        path: ['kind'],
        message: `Unknown kind; must be one of: ${KIND_CODES.join(', ')}`,
      },
    ]);
  }
  return PARSERS[kind](input);
}
