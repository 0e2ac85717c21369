import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClinicExportReport, parseClinicExport, type ClinicExportReport } from '../clinic-export';
import { codesOf, CONSENT_KINDS, CONSENT_STATUSES, ENCOUNTER_STATUSES, MODALITIES, REFERRAL_TARGET_TYPES } from '../codes';
import type { Consent } from '../consent';
import type { PeerEncounter } from '../encounter';
import type { GroupSession } from '../group-session';
import type { Peer } from '../peer';
import { parseRecord, type ClinicRecord } from '../record';
import type { RecoveryPlan } from '../recovery-plan';
import type { Referral } from '../referral';
import type { Specialist } from '../specialist';
import { clinicToNdjson, generateClinic } from './generate-clinic';
import type { GenerateClinicOptions, GeneratedClinic, InvalidSample, PlantedProblem } from './options';

const DEFAULT_WINDOW_END = '2026-03-29'; // 2026-01-05 plus 12 weeks, last day

/** Wording each planted problem kind puts in a note; ordinary notes never contain it. */
const PROBLEM_PATTERNS: Record<PlantedProblem['kind'], RegExp> = {
  'crisis-mention': /suicid|self-harm|ending their life|hurting themselves/i,
  diagnosing: /diagnos|probably has|sound like bipolar|obvious they have/i,
  'medication-advice': /\bdose\b|antidepressant|medication|prescriber/i,
  'dual-relationship': /side business|specialist's cousin|poker game/i,
  'financial-relationship': /\blent\b|\$\d|borrow|for cash/i,
  'excessive-self-disclosure': /spent most of the (?:session|group)|talked at length/i,
  'romantic-boundary': /personal numbers|dinner|attractive|\bdate\b/i,
  'other-member-named': /group member [A-Z][a-z]+ [A-Z][a-z]+/,
};
const PROBLEM_KINDS = Object.keys(PROBLEM_PATTERNS) as PlantedProblem['kind'][];

function report(text: string): ClinicExportReport {
  const builder = createClinicExportReport({ maxIssues: 1_000_000 });
  for (const entry of parseClinicExport(text)) builder.add(entry);
  return builder.finish();
}

function ofKind<K extends ClinicRecord['kind']>(clinic: GeneratedClinic, kind: K): Extract<ClinicRecord, { kind: K }>[] {
  return clinic.records.filter((r): r is Extract<ClinicRecord, { kind: K }> => r.kind === kind);
}

function notesOf(record: ClinicRecord): string[] {
  if (record.kind === 'encounter') return record.note ? [record.note.text] : [];
  if (record.kind !== 'group-session') return [];
  const texts = record.attendees.flatMap((a) => (a.note ? [a.note.text] : []));
  if (record.groupNote) texts.push(record.groupNote.text);
  return texts;
}

/** 1-based line of each invalid sample in `clinicToNdjson(clinic)`. */
function sampleLines(clinic: GeneratedClinic): Map<InvalidSample, number> {
  const last = clinic.records.length - 1;
  const ordered = clinic.invalid
    .map((sample, i) => ({ sample, i, at: Math.max(-1, Math.min(last, sample.afterIndex)) }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  return new Map(ordered.map(({ sample, at }, k) => [sample, at + 1 + k + 1]));
}

const minutes = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 60_000;

describe('generateClinic', () => {
  const clinic = generateClinic({ seed: 2026 });

  describe('determinism', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('returns deep-equal records and identical NDJSON for the same seed and options', () => {
      const options: GenerateClinicOptions = { seed: 11, peers: 40, weeks: 6, invalid: 20 };
      const a = generateClinic(options);
      const b = generateClinic(options);
      expect(b).toEqual(a);
      expect(clinicToNdjson(b)).toBe(clinicToNdjson(a));
    });

    it('differs between seeds', () => {
      expect(clinicToNdjson(generateClinic({ seed: 1 }))).not.toBe(clinicToNdjson(generateClinic({ seed: 2 })));
      expect(clinicToNdjson(generateClinic({ seed: -1 }))).not.toBe(clinicToNdjson(generateClinic({ seed: 2 ** 32 - 1 })));
    });

    it('keeps the valid records the same whatever the number of invalid lines', () => {
      expect(generateClinic({ seed: 5, peers: 30, weeks: 4, invalid: 25 }).records).toEqual(
        generateClinic({ seed: 5, peers: 30, weeks: 4 }).records,
      );
    });

    it('uses neither Math.random nor the clock', () => {
      vi.spyOn(Math, 'random').mockImplementation(() => {
        throw new Error('Math.random called');
      });
      vi.spyOn(Date, 'now').mockImplementation(() => {
        throw new Error('Date.now called');
      });
      expect(() => generateClinic({ seed: 3, peers: 20, weeks: 3, invalid: 14 })).not.toThrow();
    });

    it('does not mutate its options', () => {
      const payers = ['medicaid-generic'];
      const options: GenerateClinicOptions = { seed: 8, peers: 10, weeks: 2, payers };
      const copy = structuredClone(options);
      generateClinic(options);
      expect(options).toEqual(copy);
    });
  });

  describe('validity', () => {
    it('produces only records that parseRecord accepts unchanged, for any seed and small size', () => {
      fc.assert(
        fc.property(
          fc.maxSafeInteger(),
          fc.integer({ min: 0, max: 25 }),
          fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
          fc.integer({ min: 1, max: 5 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (seed, peers, specialists, weeks, part2Share, noShowRate) => {
            const options: GenerateClinicOptions = { seed, peers, weeks, part2Share, noShowRate };
            if (specialists !== undefined) options.specialists = specialists;
            for (const record of generateClinic(options).records) {
              const result = parseRecord(record);
              if (!result.ok) expect.fail(`${record.kind} ${record.id}: ${result.issues.map((i) => i.code).join(', ')}`);
              expect(result.value).toEqual(record);
            }
          },
        ),
        { numRuns: 30 },
      );
    });

    it('reads back through parseClinicExport with no invalid line and no unresolved reference', () => {
      const summary = report(clinicToNdjson(clinic));
      expect(summary.invalid).toBe(0);
      expect(summary.valid).toBe(clinic.records.length);
      expect(summary.lines).toBe(clinic.records.length);
      expect(summary.issueCounts['reference.unresolved']).toBeUndefined();
      expect(summary.issues.filter((i) => i.severity === 'error')).toEqual([]);
    });

    it('keeps every reference resolvable for any seed and small size', () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 4 }), (seed, peers, weeks) => {
          const generated = generateClinic({ seed, peers, weeks });
          const summary = report(clinicToNdjson(generated));
          expect(summary.issueCounts['reference.unresolved']).toBeUndefined();
          expect(summary.valid).toBe(generated.records.length);
        }),
        { numRuns: 15 },
      );
    });

    it('orders records by kind, then encounters, group sessions and referrals by time', () => {
      const rank: Record<ClinicRecord['kind'], number> = {
        organization: 0,
        specialist: 1,
        peer: 2,
        'recovery-plan': 3,
        consent: 4,
        'service-consent': 4,
        encounter: 5,
        'group-session': 5,
        referral: 5,
      };
      let lastRank = 0;
      let lastTime = Number.NEGATIVE_INFINITY;
      for (const record of clinic.records) {
        expect(rank[record.kind]).toBeGreaterThanOrEqual(lastRank);
        lastRank = rank[record.kind];
        const at =
          record.kind === 'referral'
            ? record.created
            : record.kind === 'encounter' || record.kind === 'group-session'
              ? record.start
              : undefined;
        if (at === undefined) continue;
        expect(Date.parse(at)).toBeGreaterThanOrEqual(lastTime);
        lastTime = Date.parse(at);
      }
      expect(clinic.records[0]?.kind).toBe('organization');
    });
  });

  describe('invalid samples', () => {
    const withInvalid = generateClinic({ seed: 77, peers: 25, weeks: 3, invalid: 42 });
    const text = clinicToNdjson(withInvalid);
    const lines = text.split('\n');
    const summary = report(text);
    const linesOf = sampleLines(withInvalid);

    it('writes every invalid sample at its line, after its afterIndex record', () => {
      expect(withInvalid.invalid).toHaveLength(42);
      expect(lines).toHaveLength(withInvalid.records.length + 42 + 1);
      for (const [sample, line] of linesOf) expect(lines[line - 1]).toBe(sample.text);
    });

    const oneOfEach = generateClinic({ seed: 77, peers: 25, weeks: 3, invalid: 14 });
    const oneOfEachSummary = report(clinicToNdjson(oneOfEach));
    const oneOfEachLines = sampleLines(oneOfEach);

    it.each(oneOfEach.invalid.map((s) => [s.description, s] as const))(
      'reports the expected codes for: %s',
      (_description, sample) => {
        const line = oneOfEachLines.get(sample);
        const codes = oneOfEachSummary.issues.filter((i) => i.line === line).map((i) => i.code);
        for (const code of sample.expectedCodes) expect(codes).toContain(code);
      },
    );

    it('reports each expected code at the right line, and no other error there', () => {
      for (const [sample, line] of linesOf) {
        const errors = summary.issues.filter((i) => i.line === line && i.severity === 'error').map((i) => i.code);
        expect(sample.expectedCodes.length).toBeGreaterThan(0);
        for (const code of sample.expectedCodes) expect(errors, sample.description).toContain(code);
        for (const code of errors) expect(sample.expectedCodes, sample.description).toContain(code);
      }
    });

    it('counts every generated record valid and every planted line invalid', () => {
      expect(summary.valid).toBe(withInvalid.records.length);
      expect(summary.invalid).toBe(withInvalid.invalid.length);
      expect(summary.issueCounts['reference.unresolved']).toBeUndefined();
    });

    it('cycles through every kind of breakage', () => {
      const codes = new Set(withInvalid.invalid.flatMap((s) => s.expectedCodes));
      expect([...codes].sort()).toEqual(
        [
          'record.invalid-json',
          'record.not-object',
          'record.missing-kind',
          'record.unknown-kind',
          'schema.required',
          'schema.invalid-type',
          'schema.invalid-value',
          'schema.invalid-format',
          'schema.unknown-field',
          'encounter.end-before-start',
          'group.minutes-exceed-session',
          'consent.expiry-before-signature',
          'consent.revocation-missing',
          'record.duplicate-id',
        ].sort(),
      );
    });

    it('fails parseRecord on its own for every sample but the duplicate id', () => {
      for (const sample of withInvalid.invalid) {
        let value: unknown;
        try {
          value = JSON.parse(sample.text);
        } catch {
          continue;
        }
        const ok = parseRecord(value).ok;
        expect(ok, sample.description).toBe(sample.expectedCodes.includes('record.duplicate-id'));
      }
    });

    it('plants none by default', () => {
      expect(clinic.invalid).toEqual([]);
    });
  });

  describe('variety', () => {
    const encounters = ofKind(clinic, 'encounter');
    const groups = ofKind(clinic, 'group-session');
    const consents = ofKind(clinic, 'consent');
    const referrals = ofKind(clinic, 'referral');
    const specialists = ofKind(clinic, 'specialist');
    const peers = ofKind(clinic, 'peer');
    const plans = ofKind(clinic, 'recovery-plan');

    it('uses the default sizes', () => {
      expect(ofKind(clinic, 'organization')).toHaveLength(1);
      expect(peers).toHaveLength(50);
      expect(specialists).toHaveLength(5);
      // One plan per peer, plus the plan before or after it for a long-enrolled peer (a renewal, a successor).
      expect(new Set(plans.map((p) => p.peerId)).size).toBe(50);
      expect(plans.filter((p) => !/-(?:prev|next)$/.test(p.id))).toHaveLength(50);
      const perPeerWeek = encounters.length / (50 * 12);
      expect(perPeerWeek).toBeGreaterThan(0.5);
      expect(perPeerWeek).toBeLessThan(1.5);
      expect(groups.length).toBeGreaterThanOrEqual(12);
      expect(groups.length).toBeLessThanOrEqual(36);
    });

    it('puts every contact of a peer enrolled before the window under a plan in force (a draft renews an earlier plan; a completed plan has a successor)', () => {
      const windowStart = encounters.map((e) => e.start.slice(0, 10)).sort()[0] ?? '';
      const established = new Set(peers.filter((p) => p.enrollments.every((e) => e.start < windowStart && e.end === undefined)).map((p) => p.id));
      const byId = new Map(plans.map((p) => [p.id, p]));
      const contacts = encounters.filter((e) => e.status === 'completed' && established.has(e.peerId));
      expect(contacts.length).toBeGreaterThan(100);
      for (const e of contacts) {
        const plan = byId.get(e.planId ?? '');
        const date = e.start.slice(0, 10);
        expect(plan && plan.status !== 'draft' && plan.period.start <= date && (plan.period.end === undefined || date <= plan.period.end)).toBe(true);
      }
    });

    it('has three programs, two of them Part 2, and an NPI', () => {
      const [org] = ofKind(clinic, 'organization');
      expect(org?.programs.map((p) => [p.type, p.part2])).toEqual([
        ['mental-health', false],
        ['substance-use', true],
        ['co-occurring', true],
      ]);
      const npi = org?.identifiers.find((i) => i.system === 'http://hl7.org/fhir/sid/us-npi');
      expect(npi?.value).toMatch(/^\d{10}$/);
    });

    it('covers every modality and encounter status', () => {
      expect(new Set(encounters.map((e) => e.modality))).toEqual(new Set(codesOf(MODALITIES)));
      expect(new Set(encounters.map((e) => e.status))).toEqual(new Set(codesOf(ENCOUNTER_STATUSES)));
    });

    it('keeps encounter times, minutes and statuses consistent', () => {
      for (const e of encounters) {
        if (e.status === 'completed') {
          const duration = e.durationMinutes ?? minutes(e.start, e.end as string);
          expect(duration).toBeGreaterThanOrEqual(10);
          expect(duration).toBeLessThanOrEqual(90);
          if (e.end !== undefined) expect(minutes(e.start, e.end)).toBeGreaterThanOrEqual(duration);
          expect(e.note?.text).toBeTruthy();
        } else {
          expect(e.statusReason).toBeTruthy();
          expect(e.durationMinutes).toBeUndefined();
          expect(e.activities).toEqual([]);
        }
        if (e.setting === 'street-outreach' || e.setting === 'mobile-unit') expect(e.modality).toBe('in-person');
      }
    });

    it("addresses only the peer's own plan goals", () => {
      const plansById = new Map(plans.map((p) => [p.id, p]));
      let withGoals = 0;
      for (const e of encounters) {
        if (e.goalIds.length === 0) continue;
        withGoals += 1;
        const plan = plansById.get(e.planId as string) as RecoveryPlan;
        expect(plan.peerId).toBe(e.peerId);
        for (const id of e.goalIds) expect(plan.goals.map((g) => g.id)).toContain(id);
      }
      expect(withGoals).toBeGreaterThan(encounters.length / 4);
    });

    it('co-signs most trainee notes by their supervisor, not all', () => {
      const trainees = new Map(specialists.filter((s) => s.roleLevel === 'trainee').map((s) => [s.id, s]));
      const signed = encounters.filter((e) => trainees.has(e.specialistId) && e.note?.signedAt !== undefined);
      const cosigned = signed.filter((e) => e.note?.cosignedBy === trainees.get(e.specialistId)?.supervisorId);
      expect(signed.length).toBeGreaterThan(0);
      expect(cosigned.length / signed.length).toBeGreaterThan(0.7);
      expect(cosigned.length).toBeLessThan(signed.length);
    });

    it('records crisis actions and links crisis referrals', () => {
      const crises = encounters.filter((e) => e.crisis?.indicated);
      expect(crises.length).toBeGreaterThan(0);
      for (const e of crises) {
        expect(e.crisis?.actions.length).toBeGreaterThan(0);
        expect(e.activities).toContain('crisis-support');
      }
      const crisisReferrals = referrals.filter((r) => r.target.type === 'crisis-service');
      for (const r of crisisReferrals) expect(['urgent', 'stat', 'asap']).toContain(r.urgency);
      const byId = new Map(referrals.map((r) => [r.id, r]));
      for (const e of encounters) for (const id of e.referralIds) expect(byId.get(id)?.encounterId).toBe(e.id);
    });

    it('covers every consent kind and status, with expired, revoked, draft and incomplete Part 2 consents', () => {
      expect(new Set(consents.map((c) => c.consentKind))).toEqual(new Set(codesOf(CONSENT_KINDS)));
      expect(new Set(consents.map((c) => c.status))).toEqual(new Set(codesOf(CONSENT_STATUSES)));
      const expired = consents.filter(
        (c) => c.status === 'active' && c.expiration?.date !== undefined && c.expiration.date < DEFAULT_WINDOW_END,
      );
      expect(expired.length).toBeGreaterThan(0);
      for (const c of consents.filter((x) => x.status === 'revoked')) expect(c.revocation).toBeDefined();
      for (const c of consents.filter((x) => x.status === 'draft')) expect(c.signature).toBeUndefined();
      const part2 = consents.filter((c: Consent) => c.consentKind !== 'hipaa-authorization');
      const incomplete = (c: Consent): boolean =>
        !c.rightToRevokeStatement || c.expiration === undefined || c.purposes.length === 0 || !c.discloser;
      expect(part2.some(incomplete)).toBe(true);
    });

    it('includes certifications that expired before or during the window', () => {
      const expiredCerts = specialists
        .flatMap((s) => s.certifications)
        .filter((c) => c.expires !== undefined && c.expires <= DEFAULT_WINDOW_END);
      expect(expiredCerts.length).toBeGreaterThan(0);
      expect(new Set(specialists.flatMap((s) => s.certifications.map((c) => c.credential))).size).toBeGreaterThan(2);
    });

    it('includes a lapsed certification in any clinic, and issues none after the window', () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), (seed, count, weeks) => {
          const small = ofKind(generateClinic({ seed, peers: 5, specialists: count, weeks }), 'specialist');
          const certs = small.flatMap((s) => s.certifications);
          const windowEnd = new Date(Date.parse('2026-01-05') + (weeks * 7 - 1) * 86_400_000).toISOString().slice(0, 10);
          expect(certs.some((c) => c.expires !== undefined && c.expires <= windowEnd)).toBe(true);
          for (const c of certs) expect(c.issued <= windowEnd).toBe(true);
        }),
        { numRuns: 25 },
      );
    });

    it('has a supervisor for everyone else, with supervision during the window', () => {
      const supervisors = new Set(specialists.filter((s) => s.roleLevel === 'supervisor').map((s) => s.id));
      expect(supervisors.size).toBeGreaterThan(0);
      for (const s of specialists.filter((x: Specialist) => x.roleLevel !== 'supervisor')) {
        expect(supervisors.has(s.supervisorId as string)).toBe(true);
        for (const entry of s.supervisionLog) {
          expect(entry.date >= '2026-01-05' && entry.date <= DEFAULT_WINDOW_END).toBe(true);
          expect(entry.supervisorId).toBe(s.supervisorId);
        }
      }
      expect(new Set(specialists.map((s) => s.roleLevel)).size).toBe(4);
    });

    it('puts roughly part2Share of peers in Part 2 programs', () => {
      const isPart2 = (p: Peer): boolean => p.enrollments.some((e) => e.programType !== 'mental-health');
      expect(peers.filter(isPart2).length / peers.length).toBeCloseTo(0.35, 1);
      const half = ofKind(generateClinic({ seed: 9, peers: 400, weeks: 1, part2Share: 0.5 }), 'peer');
      expect(Math.abs(half.filter(isPart2).length / half.length - 0.5)).toBeLessThanOrEqual(0.02);
      expect(ofKind(generateClinic({ seed: 9, peers: 30, weeks: 1, part2Share: 0 }), 'peer').some(isPart2)).toBe(false);
    });

    it('mixes youth, adults and older adults', () => {
      const big = ofKind(generateClinic({ seed: 4, peers: 300, weeks: 1 }), 'peer');
      const yearsAtStart = (birthDate: string): number =>
        (Date.parse('2026-01-05') - Date.parse(birthDate)) / (365.25 * 86_400_000);
      const ages = big.flatMap((p) => (p.birthDate ? [yearsAtStart(p.birthDate)] : []));
      expect(ages.some((a) => a >= 16 && a < 18)).toBe(true);
      expect(ages.some((a) => a >= 18 && a < 65)).toBe(true);
      expect(ages.some((a) => a >= 65)).toBe(true);
      expect(Math.min(...ages)).toBeGreaterThanOrEqual(16);
    });

    it('uses only the payers it is given', () => {
      const custom = ofKind(generateClinic({ seed: 4, peers: 60, weeks: 2, payers: ['payer-a', 'payer-b'] }), 'peer');
      const payers = new Set(custom.flatMap((p) => p.coverage.map((c) => c.payerId)));
      expect(payers).toEqual(new Set(['payer-a', 'payer-b']));
    });

    it('keeps group attendees within the session length and 1 to 14 members', () => {
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups as GroupSession[]) {
        const length = minutes(g.start, g.end);
        expect(g.attendees.length).toBeGreaterThanOrEqual(1);
        expect(g.attendees.length).toBeLessThanOrEqual(14);
        expect(g.facilitatorIds.length).toBeLessThanOrEqual(2);
        for (const a of g.attendees) expect(a.minutesPresent ?? 0).toBeLessThanOrEqual(length);
        for (const a of g.attendees) if (a.note?.signedBy !== undefined) expect(g.facilitatorIds).toContain(a.note.signedBy);
      }
      expect(groups.filter((g) => g.attendees.length >= 3).length / groups.length).toBeGreaterThan(0.8);
      const there = (a: GroupSession['attendees'][number]): boolean => a.attendance !== 'absent' && a.attendance !== 'excused';
      for (const g of groups.filter((x) => x.status === 'completed')) expect(g.attendees.some(there)).toBe(true);
      for (const g of groups.filter((x) => x.status === 'cancelled')) expect(g.attendees.some(there)).toBe(false);
    });

    it('covers referral target types and closes closed referrals', () => {
      expect(new Set(referrals.map((r) => r.target.type))).toEqual(new Set(codesOf(REFERRAL_TARGET_TYPES)));
      expect(new Set(referrals.map((r) => r.status)).size).toBeGreaterThanOrEqual(5);
      for (const r of referrals as Referral[]) {
        const closed = ['completed', 'failed', 'cancelled', 'rejected'].includes(r.status);
        expect(r.closedAt !== undefined).toBe(closed);
        if (r.closedAt !== undefined) expect(r.closedAt <= `${DEFAULT_WINDOW_END}T23:59:59-05:00`).toBe(true);
      }
      expect(referrals.some((r) => r.consentId !== undefined && r.goalId !== undefined)).toBe(true);
    });

    it('plants every kind of problem in a few percent of notes, findable in the note text', () => {
      const big = generateClinic({ seed: 2026, peers: 120, weeks: 26 });
      expect(new Set(big.planted.map((p) => p.kind))).toEqual(new Set(PROBLEM_KINDS));
      const byId = new Map(big.records.map((r) => [`${r.kind}|${r.id}`, r]));
      for (const p of big.planted) {
        const record = byId.get(`${p.recordKind}|${p.recordId}`);
        expect(record, p.recordId).toBeDefined();
        const found = notesOf(record as ClinicRecord).some((t) => PROBLEM_PATTERNS[p.kind].test(t));
        expect(found, `${p.kind} in ${p.recordId}`).toBe(true);
      }
      const encounterNotes = ofKind(big, 'encounter').filter((e: PeerEncounter) => e.status === 'completed').length;
      const share = big.planted.filter((p) => p.recordKind === 'encounter').length / encounterNotes;
      expect(share).toBeGreaterThan(0.02);
      expect(share).toBeLessThan(0.07);
    });

    it('plants nothing it does not list: no other note matches a problem wording', () => {
      const big = generateClinic({ seed: 31, peers: 120, weeks: 26 });
      const listed = new Set(big.planted.map((p) => `${p.recordId}|${p.kind}`));
      for (const record of big.records) {
        for (const text of notesOf(record)) {
          for (const kind of PROBLEM_KINDS) {
            if (!PROBLEM_PATTERNS[kind].test(text)) continue;
            expect(listed.has(`${record.id}|${kind}`), `${kind} in ${record.id}`).toBe(true);
          }
        }
      }
    });

    it('uses only fictional phone numbers and example identifier systems', () => {
      const check = (value: unknown, key: string): void => {
        if (Array.isArray(value)) value.forEach((v) => check(v, key));
        else if (value !== null && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) check(v, k);
        } else if (key === 'phone') expect(value).toMatch(/^(?:215-555-01\d\d|988)$/);
        else if (key === 'system') {
          expect(String(value)).toMatch(/^(?:https:\/\/example\.org\/|http:\/\/hl7\.org\/fhir\/sid\/us-npi$)/);
        }
        else if (key === 'reference') expect(value).toMatch(/^Patient\/ehr-/);
      };
      check(clinic.records, '');
    });
  });

  describe('options', () => {
    it.each([
      [{ seed: 1.5 }, 'seed'],
      [{ seed: Number.NaN }, 'seed'],
      [{ seed: 2 ** 60 }, 'seed'],
      [{ seed: 1, peers: -1 }, 'peers'],
      [{ seed: 1, peers: 2.5 }, 'peers'],
      [{ seed: 1, specialists: 0 }, 'specialists'],
      [{ seed: 1, weeks: -1 }, 'weeks'],
      [{ seed: 1, weeks: 0 }, 'weeks'],
      [{ seed: 1, start: '2026-02-30' }, 'start'],
      [{ seed: 1, start: '05/01/2026' }, 'start'],
      [{ seed: 1, part2Share: 1.2 }, 'part2Share'],
      [{ seed: 1, noShowRate: -0.1 }, 'noShowRate'],
      [{ seed: 1, invalid: -3 }, 'invalid'],
      [{ seed: 1, payers: [] }, 'payers'],
      [{ seed: 1, payers: [''] }, 'payers'],
    ] satisfies [GenerateClinicOptions, string][])('throws a RangeError naming the option for %o', (options, name) => {
      expect(() => generateClinic(options)).toThrow(RangeError);
      expect(() => generateClinic(options)).toThrow(new RegExp(`\\b${name}\\b`));
    });

    it('starts the window at the start date', () => {
      const moved = generateClinic({ seed: 3, peers: 10, weeks: 2, start: '2027-06-01' });
      const starts = ofKind(moved, 'encounter').map((e) => e.start.slice(0, 10));
      expect(starts.every((d) => d >= '2027-06-01' && d <= '2027-06-14')).toBe(true);
      expect(starts.length).toBeGreaterThan(0);
    });

    it('generates a clinic without peers', () => {
      const empty = generateClinic({ seed: 1, peers: 0, specialists: 1, invalid: 14 });
      expect(empty.records.map((r) => r.kind)).toEqual(['organization', 'specialist']);
      const summary = report(clinicToNdjson(empty));
      expect(summary.valid).toBe(2);
      expect(summary.invalid).toBe(14);
    });
  });
});

describe('clinicToNdjson', () => {
  it('ends every line with a newline and writes one line per record and sample', () => {
    const generated = generateClinic({ seed: 12, peers: 8, weeks: 1, invalid: 3 });
    const text = clinicToNdjson(generated);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(generated.records.length + 3 + 1);
  });

  it('puts a sample with afterIndex -1 before the first record', () => {
    const generated = generateClinic({ seed: 12, peers: 2, weeks: 1 });
    const text = clinicToNdjson({
      ...generated,
      invalid: [{ afterIndex: -1, text: 'not json', expectedCodes: ['record.invalid-json'], description: 'first line' }],
    });
    expect(text.split('\n')[0]).toBe('not json');
    expect(JSON.parse(text.split('\n')[1] as string)).toEqual(generated.records[0]);
  });

  it('writes nothing for an empty clinic', () => {
    expect(clinicToNdjson({ records: [], invalid: [], planted: [] })).toBe('');
  });
});
