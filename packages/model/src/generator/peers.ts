/**
 * Peers: programs (Part 2 or not), ages, enrollments, coverage and their primary specialist.
 */
import type { RoleLevel } from '../codes';
import type { Identifier } from '../common';
import type { Coverage, Enrollment, Peer } from '../peer';
import type { Ctx, SpecInfo } from './context';
import { ID_BASE, OTHER_LANGUAGES, pad, PROGRAMS } from './names-and-places';

const ROLE_WEIGHT: Readonly<Record<RoleLevel, number>> = { supervisor: 0.35, trainee: 0.6, specialist: 1, senior: 1.15 };

/** The peers: Part 2 share, ages, enrollments, coverage, language and primary specialist. */
export function buildPeers(ctx: Ctx): void {
  const { rng, clock, o } = ctx;
  const days = o.weeks * 7;
  const part2 = new Uint8Array(o.peers);
  const order = rng.shuffle(Array.from({ length: o.peers }, (_, i) => i));
  const part2Count = Math.round(o.peers * o.part2Share);
  for (let i = 0; i < part2Count; i++) part2[order[i] as number] = 1;

  const weights = ctx.specs.map((s) => ROLE_WEIGHT[s.role]);
  const spanish = ctx.specs.filter((s) => s.spanish);
  const width = Math.max(5, String(o.peers).length);

  for (let i = 0; i < o.peers; i++) {
    const id = `peer-${pad(i + 1, width)}`;
    const isPart2 = part2[i] === 1;
    const program = isPart2 ? (rng.chance(0.55) ? PROGRAMS[1] : PROGRAMS[2]) : PROGRAMS[0];
    if (!program) throw new Error('generator: missing program');

    const ageRoll = rng.next();
    const age = ageRoll < 0.07 ? rng.int(16, 17) : ageRoll < 0.87 ? rng.int(18, 64) : rng.int(65, 84);
    const birthDay = clock.startDay - Math.floor(age * 365.25) - rng.int(1, 360);
    const youth = age < 18;

    const lateJoiner = rng.chance(0.15);
    const enrollStart = lateJoiner
      ? clock.startDay + rng.int(0, Math.floor(days * 0.66))
      : clock.startDay - rng.int(7, youth ? 300 : 720);
    const enrollEnd = !lateJoiner && days > 21 && rng.chance(0.05) ? clock.startDay + rng.int(14, days - 1) : undefined;

    const enrollments: Enrollment[] = [];
    if (isPart2 && !lateJoiner && !youth && rng.chance(0.2)) {
      const end = enrollStart - rng.int(1, 60);
      enrollments.push({
        programId: 'prog-mh',
        programType: 'mental-health',
        start: clock.date(end - rng.int(120, 900)),
        end: clock.date(end),
      });
    }
    const current: Enrollment = { programId: program.id, programType: program.type, start: clock.date(enrollStart) };
    if (enrollEnd !== undefined) current.end = clock.date(enrollEnd);
    enrollments.push(current);

    const langRoll = rng.next();
    const language = langRoll < 0.78 ? 'en' : langRoll < 0.9 ? 'es' : langRoll < 0.92 ? rng.pick(OTHER_LANGUAGES) : undefined;

    let spec = ctx.specs[rng.weightedIndex(weights)] as SpecInfo;
    if (language === 'es' && spanish.length > 0 && rng.chance(0.8)) spec = rng.pick(spanish);
    spec.assigned += 1;

    const coverage: Coverage[] = [];
    if (rng.chance(0.96)) {
      const payerIndex =
        age >= 65 && o.payers.includes('medicare-pin') && rng.chance(0.7)
          ? o.payers.indexOf('medicare-pin')
          : rng.weightedIndex(o.payers.map((_, k) => (k === 0 ? 55 : 45 / Math.max(1, o.payers.length - 1))));
      const first: Coverage = {
        payerId: o.payers[payerIndex] as string,
        memberId: `M${rng.digits(9)}`,
        start: clock.date(Math.min(enrollStart, clock.startDay) - rng.int(0, 400)),
      };
      coverage.push(first);
      if (o.payers.length > 1 && days > 14 && rng.chance(0.06)) {
        const switchDay = clock.startDay + rng.int(7, days - 1);
        first.end = clock.date(switchDay - 1);
        coverage.push({
          payerId: o.payers[(payerIndex + 1) % o.payers.length] as string,
          memberId: `M${rng.digits(9)}`,
          start: clock.date(switchDay),
        });
      }
    }

    const patientRoll = rng.next();
    const reference = `Patient/ehr-${pad(i + 1, width)}`;
    const identifier: Identifier = { system: `${ID_BASE}/mrn`, value: `MRN${pad(100000 + i, 7)}` };
    const record: Peer = {
      kind: 'peer',
      id,
      patient: patientRoll < 0.6 ? { reference, identifier } : patientRoll < 0.9 ? { reference } : { identifier },
      enrollments,
      coverage,
      primarySpecialistId: spec.id,
    };
    if (rng.chance(0.97)) record.birthDate = clock.date(birthDay);
    if (language !== undefined) record.preferredLanguage = language;

    ctx.peers.push({ index: i, id, youth, program, enrollStart, enrollEnd, spec, record, consents: [] });
  }
}
