/**
 * JSON Schema (2020-12) for every record kind, generated from the zod schemas, for hosts that do not
 * run TypeScript. The package ships the same schemas as files under `schemas/`.
 *
 * JSON Schema carries the shape of each record; the cross-field rules (dates in order, minutes
 * within the session…) are only enforced by the `parse…` functions.
 */
import { z } from 'zod';
import type { RecordKind } from './codes';
import { consentSchema } from './consent';
import { peerEncounterSchema } from './encounter';
import { groupSessionSchema } from './group-session';
import { organizationSchema } from './organization';
import { peerSchema } from './peer';
import { recoveryPlanSchema } from './recovery-plan';
import { referralSchema } from './referral';
import { serviceConsentSchema } from './service-consent';
import { specialistSchema } from './specialist';

/** Base of the `$id` of each shipped schema. */
export const JSON_SCHEMA_BASE = 'https://peerkit.dev/schemas/model/';

/** The zod schema of each record kind. */
export const RECORD_SCHEMAS = {
  organization: organizationSchema,
  specialist: specialistSchema,
  peer: peerSchema,
  'recovery-plan': recoveryPlanSchema,
  encounter: peerEncounterSchema,
  'group-session': groupSessionSchema,
  consent: consentSchema,
  referral: referralSchema,
  'service-consent': serviceConsentSchema,
} as const satisfies Record<RecordKind, z.ZodType>;

/** A JSON Schema document. */
export type JsonSchema = Record<string, unknown>;

/**
 * Generates the JSON Schema (draft 2020-12) of each record kind, describing the input a record may
 * have (fields with defaults are optional), plus `clinic-record`, which accepts any of them.
 *
 * @returns file name (without `.json`) → schema
 * @example
 * const schemas = toJsonSchemas();
 * schemas['encounter']?.$id; // 'https://peerkit.dev/schemas/model/encounter.json'
 */
export function toJsonSchemas(): Record<RecordKind | 'clinic-record', JsonSchema> {
  const out: Partial<Record<RecordKind | 'clinic-record', JsonSchema>> = {};
  for (const [kind, schema] of Object.entries(RECORD_SCHEMAS) as [RecordKind, z.ZodType][]) {
    const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
    out[kind] = { ...generated, $id: `${JSON_SCHEMA_BASE}${kind}.json`, title: `PeerKit ${kind} record` };
  }
  out['clinic-record'] = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${JSON_SCHEMA_BASE}clinic-record.json`,
    title: 'PeerKit clinic export record (one NDJSON line)',
    oneOf: Object.keys(RECORD_SCHEMAS).map((kind) => ({ $ref: `${kind}.json` })),
  };
  return out as Record<RecordKind | 'clinic-record', JsonSchema>;
}
