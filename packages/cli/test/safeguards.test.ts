import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const V3 = 'http://terminology.hl7.org/CodeSystem';
const NPI = 'http://hl7.org/fhir/sid/us-npi';

/** A synthetic single TPO consent (PeerKit style) and a revoked one. */
const tpo = {
  resourceType: 'Consent',
  id: 'tpo-1',
  status: 'active',
  scope: { coding: [{ system: `${V3}/consentscope`, code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/123' },
  dateTime: '2026-01-10',
  policy: [{ uri: 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2' }],
  provision: {
    type: 'permit',
    period: { start: '2026-01-10' },
    purpose: ['TREAT', 'HPAYMT', 'HOPERAT'].map((code) => ({ system: `${V3}/v3-ActReason`, code })),
    securityLabel: [{ system: `${V3}/v3-ActCode`, code: 'SUD' }],
  },
};
const revoked = { ...tpo, id: 'old-1', status: 'inactive' };
const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: revoked }, { resource: tpo }] };
const request = {
  patient: { reference: 'Patient/123' },
  actor: [{ system: NPI, value: '1234567893' }],
  purposeOfUse: ['TREAT'],
  securityLabel: [{ system: `${V3}/v3-ActCode`, code: 'SUD' }],
  class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'DocumentReference' }],
  action: 'disclose',
  date: '2026-05-01',
};

function write(name: string, value: unknown): string {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
}

describe('peerkit consent', () => {
  it('prints the decision, basis, obligations and explanation', () => {
    const run = peerkit(['consent', '--consents', write('c.json', bundle), '--request', write('r.json', request), '--now', '2026-05-01'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^decision: PERMIT$/m);
    expect(run.stdout).toMatch(/^basis: Consent\/tpo-1 \(deny-overrides\)$/m);
    expect(run.stdout).toMatch(/^decided by: provision$/m);
    expect(run.stdout).toMatch(/attach-notice\s+NORDSCLCD/);
    expect(run.stdout).toMatch(/Consent\/old-1\s+not-applicable\s+status-inactive/);
  });

  it('--json prints exactly decision, obligations, basis and explanation', () => {
    const run = peerkit(['consent', '--consents', write('c.json', [tpo]), '--request', write('r.json', request), '--json', '--now', '2026-05-01'], dir);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['decision', 'obligations', 'basis', 'explanation']);
    expect(out.decision).toBe('PERMIT');
  });

  it('exits 0 for DENY and NO_CONSENT too, and adds the AuditEvent with --audit', () => {
    const research = write('r.json', { ...request, purposeOfUse: ['HRESCH'] });
    const run = peerkit(['consent', '--consents', write('c.json', [tpo]), '--request', research, '--json', '--audit', '--now', '2026-05-01'], dir);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { decision: string; audit: { resourceType: string; outcomeDesc: string } };
    expect(out.decision).toBe('NO_CONSENT');
    expect(out.audit).toMatchObject({ resourceType: 'AuditEvent', outcomeDesc: 'NO_CONSENT' });
  });

  it.each([
    ['a missing file', ['--consents', 'nope.json', '--request', 'r.json'], /^peerkit: nope\.json: no such file$/],
    ['consents that are not JSON', ['--consents', 'bad.json', '--request', 'r.json'], /^peerkit: bad\.json: is not valid JSON/],
    ['consents that are not consents', ['--consents', 'obj.json', '--request', 'r.json'], /^peerkit: obj\.json: Expected a FHIR Bundle/],
    ['an invalid consent, naming the field', ['--consents', 'status.json', '--request', 'r.json'], /^peerkit: status\.json: \[0\]\.status: Must be one of/],
    ['a request without patient', ['--consents', 'c.json', '--request', 'nopatient.json'], /^peerkit: nopatient\.json: patient: Required field is missing \[schema\.required\]$/],
    ['a missing --request', ['--consents', 'c.json'], /^peerkit: consent needs --request <file>$/],
  ])('exits 2 with one line for %s', (_name, args, message) => {
    write('c.json', [tpo]);
    write('r.json', request);
    write('bad.json', '{"resourceType": "Bundle",');
    write('obj.json', { hello: 'world' });
    write('status.json', [{ ...tpo, status: 'revoked' }]);
    write('nopatient.json', { purposeOfUse: ['TREAT'] });
    const run = peerkit(['consent', ...args], dir);
    expect(run.code).toBe(2);
    const line = args.includes('--request') ? oneLineError(run) : (run.stderr.split('\n')[0] ?? '');
    expect(line).toMatch(message);
  });
});

describe('peerkit consent on generated data', () => {
  it('decides against the Consents `peerkit fhir` maps from a generated clinic', () => {
    expect(peerkit(['generate', '--seed', '7', '--peers', '60', '--weeks', '6', '--out', 'clinic.ndjson'], dir).code).toBe(0);
    expect(peerkit(['fhir', 'clinic.ndjson', '--bundle', 'bundle.json'], dir).code).toBe(0);
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as { entry: { resource: Record<string, any> }[] };
    const date = '2026-02-10';
    const consents = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Consent');
    const tpo = consents.find(
      (r) =>
        r.status === 'active' &&
        (r.provision.purpose ?? []).length === 3 &&
        r.provision.period.start <= date &&
        (r.provision.period.end === undefined || date <= r.provision.period.end) &&
        (r.dateTime ?? '') <= date &&
        !(r.provision.actor ?? []).some((a: { reference: { identifier?: unknown } }) => a.reference.identifier !== undefined),
    );
    expect(tpo).toBeDefined();
    const ask = (extra: Record<string, unknown>) =>
      JSON.parse(
        peerkit(
          ['consent', '--consents', 'bundle.json', '--request', write('req.json', { patient: { reference: tpo?.patient.reference }, date, ...extra }), '--json', '--now', date],
          dir,
        ).stdout,
      ) as { decision: string; explanation: { reason: string }[] };
    const sud = [{ system: `${V3}/v3-ActCode`, code: 'SUD' }, { system: `${V3}/v3-ActCode`, code: '42CFRPart2' }];
    expect(ask({ actor: [{ system: NPI, value: '1234567893' }], purposeOfUse: ['TREAT'], securityLabel: sud }).decision).toBe('PERMIT');
    const research = ask({ actor: [{ system: NPI, value: '1234567893' }], purposeOfUse: ['HRESCH'], securityLabel: sud });
    expect(research.decision).not.toBe('PERMIT');
    expect(research.explanation.map((e) => e.reason)).toContain('other-patient');
  });
});

describe('peerkit check', () => {
  it('reports findings by category, rule and severity on generated data', () => {
    const gen = peerkit(['generate', '--seed', '7', '--peers', '60', '--weeks', '6', '--out', 'clinic.ndjson'], dir);
    expect(gen.code).toBe(0);
    const run = peerkit(['check', 'clinic.ndjson'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/clinic\.ndjson: [\d,]+ records checked; as of \d{4}-\d{2}-\d{2}/);
    expect(run.stdout).toMatch(/^scope-of-practice\s+\d+$/m);
    expect(run.stdout).toMatch(/^dual-relationship\s+\d+$/m);
    expect(run.stdout).toMatch(/^documentation\s+\d+$/m);
    expect(run.stdout).toMatch(/^line \d+\s+encounter enc-\d+\s+note\.text\[\d+-\d+\]\s+error\s+scope\.\w/m);
  });

  it('--json prints counts and findings; a policy turns rules off', () => {
    peerkit(['generate', '--seed', '7', '--peers', '60', '--weeks', '6', '--out', 'clinic.ndjson'], dir);
    const all = JSON.parse(peerkit(['check', 'clinic.ndjson', '--json'], dir).stdout) as { counts: { byCategory: Record<string, number> }; findings: unknown[]; exitCode: number };
    expect(all.counts.byCategory['scope-of-practice']).toBeGreaterThan(0);
    expect(all.findings.length).toBeGreaterThan(0);
    // Every scope rule off turns the category off, the note model's reading of it included.
    write('policy.json', { disabledRules: ['scope.diagnosing', 'scope.medication-advice', 'scope.clinical-language', 'scope.treatment-advice', 'scope.therapy'] });
    const some = JSON.parse(peerkit(['check', 'clinic.ndjson', '--json', '--policy', 'policy.json'], dir).stdout) as typeof all;
    expect(some.counts.byCategory['scope-of-practice']).toBe(0);
  });

  it('--json lists every finding, however few the text lists', () => {
    peerkit(['generate', '--seed', '7', '--peers', '60', '--weeks', '6', '--out', 'clinic.ndjson'], dir);
    const json = JSON.parse(peerkit(['check', 'clinic.ndjson', '--json', '--max-findings', '1'], dir).stdout) as {
      counts: { bySeverity: Record<string, number> };
      findings: unknown[];
      findingsOmitted: number;
    };
    const { error, warning, information } = json.counts.bySeverity;
    expect(json.findings.length).toBeGreaterThan(1);
    expect(json.findings).toHaveLength((error ?? 0) + (warning ?? 0) + (information ?? 0));
    expect(json.findingsOmitted).toBe(0);
    const text = peerkit(['check', 'clinic.ndjson', '--max-findings', '1'], dir).stdout;
    expect(text).toContain(`… and ${(json.findings.length - 1).toLocaleString('en-US')} more (use --json for all)`);
  });

  it.each([
    ['an invalid policy, naming the field', ['clinic.ndjson', '--policy', 'policy.json'], /^peerkit: policy\.json: workingHours\.start: Must be a time HH:MM \(24-hour\) \[schema\.invalid-format\]$/],
    ['a policy naming an unknown rule', ['clinic.ndjson', '--policy', 'rules.json'], /^peerkit: rules\.json: disabledRules\[0\]: disabledRules names a rule id that is not in the catalog \[policy\.unknown-rule\]$/],
    ['a file that is not NDJSON', ['notes.txt'], /^peerkit: notes\.txt: is not NDJSON/],
    ['a bad --as-of', ['clinic.ndjson', '--as-of', 'yesterday'], /^peerkit: --as-of must be a date YYYY-MM-DD$/],
  ])('exits 2 for %s', (_name, args, message) => {
    write('clinic.ndjson', '{"kind":"organization"}\n');
    write('policy.json', { workingHours: { start: '8am' } });
    write('rules.json', { disabledRules: ['scope.diagnosis'] });
    write('notes.txt', 'just some notes\nmore notes\n');
    const run = peerkit(['check', ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('peerkit lint-note', () => {
  const note = 'Specialist said peer probably has ADHD. Peer denies suicidal thoughts.';

  it('prints findings with span, category, rule and suggestion', () => {
    const run = peerkit(['lint-note', write('note.txt', note)], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^1 finding$/m);
    expect(run.stdout).toMatch(/^34-38\s+error\s+scope-of-practice\s+scope\.diagnosing\s/m);
    expect(run.stdout).toMatch(/^ {2}scope\.diagnosing: Describe what the peer said/m);
    expect(run.stdout).not.toContain('ADHD');
  });

  it('--json prints the findings with rule, category, severity, span and suggestion', () => {
    const run = peerkit(['lint-note', write('note.txt', note), '--json'], dir);
    const out = JSON.parse(run.stdout) as { findings: Record<string, unknown>[] };
    expect(out.findings).toHaveLength(1);
    expect(Object.keys(out.findings[0] ?? {})).toEqual(['rule', 'category', 'severity', 'start', 'end', 'suggestion']);
    expect(out.findings[0]).toMatchObject({ rule: 'scope.diagnosing', start: 34, end: 38 });
  });

  it('reads standard input with -', () => {
    const bin = join(__dirname, '..', 'bin', 'peerkit.mjs');
    const child = spawnSync(process.execPath, [bin, 'lint-note', '-', '--json'], { cwd: dir, input: 'Specialist lent peer $40 for groceries.', encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect((JSON.parse(child.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toEqual(['dual.money']);
  });

  it('exits 0 for a clean note', () => {
    const run = peerkit(['lint-note', write('clean.txt', 'Met peer at the library. Peer chose the next step.')], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('no findings\n');
  });

  it('exits 2 for a missing file or a bad --context', () => {
    expect(oneLineError(peerkit(['lint-note', 'missing.txt'], dir))).toBe('peerkit: missing.txt: no such file');
    const bad = peerkit(['lint-note', write('n.txt', note), '--context', 'family'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('peerkit: --context must be one of: one-on-one, group-attendee, group');
  });
});
