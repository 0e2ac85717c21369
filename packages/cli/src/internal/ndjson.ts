import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { fileErrorCode, readError } from './files';

/** One line of an NDJSON file: its text (without a UTF-8 byte-order mark) and its 1-based number. */
export interface NdjsonLine {
  readonly text: string;
  readonly line: number;
  /** The file's name, as given. */
  readonly file: string;
}

/**
 * Streams the lines of a file, numbered from 1 (blank lines included). A file system error is thrown
 * as it is: the caller names the file ({@link readJsonLines} does).
 *
 * @param path - the absolute path
 * @param file - the name to carry on each line
 */
export async function* ndjsonLines(path: string, file: string): AsyncGenerator<NdjsonLine> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    yield { text: line === 1 ? text.replace(/^\uFEFF/, '') : text, line, file };
  }
}

/** What {@link readJsonLines} read: the parsed lines, and a finding for each line that is not JSON. */
export interface JsonLines {
  readonly values: readonly { readonly line: number; readonly value: unknown }[];
  readonly invalid: readonly Issue[];
}

/**
 * Reads an NDJSON file whole: each non-blank line parsed, each line that is not JSON an issue with
 * `code` and its line (the line's text never quoted). File system errors are one-line `CliError`s.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @param what - what the file should be, for the messages, e.g. `a file of QuestionnaireResponses`
 * @param code - the issue code of a line that is not JSON, e.g. `outcomes.response-invalid`
 * @returns the values with their lines, and the issues
 */
export async function readJsonLines(io: CliIo, file: string, what: string, code: Issue['code']): Promise<JsonLines> {
  const values: { line: number; value: unknown }[] = [];
  const invalid: Issue[] = [];
  try {
    for await (const { text, line } of ndjsonLines(resolve(io.cwd, file), file)) {
      if (text.trim() === '') continue;
      try {
        values.push({ line, value: JSON.parse(text) as unknown });
      } catch {
        invalid.push({ severity: 'error', code, path: [], line, message: 'The line is not JSON' });
      }
    }
  } catch (error) {
    const fsCode = fileErrorCode(error);
    if (fsCode === undefined) throw error;
    throw readError(file, fsCode, what);
  }
  return { values, invalid };
}
