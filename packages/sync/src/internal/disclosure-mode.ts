import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { parseDisclosureRecipient, type DisclosureRecipient, type RedisclosureNoticeOptions } from '@peerkit/safeguards';
import { SYNC_ERROR_CODES } from '../errors';
import { OUTBOX_FILES } from '../file-outbox/files';
import type { Outbox } from '../outbox';

/**
 * The wording of the 42 CFR §2.32 notice a gated sync sends with Part 2 data: `statement-1` or
 * `statement-2` of §2.32(a)(1)/(2) (`PART2_NOTICE_STATEMENTS`), or the program's own text with its
 * citation. Default `statement-2`.
 */
export type SyncNoticeStatement = NonNullable<RedisclosureNoticeOptions['statement']>;

/** The §2.32 notice options of a gated sync (`RunSyncOptions.notice`, the `notice` of a recipient file). */
export interface RunSyncNoticeOptions {
  /** The wording. Default `statement-2` (the regulation's statement, cited §2.32(a)(2)). */
  statement?: SyncNoticeStatement;
}

/** A gated sync's disclosure file (`peerkit sync --disclosure consent:<file>`): the recipient, and how the notice reads. */
export interface SyncDisclosureFile {
  /** The recipient the server stands for. */
  recipient: DisclosureRecipient;
  /** The §2.32 notice options, when the file sets them. */
  notice?: RunSyncNoticeOptions;
}

/** Longest notice text or citation accepted, in characters. */
const MAX_NOTICE_TEXT = 4000;

const invalid = (path: (string | number)[], message: string): Issue => ({ severity: 'error', code: SYNC_ERROR_CODES.invalidOption, path, message });

/**
 * Validates §2.32 notice options: `statement` is `statement-1`, `statement-2`, or `{ text, source? }`
 * with a non-blank `text` (and `source`, when given) of at most 4,000 characters; no other fields.
 * Issues are `sync.invalid-option` on the field (under `path`), never quoting its value.
 *
 * @param input - any value, typically parsed JSON
 * @param path - where it sits (e.g. `['notice']`)
 * @returns the options, or the issues
 * @example
 * parseSyncNotice({ statement: { text: 'Our wording…', source: '42 CFR §2.32(a)(1)' } }, ['notice']);
 */
export function parseSyncNotice(input: unknown, path: (string | number)[] = ['notice']): Result<RunSyncNoticeOptions> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return fail([invalid(path, 'must be an object with an optional statement')]);
  const issues: Issue[] = [];
  for (const key of Object.keys(input)) if (key !== 'statement') issues.push(invalid([...path, key], 'unknown field (the notice takes statement)'));
  const statement = (input as { statement?: unknown }).statement;
  const at = [...path, 'statement'];
  const textOk = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_NOTICE_TEXT;
  if (statement === undefined || statement === 'statement-1' || statement === 'statement-2') {
    return issues.length > 0 ? fail(issues) : ok(statement === undefined ? {} : { statement });
  }
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) {
    return fail([...issues, invalid(at, 'must be statement-1, statement-2 or { text, source }')]);
  }
  const { text, source, ...other } = statement as { text?: unknown; source?: unknown };
  for (const key of Object.keys(other)) issues.push(invalid([...at, key], 'unknown field (the statement takes text and source)'));
  if (!textOk(text)) issues.push(invalid([...at, 'text'], `must be non-blank text of at most ${MAX_NOTICE_TEXT} characters`));
  if (source !== undefined && !textOk(source)) issues.push(invalid([...at, 'source'], `must be non-blank text of at most ${MAX_NOTICE_TEXT} characters (the citation)`));
  if (issues.length > 0) return fail(issues);
  return ok({ statement: { text: text as string, ...(source === undefined ? {} : { source: source as string }) } });
}

/**
 * Validates a gated sync's disclosure file (what `peerkit sync --disclosure consent:<file>` reads):
 * the recipient's fields (`parseDisclosureRecipient`) and, optionally, `notice` ({@link parseSyncNotice}).
 *
 * @param input - any value, typically parsed JSON
 * @returns the recipient and notice options, or the issues of both (each on its field, never its value)
 * @example
 * parseSyncDisclosureFile({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'], notice: { statement: 'statement-1' } });
 */
export function parseSyncDisclosureFile(input: unknown): Result<SyncDisclosureFile> {
  const hasNotice = input !== null && typeof input === 'object' && !Array.isArray(input) && 'notice' in input;
  const { notice: noticeInput, ...rest } = hasNotice ? (input as { notice?: unknown }) : { notice: undefined };
  const recipient = parseDisclosureRecipient(hasNotice ? rest : input);
  const notice = hasNotice ? parseSyncNotice(noticeInput, ['notice']) : ok<RunSyncNoticeOptions>({});
  if (!recipient.ok || !notice.ok) return fail([...(recipient.ok ? [] : recipient.issues), ...(notice.ok ? [] : notice.issues)]);
  return ok({ recipient: recipient.value, ...(hasNotice ? { notice: notice.value } : {}) });
}

/**
 * The disclosure mode of a run, as the state directory (or the hub) keeps it: `internal`, or
 * `consent:` and a hash of the recipient and, when set, the notice wording (never either itself):
 * a resume must send the same notice, or a patient noticed before the stop would get a second one.
 */
export function disclosureMode(recipient: DisclosureRecipient | undefined, notice?: RunSyncNoticeOptions): string {
  if (recipient === undefined) return 'internal';
  const hashed = notice?.statement === undefined ? recipient : { recipient, statement: notice.statement };
  return `consent:${createHash('sha256').update(JSON.stringify(hashed)).digest('hex')}`;
}

/**
 * A resumed run must read the rest of its input through the same gate it started with. A new run
 * records its mode in the state directory; a resumed one must match it (a run started before the
 * file existed counts as `internal`).
 *
 * @param stateDir - the state directory
 * @param outbox - its outbox, open
 * @param resume - whether the unfinished run is resumed
 * @param mode - this call's mode ({@link disclosureMode})
 * @returns an error issue when the modes differ
 */
export async function checkDisclosureMode(stateDir: string, outbox: Outbox, resume: boolean, mode: string): Promise<Issue | undefined> {
  const path = join(stateDir, OUTBOX_FILES.disclosureMode);
  if (outbox.runId === undefined) {
    await writeFile(path, `${mode}\n`, { mode: 0o600 });
    return undefined;
  }
  if (!resume) return undefined;
  const started = (await readFile(path, 'utf8').catch(() => 'internal')).trim();
  if (started === mode) return undefined;
  if (started.startsWith('consent:') && mode.startsWith('consent:')) {
    return { severity: 'error', code: SYNC_ERROR_CODES.recipientMismatch, path: ['recipient'], message: 'the unfinished run was started with another recipient or notice wording; resume it with the same' };
  }
  const was = started === 'internal' ? 'internal use (no recipient)' : 'a recipient';
  return { severity: 'error', code: SYNC_ERROR_CODES.disclosureMismatch, path: ['recipient'], message: `the unfinished run was started for ${was}; resume it the same way` };
}

/** The run finished: the next one starts with its own mode. */
export async function clearDisclosureMode(stateDir: string): Promise<void> {
  await rm(join(stateDir, OUTBOX_FILES.disclosureMode), { force: true });
}
