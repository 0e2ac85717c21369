import fc from 'fast-check';
import { generateClinic, type ClinicRecord, type PlantedProblem } from '@peerkit/model';
import type { Encounter } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { consent, encounter, group, org, peer, plan, referral, specialist } from '../__fixtures__/records';
import { labelResource } from '../disclosure/security-labels';
import { RULES } from './catalog';
import { checkClinic, createClinicChecker } from './check-clinic';
import { checkSecurityLabels } from './check-labels';
import { findCrisisIndicators } from './note-rules';
import { DEFAULT_POLICY, parsePolicy } from './policy';

const AS_OF = '2026-03-31';
const supervisor = specialist({ id: 'spec-9', roleLevel: 'supervisor', supervisorId: undefined, supervisionLog: [], caseloadLimit: 10 });
delete (supervisor as { supervisorId?: string }).supervisorId;

/** A clean clinic: no finding. Each case changes one thing. */
function base(): ClinicRecord[] {
  return [org(), supervisor, specialist(), peer('peer-1'), plan('peer-1'), consent(), encounter('enc-1'), group(), referral()];
}

function replace(records: ClinicRecord[], ...changed: ClinicRecord[]): ClinicRecord[] {
  const out = records.filter((r) => !changed.some((c) => c.kind === r.kind && c.id === r.id));
  return [...out, ...changed];
}

const rules = (records: ClinicRecord[], asOf = AS_OF) => checkClinic(records, { asOf }).findings.map((f) => f.rule);

interface Case {
  rule: string;
  hit: () => ClinicRecord[];
  nearMiss: () => ClinicRecord[];
  exempt: () => ClinicRecord[];
  exemptName: string;
}

const expiredCps = { credential: 'cps' as const, issuer: 'Synthetic Board', number: 'CPS-1', issued: '2024-02-01', expires: '2026-02-01' };

const cases: Case[] = [
  {
    rule: 'credential.expired',
    hit: () => replace(base(), specialist({ certifications: [expiredCps] })),
    nearMiss: () => replace(base(), specialist({ certifications: [expiredCps, { ...expiredCps, number: 'CPS-2', issued: '2026-02-01', expires: '2028-02-01' }] })),
    exempt: () => replace(base(), specialist({ roleLevel: 'trainee', certifications: [expiredCps] })),
    exemptName: 'a trainee',
  },
  {
    rule: 'credential.expiring',
    hit: () => replace(base(), specialist({ certifications: [{ ...expiredCps, expires: '2026-04-20' }] })),
    nearMiss: () => replace(base(), specialist({ certifications: [{ ...expiredCps, expires: '2026-07-01' }] })),
    exempt: () => replace(base(), specialist({ certifications: [{ ...expiredCps, expires: '2026-04-20' }, { ...expiredCps, number: 'CPS-2', issued: '2026-03-01', expires: '2028-04-20' }] })),
    exemptName: 'already renewed',
  },
  {
    rule: 'credential.service-while-expired',
    hit: () => replace(base(), specialist({ certifications: [{ ...expiredCps, expires: '2026-03-01' }] })),
    nearMiss: () => replace(base(), specialist({ certifications: [{ ...expiredCps, expires: '2026-03-01' }] }), encounter('enc-1', { start: '2026-02-20T10:00:00-05:00', end: '2026-02-20T10:45:00-05:00' })),
    exempt: () => replace(base(), specialist({ roleLevel: 'trainee', certifications: [{ ...expiredCps, expires: '2026-03-01' }] })),
    exemptName: 'a trainee',
  },
  {
    rule: 'credential.ce-short',
    hit: () => replace(base(), specialist({ certifications: [{ ...expiredCps, issued: '2023-01-01', expires: '2027-01-01' }], continuingEducation: [{ date: '2025-06-01', hours: 5, topic: 'Ethics', ethics: true }] })),
    nearMiss: () => replace(base(), specialist({ certifications: [{ ...expiredCps, issued: '2023-01-01', expires: '2027-01-01' }] })),
    exempt: () => replace(base(), specialist({ continuingEducation: [{ date: '2025-06-01', hours: 5, topic: 'Ethics', ethics: true }] })),
    exemptName: 'certified for less than the window',
  },
  {
    rule: 'supervision.overdue',
    hit: () => replace(base(), specialist({ supervisionLog: [{ date: '2026-02-01', supervisorId: 'spec-9', minutes: 60, format: 'individual' }] })),
    nearMiss: () => replace(base(), specialist({ supervisionLog: [{ date: '2026-03-05', supervisorId: 'spec-9', minutes: 60, format: 'group' }] })),
    exempt: () => replace(base(), specialist({ active: false, supervisionLog: [] })),
    exemptName: 'an inactive specialist',
  },
  {
    rule: 'workload.caseload-over-limit',
    hit: () => [...base(), peer('peer-2'), peer('peer-3'), plan('peer-2'), plan('peer-3')],
    nearMiss: () => [...base(), peer('peer-2'), plan('peer-2')],
    exempt: () => [...base(), peer('peer-2'), plan('peer-2'), peer('peer-3', { enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2025-06-01', end: '2026-01-31' }] })],
    exemptName: 'a peer whose enrollment ended',
  },
  {
    rule: 'workload.outside-hours',
    hit: () => replace(base(), encounter('enc-1', { start: '2026-03-30T21:00:00-05:00', end: '2026-03-30T21:30:00-05:00' })),
    nearMiss: () => replace(base(), encounter('enc-1', { start: '2026-03-30T19:59:00-05:00', end: '2026-03-30T20:30:00-05:00' })),
    exempt: () =>
      replace(
        base(),
        encounter('enc-1', {
          start: '2026-03-28T21:00:00-05:00',
          end: '2026-03-28T21:30:00-05:00',
          activities: ['crisis-support'],
          crisis: { indicated: true, actions: ['referred-988'] },
        }),
      ),
    exemptName: 'a crisis contact',
  },
  {
    rule: 'workload.contact-too-frequent',
    hit: () => [...base(), encounter('enc-2', { start: '2026-03-30T13:00:00-05:00', end: '2026-03-30T13:30:00-05:00' }), encounter('enc-3', { start: '2026-03-30T15:00:00-05:00', end: '2026-03-30T15:30:00-05:00' })],
    nearMiss: () => [...base(), encounter('enc-2', { start: '2026-03-30T13:00:00-05:00', end: '2026-03-30T13:30:00-05:00' })],
    exempt: () => {
      const noShow = encounter('enc-3', { status: 'no-show', statusReason: 'Peer did not come', activities: [], start: '2026-03-30T15:00:00-05:00' });
      delete (noShow as { end?: string }).end;
      delete (noShow as { note?: unknown }).note;
      return [...base(), encounter('enc-2', { start: '2026-03-30T13:00:00-05:00', end: '2026-03-30T13:30:00-05:00' }), noShow];
    },
    exemptName: 'a no-show',
  },
  {
    rule: 'documentation.note-unsigned-late',
    hit: () => replace(base(), encounter('enc-1', { start: '2026-03-20T10:00:00-05:00', end: '2026-03-20T10:45:00-05:00', note: { text: 'Met peer at the library.' } })),
    nearMiss: () => replace(base(), encounter('enc-1', { note: { text: 'Met peer at the library.' } })),
    exempt: () => replace(base(), encounter('enc-1', { start: '2026-03-20T10:00:00-05:00', end: '2026-03-20T10:45:00-05:00' })),
    exemptName: 'a signed note',
  },
  {
    rule: 'documentation.no-active-plan',
    hit: () => replace(base(), plan('peer-1', { status: 'draft' })),
    nearMiss: () => base(),
    exempt: () => replace(base(), plan('peer-1', { status: 'draft' }), peer('peer-1', { enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2026-03-15' }] })),
    exemptName: 'a new enrollment in its grace period',
  },
  {
    rule: 'confidentiality.referral-without-consent',
    hit: () => {
      const r = referral();
      delete (r as { consentId?: string }).consentId;
      return replace(base(), r);
    },
    nearMiss: () => base(),
    exempt: () => {
      const r = referral({ target: { type: 'crisis-service', category: 'mobile-crisis', organizationName: 'Synthetic Mobile Crisis' }, urgency: 'stat' });
      delete (r as { consentId?: string }).consentId;
      return replace(base(), r);
    },
    exemptName: 'a crisis referral (medical emergency)',
  },
  {
    rule: 'confidentiality.part2-consent-incomplete',
    hit: () => replace(base(), consent({ rightToRevokeStatement: false })),
    nearMiss: () => base(),
    exempt: () => replace(base(), consent({ consentKind: 'hipaa-authorization', purposes: ['patient-request'], rightToRevokeStatement: false })),
    exemptName: 'a HIPAA authorization',
  },
  {
    rule: 'crisis.no-follow-up',
    hit: () => replace(base(), encounter('enc-1', { note: { text: 'Peer said they have had thoughts of self-harm this week.', signedAt: '2026-03-30T12:00:00-05:00', signedBy: 'spec-1' } })),
    nearMiss: () =>
      replace(
        base(),
        encounter('enc-1', {
          activities: ['emotional-support', 'crisis-support'],
          crisis: { indicated: true, actions: ['safety-plan-reviewed', 'supervisor-consulted'] },
          note: { text: 'Peer said they have had thoughts of self-harm this week.', signedAt: '2026-03-30T12:00:00-05:00', signedBy: 'spec-1' },
        }),
      ),
    exempt: () => replace(base(), encounter('enc-1', { note: { text: 'Peer denies thoughts of self-harm this week.', signedAt: '2026-03-30T12:00:00-05:00', signedBy: 'spec-1' } })),
    exemptName: 'a denial',
  },
];

describe('checkClinic', () => {
  it('finds nothing in the clean synthetic clinic', () => {
    expect(checkClinic(base(), { asOf: AS_OF }).findings).toEqual([]);
  });

  it.each(cases)('$rule fires on a hit', ({ rule, hit }) => {
    expect(rules(hit())).toContain(rule);
  });
  it.each(cases)('$rule stays quiet on a near-miss', ({ rule, nearMiss }) => {
    expect(rules(nearMiss())).not.toContain(rule);
  });
  it.each(cases)('$rule stays quiet for $exemptName', ({ rule, exempt }) => {
    expect(rules(exempt())).not.toContain(rule);
  });

  it('names record, line, field and span; never the text', () => {
    const records = replace(base(), encounter('enc-1', { note: { text: 'Specialist lent peer $40 for groceries.', signedAt: '2026-03-30T12:00:00-05:00', signedBy: 'spec-1' } }));
    const checker = createClinicChecker({ asOf: AS_OF });
    records.forEach((r, i) => checker.add(r, i + 1));
    const [finding] = checker.finish().findings;
    expect(finding).toMatchObject({ rule: 'dual.money', category: 'dual-relationship', recordKind: 'encounter', recordId: 'enc-1', path: ['note', 'text'], start: 11, end: 20 });
    expect(typeof finding?.line).toBe('number');
    expect(JSON.stringify(finding)).not.toMatch(/groceries|\$40/);
  });

  it('adds the note model’s warnings to the note rules by default, as lintNote does; model: false turns them off', () => {
    // Synthetic: the writer's own story takes the visit, in words only the model reads.
    const text = 'The call was mostly me going over my own court case and my kids; her budget goals got pushed to next week.';
    const records = replace(base(), encounter('enc-1', { note: { text, signedAt: '2026-03-30T12:00:00-05:00', signedBy: 'spec-1' } }));
    expect(checkClinic(records, { asOf: AS_OF }).findings.map((f) => [f.rule, f.start, f.end])).toEqual([['note-model.self-disclosure', 0, text.length]]);
    expect(checkClinic(records, { asOf: AS_OF, model: false }).findings).toEqual([]);
    // A policy that turned the category's rules off turns the model's reading of it off too.
    const off = parsePolicy({ disabledRules: ['self-disclosure.dominating'] });
    if (!off.ok) throw new Error('policy');
    expect(checkClinic(records, { asOf: AS_OF, policy: off.value }).findings).toEqual([]);
  });

  it('judges the export at its latest date of service by default', () => {
    expect(checkClinic(base()).asOf).toBe('2026-03-30');
    expect(checkClinic([org()]).asOf).toBeUndefined();
  });

  it('counts by category, rule and severity, and keeps at most maxFindings', () => {
    const records = [...base(), peer('peer-2'), peer('peer-3'), plan('peer-2'), plan('peer-3'), encounter('enc-2', { start: '2026-03-30T21:00:00-05:00', end: '2026-03-30T21:30:00-05:00' })];
    const report = checkClinic(records, { asOf: AS_OF, maxFindings: 1 });
    expect(report.counts.byCategory.workload).toBe(2);
    expect(report.counts.byRule['workload.outside-hours']).toBe(1);
    expect(report.counts.bySeverity).toEqual({ error: 0, warning: 1, information: 1 });
    expect(report.findings.length).toBe(1);
    expect(report.findingsOmitted).toBe(1);
  });

  it('applies the policy: disabled rules, severities, hours', () => {
    const night = replace(base(), encounter('enc-1', { start: '2026-03-30T21:00:00-05:00', end: '2026-03-30T21:30:00-05:00' }));
    const later = parsePolicy({ workingHours: { end: '22:00' } });
    const off = parsePolicy({ disabledRules: ['workload.outside-hours'] });
    const louder = parsePolicy({ severity: { 'workload.outside-hours': 'error' } });
    if (!later.ok || !off.ok || !louder.ok) throw new Error('policy');
    expect(checkClinic(night, { asOf: AS_OF, policy: later.value }).findings).toEqual([]);
    expect(checkClinic(night, { asOf: AS_OF, policy: off.value }).findings).toEqual([]);
    expect(checkClinic(night, { asOf: AS_OF, policy: louder.value }).findings[0]?.severity).toBe('error');
  });
});

describe('documentation.no-active-plan', () => {
  const signed = (role: 'peer' | 'guardian' | 'specialist', date: string) => ({ role, signedAt: `${date}T10:00:00-05:00`, method: 'electronic' as const });
  const flagged = (records: ClinicRecord[]) => rules(records).includes('documentation.no-active-plan');
  const reEnrolled = peer('peer-1', {
    enrollments: [
      { programId: 'prog-mh', programType: 'mental-health', start: '2024-01-10', end: '2025-05-31' },
      { programId: 'prog-sud', programType: 'substance-use', start: '2026-03-10' },
    ],
  });
  it.each([
    ['a plan that ended early, for a contact inside the period it ran', [plan('peer-1', { status: 'revoked', period: { start: '2025-06-10', end: '2026-03-31' } })], false],
    ['a plan that ended early, for a contact after its end', [plan('peer-1', { status: 'revoked', period: { start: '2025-06-10', end: '2026-03-15' } })], true],
    ['a plan that ended early with no end date (when it stopped is unknown)', [plan('peer-1', { status: 'revoked' })], true],
    ['a re-enrollment in its own grace period (grace runs from the enrollment the contact is in)', [reEnrolled, plan('peer-1', { status: 'draft' })], false],
    ['a draft plan after the grace period', [plan('peer-1', { status: 'draft' })], true],
    ['a draft signed by the peer and the specialist before the contact (the status lags)', [plan('peer-1', { status: 'draft', signatures: [signed('peer', '2026-03-02'), signed('specialist', '2026-03-02')] })], false],
    ['a draft signed by a guardian and the specialist before the contact', [plan('peer-1', { status: 'draft', signatures: [signed('guardian', '2026-03-02'), signed('specialist', '2026-03-02')] })], false],
    ['a draft signed by the specialist alone', [plan('peer-1', { status: 'draft', signatures: [signed('specialist', '2026-03-02')] })], true],
    ['a draft whose peer signature comes after the contact', [plan('peer-1', { status: 'draft', signatures: [signed('peer', '2026-03-31'), signed('specialist', '2026-03-02')] })], true],
    ['a signed draft whose period starts after the contact', [plan('peer-1', { status: 'draft', period: { start: '2026-03-31' }, signatures: [signed('peer', '2026-03-02'), signed('specialist', '2026-03-02')] })], true],
  ])('%s: flagged %s', (_name, changed, expected) => {
    expect(flagged(replace(base(), ...(changed as ClinicRecord[])))).toBe(expected);
  });
  it('counts a signed draft only with the signatures the policy names', () => {
    const records = replace(base(), plan('peer-1', { status: 'draft', signatures: [signed('peer', '2026-03-02'), signed('specialist', '2026-03-02')] }));
    const withClinician = parsePolicy({ documentation: { signedDraftCountsWith: ['peer', 'specialist', 'clinician'] } });
    const never = parsePolicy({ documentation: { signedDraftCountsWith: [] } });
    if (!withClinician.ok || !never.ok) throw new Error('policy');
    for (const policy of [withClinician.value, never.value]) {
      expect(checkClinic(records, { asOf: AS_OF, policy }).findings.map((f) => f.rule)).toContain('documentation.no-active-plan');
    }
  });
});

describe('checkSecurityLabels', () => {
  const enc: Encounter = { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' } };
  it.each([
    ['an unlabeled Part 2 resource', enc, { programType: 'substance-use' as const }, 1],
    ['a labeled Part 2 resource', labelResource(enc, { programType: 'substance-use' }), { programType: 'substance-use' as const }, 0],
    ['a mental-health program resource', enc, { programType: 'mental-health' as const }, 0],
    ['a resource with no known program', enc, undefined, 0],
  ])('%s', (_name, resource, context, count) => {
    const findings = checkSecurityLabels([resource], () => context);
    expect(findings.length).toBe(count);
    if (count) expect(findings[0]).toMatchObject({ rule: 'confidentiality.part2-unlabeled', recordId: 'Encounter/e1', path: ['meta', 'security'] });
  });
});

/** The rules that find each kind of planted problem. */
const FOUND_BY: Readonly<Record<PlantedProblem['kind'], (rule: string) => boolean>> = {
  diagnosing: (r) => r === 'scope.diagnosing',
  'medication-advice': (r) => r === 'scope.medication-advice',
  'financial-relationship': (r) => r === 'dual.money',
  'dual-relationship': (r) => r.startsWith('dual.'),
  'romantic-boundary': (r) => r.startsWith('dual.'),
  'excessive-self-disclosure': (r) => r === 'self-disclosure.dominating',
  'other-member-named': (r) => r === 'confidentiality.group-member-named',
  'crisis-mention': (r) => r === 'crisis.no-follow-up',
};
const TEXT_RULES = new Set(RULES.filter((r) => r.appliesTo.includes('note')).map((r) => r.id));

describe('checkClinic on generated clinics', () => {
  it.each([1, 7, 42, 2026])('finds every planted problem and nothing else in the note text (seed %i)', (seed) => {
    const clinic = generateClinic({ seed, peers: 150, weeks: 10 });
    const report = checkClinic(clinic.records);
    const byRecord = new Map<string, string[]>();
    for (const f of report.findings) if (f.recordId) byRecord.set(f.recordId, [...(byRecord.get(f.recordId) ?? []), f.rule]);
    const planted = new Map<string, PlantedProblem[]>();
    for (const p of clinic.planted) planted.set(p.recordId, [...(planted.get(p.recordId) ?? []), p]);
    expect(clinic.planted.length).toBeGreaterThan(10);
    for (const p of clinic.planted) {
      const found = byRecord.get(p.recordId) ?? [];
      const record = clinic.records.find((r) => r.id === p.recordId);
      const documented = record?.kind === 'encounter' && record.crisis?.indicated === true && record.crisis.actions.length > 0;
      if (p.kind === 'crisis-mention' && documented) {
        // A documented crisis is not a finding, but its indicator is still recognized in the note.
        expect(record?.kind === 'encounter' && findCrisisIndicators(record.note?.text ?? '', DEFAULT_POLICY).length).toBeGreaterThan(0);
        expect(found).not.toContain('crisis.no-follow-up');
      } else {
        expect({ planted: p, found: found.some(FOUND_BY[p.kind]) }).toEqual({ planted: p, found: true });
      }
    }
    // No note finding on a record where nothing was planted: the linter does not cry wolf.
    const falseAlarms = report.findings.filter((f) => TEXT_RULES.has(f.rule) && !planted.has(f.recordId ?? ''));
    expect(falseAlarms.map((f) => `${f.rule} ${f.recordId}`)).toEqual([]);
  });

  it('reports the generated expired certifications and incomplete Part 2 consents', () => {
    const clinic = generateClinic({ seed: 42, peers: 150, weeks: 10 });
    const report = checkClinic(clinic.records);
    expect(report.counts.byRule['credential.expired']).toBeGreaterThan(0);
    expect(report.counts.byRule['confidentiality.part2-consent-incomplete']).toBeGreaterThan(0);
    for (const category of ['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality', 'credential', 'documentation'] as const) {
      expect(report.counts.byCategory[category]).toBeGreaterThan(0);
    }
  });

  it('is deterministic', () => {
    const clinic = generateClinic({ seed: 3, peers: 60, weeks: 6 });
    expect(checkClinic(clinic.records)).toEqual(checkClinic(clinic.records));
  });

  it('puts no note text or patient value in any finding (property over generated clinics)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const clinic = generateClinic({ seed, peers: 40, weeks: 4 });
        const json = JSON.stringify(checkClinic(clinic.records).findings);
        for (const r of clinic.records) {
          const values: string[] = [];
          if (r.kind === 'encounter' && r.note) values.push(...r.note.text.split(/(?<=\.)\s+/));
          if (r.kind === 'group-session') for (const a of r.attendees) if (a.note) values.push(...a.note.text.split(/(?<=\.)\s+/));
          if (r.kind === 'peer') values.push(r.birthDate ?? '', r.patient.reference ?? '', r.patient.identifier?.value ?? '');
          if (r.kind === 'specialist') values.push(`${r.name.given[0]} ${r.name.family}`);
          if (r.kind === 'consent') values.push(...r.recipients.map((x) => x.name ?? ''));
          for (const v of values) if (v.length > 8) expect(json).not.toContain(v);
        }
      }),
      { numRuns: 8 },
    );
  });
});
