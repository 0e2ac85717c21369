import { lintNote, NOTE_CONTEXTS } from '@peerkit/safeguards';
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { defineCommand } from '../internal/define-command';
import { readTextFile } from '../internal/files';
import { formatJson, formatTable, plural } from '../internal/format';
import { readPolicyFile } from '../internal/policy-file';

async function readNote(io: CliIo, file: string): Promise<string> {
  if (file !== '-') return readTextFile(io, file, 'a note');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
}

/** `peerkit lint-note`: checks one note's text against the boundary and scope rules. */
export const lintNoteCommand = defineCommand({
  name: 'lint-note',
  summary: 'check one progress note for scope, boundary, crisis and confidentiality problems',
  description: 'Checks the free text of one progress note against the boundary and scope rules.',
  details: 'Reads the note from <file>, or from standard input with -.',
  arg: { name: '<file|->', needs: 'a file, or - for standard input', oneAtATime: 'checks one note at a time' },
  options: {
    policy: { type: 'string', value: '<file>', help: 'a policy JSON (thresholds, term lists, working hours, disabled rules)' },
    context: { type: 'string', value: '<kind>', default: 'one-on-one', choices: NOTE_CONTEXTS, help: 'one-on-one (default), group-attendee or group' },
  },
  json: 'print { "findings": [ { "rule", "category", "severity", "start", "end", "suggestion" } ] }',
  notes: 'Spans are character offsets [start, end) in the text; findings never repeat the text.',
  exits: { ok: 'no error-severity finding', problems: 'at least one error-severity finding' },
  async run({ arg: file, values: { policy: policyFile, context }, json }, io) {
    const policy = await readPolicyFile(io, policyFile);
    const text = await readNote(io, file);

    const findings = policy === undefined ? lintNote(text, { context }) : lintNote(text, { context, policy });
    if (json) {
      const out = findings.map((f) => ({ rule: f.rule, category: f.category, severity: f.severity, start: f.start, end: f.end, suggestion: f.suggestion }));
      io.stdout.write(formatJson({ findings: out }));
    } else if (findings.length === 0) {
      io.stdout.write('no findings\n');
    } else {
      const rows = findings.map((f) => [`${f.start ?? '-'}-${f.end ?? '-'}`, f.severity, f.category, f.rule, f.message]);
      const out = [`${plural(findings.length, 'finding')}`, '', ...formatTable([['span', 'severity', 'category', 'rule', 'finding'], ...rows])];
      const suggestions = [...new Map(findings.map((f) => [f.rule, f.suggestion])).entries()].filter(([, s]) => s !== undefined);
      if (suggestions.length > 0) out.push('', 'suggestions:', ...suggestions.map(([rule, s]) => `  ${rule}: ${s}`));
      io.stdout.write(`${out.join('\n')}\n`);
    }
    return findings.some((f) => f.severity === 'error') ? EXIT_CODES.problems : EXIT_CODES.ok;
  },
});
