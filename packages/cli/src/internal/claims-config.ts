import { parseClaimsConfig, type ClaimsConfig } from '@peerkit/billing';
import type { Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { readJsonFile } from './files';

export type { ClaimsConfig } from '@peerkit/billing';

/** One issue of `parseClaimsConfig` as the CLI says it: `<field> is missing`, `<field> must be …`. */
function problem(issue: Issue): string {
  const field = issue.path.length === 0 ? 'the file' : issue.path.join('.');
  switch (issue.code) {
    case 'schema.required':
      return `${field} is missing`;
    case 'schema.unknown-field':
      return `${field} is not a field PeerKit knows`;
    default:
      return `${field} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1).replace('one of: ', 'one of ')}`;
  }
}

/**
 * Reads a claims configuration file and checks it with `@peerkit/billing`'s `parseClaimsConfig`. Every
 * problem is named by its field (never its value), all of them in one line:
 * `cfg.json: not a valid claims config: submitter.id is missing; …` (exit 2).
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @returns the configuration, checked
 */
export async function readClaimsConfig(io: CliIo, file: string): Promise<ClaimsConfig> {
  const json = await readJsonFile(io, file, 'a claims config', 'a claims config is one JSON object');
  const result = parseClaimsConfig(json);
  if (!result.ok) throw new CliError(`${file}: not a valid claims config: ${result.issues.map(problem).join('; ')}`);
  return result.value;
}
