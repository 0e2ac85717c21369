import type { ProfessionalClaimOptions } from '@peerkit/billing';
import { isIsoDate } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { readJsonFile } from './files';

/**
 * What a claims configuration file holds: the trading partners, the billing provider, the payers and
 * the members' demographics `toProfessionalClaims` needs and a clinic export does not hold. The
 * organization, specialists and evidence come from the export and `--evidence`.
 */
export type ClaimsConfig = Omit<ProfessionalClaimOptions, 'organization' | 'specialists' | 'evidence'>;

/** Checks one value at a path; pushes `<path> is missing` / `<path> must be …` problems. */
type Check = (value: unknown, path: string, problems: string[]) => void;

interface Field {
  readonly check: Check;
  readonly optional?: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const text: Check = (value, path, problems) => {
  if (typeof value !== 'string' || value.trim() === '') problems.push(`${path} must be text`);
};

const date: Check = (value, path, problems) => {
  if (!isIsoDate(value)) problems.push(`${path} must be a date YYYY-MM-DD`);
};

const amount: Check = (value, path, problems) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${path} must be an amount (a number, 0 or more)`);
};

function oneOf(values: readonly string[]): Check {
  return (value, path, problems) => {
    if (typeof value !== 'string' || !values.includes(value)) problems.push(`${path} must be one of ${values.join(', ')}`);
  };
}

const required = (check: Check): Field => ({ check });
const optional = (check: Check): Field => ({ check, optional: true });

/** An object with these fields and no others. */
function object(fields: Readonly<Record<string, Field>>): Check {
  return (value, path, problems) => {
    if (!isObject(value)) {
      problems.push(`${path || 'the file'} must be an object`);
      return;
    }
    const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
    for (const [key, field] of Object.entries(fields)) {
      if (value[key] === undefined) {
        if (field.optional !== true) problems.push(`${at(key)} is missing`);
      } else {
        field.check(value[key], at(key), problems);
      }
    }
    for (const key of Object.keys(value)) if (!(key in fields)) problems.push(`${at(key)} is not a field PeerKit knows`);
  };
}

/** An object whose every value passes `check` (keys are ids: payer ids, peer ids, codes). */
function record(check: Check): Check {
  return (value, path, problems) => {
    if (!isObject(value)) {
      problems.push(`${path} must be an object`);
      return;
    }
    for (const [key, item] of Object.entries(value)) check(item, `${path}.${key}`, problems);
  };
}

const address = object({ line1: required(text), line2: optional(text), city: required(text), state: required(text), postalCode: required(text) });

const CLAIMS_CONFIG: Check = object({
  submitter: required(object({ name: required(text), id: required(text), contactName: required(text), phone: required(text) })),
  receiver: required(object({ name: required(text), id: required(text) })),
  billingProvider: required(
    object({ name: optional(text), npi: optional(text), taxId: required(text), address: required(address), taxonomy: optional(text) }),
  ),
  payToAddress: optional(address),
  payers: optional(record(object({ name: required(text), id: required(text), claimFilingIndicator: optional(text) }))),
  members: required(
    record(
      object({
        lastName: required(text),
        firstName: required(text),
        middleName: optional(text),
        birthDate: required(date),
        gender: required(oneOf(['F', 'M', 'U'])),
        address: required(address),
      }),
    ),
  ),
  chargePerUnit: optional(record(amount)),
  renderingTaxonomy: optional(text),
});

/**
 * Reads and checks a claims configuration file. Every problem is named by its field (never its
 * value), all of them in one line: `cfg.json: not a valid claims config: submitter.id is missing; …`
 * (exit 2).
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @returns the configuration, checked
 */
export async function readClaimsConfig(io: CliIo, file: string): Promise<ClaimsConfig> {
  const json = await readJsonFile(io, file, 'a claims config', 'a claims config is one JSON object');
  const problems: string[] = [];
  CLAIMS_CONFIG(json, '', problems);
  if (problems.length > 0) throw new CliError(`${file}: not a valid claims config: ${problems.join('; ')}`);
  return json as ClaimsConfig;
}
