import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lintNote, parsePolicy, RULE_IDS, type NoteContext, type Policy } from '@peerkit/safeguards';
import type { CliIo } from '../cli-io';
import { parseCommandArgs } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { formatTable, plural } from '../internal/format';
import type { Command } from './command';
import { invalidInput, readJsonFile } from './consent';

const USAGE = 'usage: peerkit lint-note <file|-> [--json] [--policy <file>] [--context one-on-one|group-attendee|group]';

const HELP = `Checks the free text of one progress note against the boundary and scope rules.

${USAGE}

Reads the note from <file>, or from standard input with -.
Options:
  --json              print { "findings": [ { "rule", "category", "severity", "start", "end", "suggestion" } ] }
  --policy <file>     a policy JSON (thresholds, term lists, working hours, disabled rules)
  --context <kind>    one-on-one (default), group-attendee or group
  -h, --help          show this help

Spans are character offsets [start, end) in the text; findings never repeat the text.
Exit codes: 0 no error-severity finding, 1 at least one, 2 usage error or unreadable input.
`;

const CONTEXTS: readonly NoteContext[] = ['one-on-one', 'group-attendee', 'group'];

async function readText(file: string, cwd: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not a note`);
    throw new CliError(`${file}: cannot read the file (${typeof code === 'string' ? code : 'error'})`);
  }
}

/** Reads and validates a policy file (shared with `peerkit check`). */
export async function readPolicy(file: string | undefined, cwd: string): Promise<Policy | undefined> {
  if (file === undefined) return undefined;
  const result = parsePolicy(await readJsonFile(file, cwd, 'a policy'), RULE_IDS);
  if (!result.ok) throw invalidInput(file, result.issues);
  return result.value;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { json: { type: 'boolean' }, policy: { type: 'string' }, context: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError('lint-note needs a file, or - for standard input', 2, USAGE);
  if (extra.length > 0) throw new CliError('lint-note checks one note at a time', 2, USAGE);
  const context = (values.context ?? 'one-on-one') as NoteContext;
  if (!CONTEXTS.includes(context)) throw new CliError(`--context must be one of: ${CONTEXTS.join(', ')}`, 2, USAGE);
  const policy = await readPolicy(values.policy, io.cwd);
  const text = (await readText(file, io.cwd)).replace(/^\uFEFF/, '');

  const findings = policy === undefined ? lintNote(text, { context }) : lintNote(text, { context, policy });
  if (values.json) {
    const out = findings.map((f) => ({ rule: f.rule, category: f.category, severity: f.severity, start: f.start, end: f.end, suggestion: f.suggestion }));
    io.stdout.write(`${JSON.stringify({ findings: out })}\n`);
  } else if (findings.length === 0) {
    io.stdout.write('no findings\n');
  } else {
    const rows = findings.map((f) => [`${f.start ?? '-'}-${f.end ?? '-'}`, f.severity, f.category, f.rule, f.message]);
    const out = [`${plural(findings.length, 'finding')}`, '', ...formatTable([['span', 'severity', 'category', 'rule', 'finding'], ...rows])];
    const suggestions = [...new Map(findings.map((f) => [f.rule, f.suggestion])).entries()].filter(([, s]) => s !== undefined);
    if (suggestions.length > 0) out.push('', 'suggestions:', ...suggestions.map(([rule, s]) => `  ${rule}: ${s}`));
    io.stdout.write(`${out.join('\n')}\n`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** `peerkit lint-note`: checks one note's text against the boundary and scope rules. */
export const lintNoteCommand: Command = {
  name: 'lint-note',
  summary: 'check one progress note for scope, boundary, crisis and confidentiality problems',
  usage: USAGE,
  run,
};
