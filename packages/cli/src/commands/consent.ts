import {
  compileConsents,
  isFhirDateTime,
  parseDisclosureRequest,
  readActorResources,
  readConsents,
  type ConsentDecision,
  type Obligation,
} from '@peerkit/safeguards';
import { EXIT_CODES } from '../exit-codes';
import { invalidFileError, UsageError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { readJsonFile } from '../internal/files';
import { formatJson, formatTable } from '../internal/format';

function describeObligation(o: Obligation): string[] {
  const codes = (o.codes ?? []).map((c) => c.code).join(' ');
  const what = o.kind === 'attach-notice' ? (o.notice ?? '') : codes;
  return [`  ${o.kind}`, o.code.code, what, o.source ?? o.basis];
}

function human(decision: ConsentDecision, audit: boolean): string {
  const b = decision.basis;
  const basis =
    b.kind === 'consent'
      ? `${b.consent ?? ''} (${b.strategy})`
      : b.kind === 'part2'
        ? `42 CFR Part 2: no covering consent (${b.source ?? ''})`
        : b.kind === 'break-glass'
          ? `break-glass (${b.source ?? ''})`
          : 'no applicable consent';
  const out = [`decision: ${decision.decision}${decision.breakGlass ? ' (break-glass: flagged and audited)' : ''}`, `basis: ${basis}`];
  // The provision that decided, as a path in the consent as written (R4, R5 or Permission).
  if (b.provision !== undefined) out.push(`decided by: ${b.provision}`);
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

/** `peerkit consent`: decides a disclosure request against FHIR Consent resources. */
export const consentCommand = defineCommand({
  name: 'consent',
  summary: 'decide a disclosure request against FHIR Consents (PERMIT, DENY, NO_CONSENT)',
  description: `Decides whether a disclosure request is permitted by a patient's consents (FHIR R4 Consent,
R5 Consent, R5 Permission), and prints which consent and which provision decided.`,
  noArgHint: 'use --consents <file> and --request <file>',
  options: {
    consents: { type: 'string', value: '<file>', required: true, help: 'a FHIR Bundle or a JSON array of Consent resources' },
    request: {
      type: 'string',
      value: '<file>',
      required: true,
      help: `the request: { "patient": { "reference": "Patient/123" }, "actor": [...],
"purposeOfUse": ["TREAT"], "securityLabel": [...], "class": [...],
"action": "disclose", "date": "2026-05-01" } (only patient is required)`,
    },
    resources: {
      type: 'string',
      value: '<file>',
      help: `Organizations, Practitioners… (a Bundle or a JSON array) whose identifiers
resolve the consents' actor references (Organization/54); an actor that
cannot be resolved matches every deny and no permit`,
    },
    audit: { type: 'boolean', help: 'also print the AuditEvent of the decision (with --json: an "audit" key)' },
    now: { type: 'string', value: '<date>', help: 'the evaluation clock, a FHIR date or dateTime (default: now)' },
  },
  json: 'print { "decision", "obligations", "basis" (with "provision"), "explanation" } and nothing else',
  notes: `Conflicts resolve deny-overrides; 42 CFR Part 2 data needs a covering consent; purpose BTG is
break-glass (permitted, flagged, audited).`,
  exits: { ok: 'a decision was made (PERMIT, DENY or NO_CONSENT)', usage: 'usage error, unreadable or invalid input' },
  async run({ values, json }, io) {
    if (values.now !== undefined && !isFhirDateTime(values.now)) throw new UsageError('--now must be a date (YYYY-MM-DD) or a date-time');
    const now = values.now ?? new Date().toISOString();

    const consents = readConsents(await readJsonFile(io, values.consents, 'a Bundle or an array of Consent resources'));
    if (!consents.ok) throw invalidFileError(values.consents, consents.issues);
    const request = parseDisclosureRequest(await readJsonFile(io, values.request, 'a disclosure request'));
    if (!request.ok) throw invalidFileError(values.request, request.issues);

    let resources;
    if (values.resources !== undefined) {
      resources = readActorResources(await readJsonFile(io, values.resources, 'a Bundle or an array of resources'));
      if (!resources.ok) throw invalidFileError(values.resources, resources.issues);
    }
    const compiled = compileConsents(consents.value, { now, ...(resources === undefined ? {} : { resources: resources.value }) });
    const decision = compiled.decide(request.value);
    if (json) {
      const { decision: code, obligations, basis, explanation } = decision;
      io.stdout.write(formatJson(values.audit ? { decision: code, obligations, basis, explanation, audit: decision.audit } : { decision: code, obligations, basis, explanation }));
    } else {
      io.stdout.write(human(decision, values.audit));
    }
    return EXIT_CODES.ok;
  },
});
