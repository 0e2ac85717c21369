import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import {
  createClinicExportReport,
  readClinicExport,
  type ClinicExportReport,
  type ClinicExportReportOptions,
  type ClinicRecord,
} from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { fileErrorCode, readError } from './files';

/** What the bytes of a file looked like, for a useful message when no line is a JSON object. */
interface Sniffed {
  firstChar: string | undefined;
  hasNul: boolean;
  utf16: boolean;
}

/** Passes chunks through, noting the first non-blank character, NUL bytes and a UTF-16 byte-order mark. */
async function* sniff(source: AsyncIterable<Buffer>, seen: Sniffed): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of source) {
    if (first) {
      first = false;
      seen.utf16 = (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff);
    }
    if (!seen.hasNul && chunk.includes(0)) seen.hasNul = true;
    // Leading whitespace and a UTF-8 byte-order mark (read as Latin-1 bytes) say nothing.
    seen.firstChar ??= chunk.toString('latin1').replace(/^[\s\xef\xbb\xbf]+/, '')[0];
    yield chunk;
  }
}

function notNdjson(file: string, seen: Sniffed): CliError {
  if (seen.utf16) return new CliError(`${file}: is UTF-16 text; a clinic export must be UTF-8 NDJSON`);
  if (seen.hasNul) return new CliError(`${file}: is not a text file (it contains NUL bytes); a clinic export is NDJSON`);
  if (seen.firstChar === '[') {
    return new CliError(`${file}: is not NDJSON (a JSON array is not an NDJSON export: write one JSON object per line)`);
  }
  return new CliError(`${file}: is not NDJSON (no line is a JSON object; a clinic export has one JSON object per line)`);
}

/** What {@link readClinicFile} returns. */
export interface ClinicFile {
  /** Counts and issues, as `createClinicExportReport` gives them. */
  report: ClinicExportReport;
  /** The valid records, in file order (kept only when asked). */
  records: ClinicRecord[];
}

/** Options of {@link readClinicFile}: the report's, and what to do with each valid record. */
export interface ReadClinicFileOptions extends ClinicExportReportOptions {
  /** Collect the valid records in {@link ClinicFile}.records. Default false. */
  keepRecords?: boolean;
  /** Called with each valid record and its line, in file order, while the file streams. */
  onRecord?: (record: ClinicRecord, line: number) => void;
}

/**
 * Streams a clinic export file through the model's reader and report. File system problems and a
 * file that is not NDJSON become one-line `CliError`s (exit 2).
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @param options - see {@link ReadClinicFileOptions}
 * @returns the report, and the valid records when `keepRecords`
 */
export async function readClinicFile(io: CliIo, file: string, options: ReadClinicFileOptions = {}): Promise<ClinicFile> {
  const seen: Sniffed = { firstChar: undefined, hasNul: false, utf16: false };
  const { keepRecords = false, onRecord, ...reportOptions } = options;
  const report = createClinicExportReport(reportOptions);
  const records: ClinicRecord[] = [];
  try {
    const stream = createReadStream(resolve(io.cwd, file));
    for await (const entry of readClinicExport(sniff(stream, seen))) {
      report.add(entry);
      if (!entry.result.ok) continue;
      if (keepRecords) records.push(entry.result.value);
      onRecord?.(entry.result.value, entry.line);
    }
  } catch (error) {
    // Only the file system's errors (with a `code`) are the user's; anything else is a bug.
    const code = fileErrorCode(error);
    if (code === undefined) throw error;
    throw readError(file, code, 'a clinic export file');
  }
  const summary = report.finish();
  const tooLarge = summary.issueCounts['record.too-large'] ?? 0;
  // Lines too long to read say nothing about the format; judge by the others and the first bytes.
  if (summary.jsonLines === 0 && (summary.lines > tooLarge || seen.hasNul || seen.firstChar === '[')) {
    throw notNdjson(file, seen);
  }
  return { report: summary, records };
}
