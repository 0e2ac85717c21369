import { parsePolicy, RULE_IDS, type Policy } from '@peerkit/safeguards';
import type { CliIo } from '../cli-io';
import { invalidFileError } from './cli-error';
import { readJsonFile } from './files';

/**
 * Reads and checks a safeguards policy file (`--policy` of `peerkit check` and `peerkit lint-note`);
 * an unreadable or invalid one is a one-line `CliError` naming the file and the field.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it, or undefined for no policy
 * @returns the policy, or undefined when no file was given
 */
export async function readPolicyFile(io: CliIo, file: string | undefined): Promise<Policy | undefined> {
  if (file === undefined) return undefined;
  const result = parsePolicy(await readJsonFile(io, file, 'a policy'), RULE_IDS);
  if (!result.ok) throw invalidFileError(file, result.issues);
  return result.value;
}
