/**
 * The claims configuration: what `toProfessionalClaims` needs that a clinic export does not hold — the
 * trading partners, the billing provider, the payers, the members' demographics and the charges — as a
 * zod schema, so a host can keep it in a JSON file and have every wrong field named.
 *
 * See: ASC X12N 837P 005010X222A1 (loops 1000A/B, 2010AA/AB, 2010BA/BB)
 */
import { fail, fromZodIssues, ok, type Result } from '@peerkit/model';
import { z } from 'zod';
import type { ProfessionalClaimOptions } from './professional-claim';

const text = z.string().trim().min(1);
const amount = z.number().min(0);

const addressSchema = z.strictObject({ line1: text, line2: text.optional(), city: text, state: text, postalCode: text });

/** The zod schema of {@link ClaimsConfig}: every field the claims need, nothing else. */
export const claimsConfigSchema = z.strictObject({
  /** Loop 1000A: who sends the file, with the EDI contact. */
  submitter: z.strictObject({ name: text, id: text, contactName: text, phone: text }),
  /** Loop 1000B: the clearinghouse or payer that receives it. */
  receiver: z.strictObject({ name: text, id: text }),
  /** Loop 2010AA; name and NPI default to the export's organization. */
  billingProvider: z.strictObject({ name: text.optional(), npi: text.optional(), taxId: text, address: addressSchema, taxonomy: text.optional() }),
  /** Loop 2010AB, when it differs from the billing provider's address. */
  payToAddress: addressSchema.optional(),
  /** Payers by coverage payer id: name, payer id (NM109, PI) and claim filing indicator (SBR09). */
  payers: z.record(z.string(), z.strictObject({ name: text, id: text, claimFilingIndicator: text.optional() })).optional(),
  /** The members' demographics by peer id (loop 2010BA). */
  members: z.record(
    z.string(),
    z.strictObject({
      lastName: text,
      firstName: text,
      middleName: text.optional(),
      birthDate: z.iso.date(),
      gender: z.enum(['F', 'M', 'U']),
      address: addressSchema,
    }),
  ),
  /** Charge per unit by HCPCS code, where the pack has no rate. */
  chargePerUnit: z.record(z.string(), amount).optional(),
  /** Taxonomy of the rendering specialists (PRV*PE). */
  renderingTaxonomy: text.optional(),
});

/**
 * What a claims configuration holds: the options of `toProfessionalClaims` a clinic export does not
 * hold (the organization, specialists and evidence come from the export and the host).
 */
export type ClaimsConfig = Omit<ProfessionalClaimOptions, 'organization' | 'specialists' | 'evidence'>;

/**
 * Validates a claims configuration (for example a JSON file). Issues are `schema.*` codes naming each
 * missing, unknown or invalid field, never its value.
 *
 * @param input - any value
 * @returns the configuration, or one issue per problem
 * @example
 * const config = parseClaimsConfig(JSON.parse(text));
 * if (config.ok) toProfessionalClaims(run, { ...config.value, organization, specialists, evidence });
 * See: ASC X12N 837P 005010X222A1
 */
export function parseClaimsConfig(input: unknown): Result<ClaimsConfig> {
  const parsed = claimsConfigSchema.safeParse(input);
  return parsed.success ? ok(parsed.data as ClaimsConfig) : fail(fromZodIssues(parsed.error.issues, input));
}
