import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatPath, type Issue } from '@peerkit/model';
import { decideConsent, parseDisclosureRequest, readConsents, type ConsentDecision, type Obligation } from '@peerkit/safeguards';
import type { CliIo } from '../cli-io';
import { parseCommandArgs } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { formatTable } from '../internal/format';
import type { Command } from './command';

const USAGE = 'usage: peerkit consent --consents <file> --request <file> [--json] [--audit] [--now <date>]';

const HELP = `Decides whether a disclosure request is permitted by a patient's FHIR R4 Consent resources.

${USAGE}

Options:
  --consents <file>   a FHIR Bundle or a JSON array of Consent resources
  --request <file>    the request: { "patient": { "reference": "Patient/123" }, "actor": [...],
                      "purposeOfUse": ["TREAT"], "securityLabel": [...], "class": [...],
                      "action": "disclose", "date": "2026-05-01" } (only patient is required)
  --json              print { "decision", "obligations", "basis", "explanation" } and nothing else
  --audit             also print the AuditEvent of the decision (with --json: an "audit" key)
  --now <date>        the evaluation clock, a FHIR date or dateTime (default: now)
  -h, --help          show this help

Conflicts resolve deny-overrides; 42 CFR Part 2 data needs a covering consent; purpose BTG is
break-glass (permitted, flagged, audited).
Exit codes: 0 a decision was made (PERMIT, DENY or NO_CONSENT); 2 unreadable or invalid input.
`;

/** Reads and parses a JSON file; any failure is a one-line CliError naming the file. */
export async function readJsonFile(file: string, cwd: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not ${what}`);
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`${file}: cannot read the file (permission denied)`);
    throw new CliError(`${file}: cannot read the file (${typeof code === 'string' ? code : 'error'})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    // JSON.parse's message quotes the input: never pass it on.
    throw new CliError(`${file}: is not valid JSON (${what})`);
  }
}

/** The first error issue as one line: `file: path: message (and n more)`. */
export function invalidInput(file: string, issues: readonly Issue[]): CliError {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] ?? issues[0];
  const where = first ? formatPath(first.path) : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new CliError(`${file}: ${where ? `${where}: ` : ''}${first?.message ?? 'invalid'} [${first?.code ?? 'invalid'}]${more}`);
}

function describeObligation(o: Obligation): string[] {
  const codes = (o.codes ?? []).map((c) => c.code).join(' ');
  const what = o.kind === 'attach-notice' ? (o.notice ?? '') : codes;
  return [`  ${o.kind}`, o.code.code, what, o.source ?? o.basis];
}

function human(decision: ConsentDecision, audit: boolean): string {
  const b = decision.basis;
  const basis =
    b.kind === 'consent'
      ? `${b.consent ?? ''} ${b.provision ?? ''} (${b.strategy})`
      : b.kind === 'part2'
        ? `42 CFR Part 2: no covering consent (${b.source ?? ''})`
        : b.kind === 'break-glass'
          ? `break-glass (${b.source ?? ''})`
          : 'no applicable consent';
  const out = [`decision: ${decision.decision}${decision.breakGlass ? ' (break-glass: flagged and audited)' : ''}`, `basis: ${basis}`];
  out.push('', decision.obligations.length === 0 ? 'obligations: none' : 'obligations:');
  if (decision.obligations.length > 0) out.push(...formatTable(decision.obligations.map(describeObligation)));
  // Consents of other patients say nothing about this request: counted, not listed (--json lists them).
  const others = decision.explanation.filter((e) => e.reason === 'other-patient').length;
  const shown = decision.explanation.filter((e) => e.reason !== 'other-patient');
  out.push('', 'explanation:');
  out.push(...formatTable(shown.map((e) => [`  ${e.consent}`, e.role, e.reason, e.message])));
  if (others > 0) out.push(`  (${others} ${others === 1 ? 'consent' : 'consents'} for other patients not shown)`);
  if (audit) out.push('', 'audit:', JSON.stringify(decision.audit, null, 2));
  return `${out.join('\n')}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      consents: { type: 'string' },
      request: { type: 'string' },
      json: { type: 'boolean' },
      audit: { type: 'boolean' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError('consent takes its files as --consents and --request', 2, USAGE);
  if (values.consents === undefined) throw new CliError('consent needs --consents <file>', 2, USAGE);
  if (values.request === undefined) throw new CliError('consent needs --request <file>', 2, USAGE);
  const now = values.now ?? new Date().toISOString();
  if (values.now !== undefined && !/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(values.now)) {
    throw new CliError('--now must be a date (YYYY-MM-DD) or a date-time', 2, USAGE);
  }

  const consents = readConsents(await readJsonFile(values.consents, io.cwd, 'a Bundle or an array of Consent resources'));
  if (!consents.ok) throw invalidInput(values.consents, consents.issues);
  const request = parseDisclosureRequest(await readJsonFile(values.request, io.cwd, 'a disclosure request'));
  if (!request.ok) throw invalidInput(values.request, request.issues);

  const decision = decideConsent(consents.value, request.value, { now });
  if (values.json) {
    const { decision: code, obligations, basis, explanation } = decision;
    const result = values.audit ? { decision: code, obligations, basis, explanation, audit: decision.audit } : { decision: code, obligations, basis, explanation };
    io.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    io.stdout.write(human(decision, values.audit === true));
  }
  return 0;
}

/** `peerkit consent`: decides a disclosure request against FHIR Consent resources. */
export const consentCommand: Command = {
  name: 'consent',
  summary: 'decide a disclosure request against FHIR Consents (PERMIT, DENY, NO_CONSENT)',
  usage: USAGE,
  run,
};
