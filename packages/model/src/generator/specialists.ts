/**
 * Peer support specialists: roles, certifications, continuing education and supervision.
 */
import type { CredentialType, LivedExperienceArea, RoleLevel, Specialization } from '../codes';
import type { Identifier } from '../common';
import type { Certification, ContinuingEducation, Specialist, SupervisionEntry } from '../specialist';
import { some, type Ctx, type SpecInfo } from './context';
import { GIVEN_NAMES, ID_BASE, npi, NPI_SYSTEM, OTHER_LANGUAGES, pad, personName } from './names-and-places';

const CE_TOPICS: readonly { topic: string; ethics: boolean }[] = [
  { topic: 'Ethics and boundaries in peer support', ethics: true },
  { topic: 'Confidentiality and 42 CFR Part 2 refresher', ethics: true },
  { topic: 'Trauma-informed peer support', ethics: false },
  { topic: 'Motivational interviewing for peer workers', ethics: false },
  { topic: 'Recovery-oriented documentation', ethics: false },
  { topic: 'Safety planning and suicide prevention', ethics: false },
  { topic: 'Cultural humility', ethics: false },
  { topic: 'Harm reduction basics', ethics: false },
  { topic: 'Supporting people who use opioids', ethics: false },
  { topic: 'Youth and family peer support', ethics: false },
  { topic: 'WRAP facilitator refresher', ethics: false },
  { topic: 'Self-care for peer workers', ethics: false },
];

type Credential = Exclude<CredentialType, 'training-completed'>;

const CREDENTIALS: Readonly<Record<Credential, { prefix: string; issuer: string; state: boolean }>> = {
  cps: { prefix: 'CPS', issuer: 'Example State Certification Board', state: true },
  cprs: { prefix: 'CPRS', issuer: 'Example State Certification Board', state: true },
  'nc-prss': { prefix: 'NCPRSS', issuer: 'Example National Peer Credentialing Council', state: false },
  crps: { prefix: 'CRPS', issuer: 'Example State Certification Board', state: true },
  cfps: { prefix: 'CFPS', issuer: 'Example Family Peer Credentialing Board', state: true },
  cyps: { prefix: 'CYPS', issuer: 'Example Youth Peer Credentialing Board', state: true },
  'veteran-peer': { prefix: 'VPS', issuer: 'Example Veterans Peer Support Academy', state: false },
  'state-certified': { prefix: 'SPC', issuer: 'Example State Department of Human Services', state: true },
};

const SPECIALIZATION_CODES: readonly Specialization[] = [
  'youth', 'family', 'veterans', 'forensic', 'perinatal', 'older-adults', 'lgbtq', 'homelessness',
  'emergency-department', 'opioid-use',
];
const LIVED_CODES: readonly LivedExperienceArea[] = [
  'trauma', 'homelessness', 'incarceration', 'military', 'family-member',
];

const ROLE_PATTERN: readonly RoleLevel[] = [
  'specialist', 'trainee', 'senior', 'specialist', 'specialist', 'trainee', 'senior', 'specialist',
];

/** Decides the specialists' roles, supervisors and Spanish speakers before peers are assigned. */
export function planSpecialists(ctx: Ctx): void {
  const { rng, o } = ctx;
  const supervisorCount = Math.max(1, Math.round(o.specialists / 7));
  for (let i = 0; i < o.specialists; i++) {
    const role = i < supervisorCount ? 'supervisor' : (ROLE_PATTERN[(i - supervisorCount) % ROLE_PATTERN.length] as RoleLevel);
    const supervisor = role === 'supervisor' ? undefined : ctx.supervisors[i % supervisorCount];
    const info: SpecInfo = {
      index: i,
      id: `sp-${pad(i + 1, 4)}`,
      role,
      supervisorId: supervisor?.id,
      // At least one Spanish speaker when there are three or more specialists.
      spanish: i === 1 && o.specialists >= 3 ? true : rng.chance(0.25),
      assigned: 0,
    };
    ctx.specs.push(info);
    if (role === 'supervisor') ctx.supervisors.push(info);
  }
}

/** When a certification expires relative to the export window. */
export type ExpiryPlan = 'before' | 'during' | 'after';

function certification(
  ctx: Ctx,
  credential: Credential,
  expiry: ExpiryPlan,
): Certification {
  const { rng, clock } = ctx;
  const info = CREDENTIALS[credential];
  const cycle = rng.chance(0.7) ? 730 : 365;
  // Issued before the window where the renewal cycle allows it: never after the export was taken.
  const expires =
    expiry === 'before'
      ? clock.startDay - rng.int(20, 400)
      : expiry === 'during'
        ? rng.int(clock.startDay, clock.endDay)
        : rng.int(clock.endDay + 1, Math.max(clock.endDay + 1, clock.startDay + cycle - 1));
  const cert: Certification = {
    credential,
    issuer: info.issuer,
    number: `${info.prefix}-${rng.digits(6)}`,
    issued: clock.date(expires - cycle),
    expires: clock.date(expires),
  };
  if (info.state) cert.state = 'PA';
  return cert;
}

/** The specialist record: certifications, continuing education, supervision, identifiers, caseload. */
export function buildSpecialist(ctx: Ctx, info: SpecInfo, forcedExpiry: ExpiryPlan | undefined): Specialist {
  const { rng, clock, o } = ctx;
  const role = info.role;
  const hiredDay =
    clock.startDay -
    (role === 'supervisor'
      ? rng.int(1500, 4000)
      : role === 'senior'
        ? rng.int(900, 3000)
        : role === 'specialist'
          ? rng.int(200, 2000)
          : rng.int(14, 150));
  const name = personName(rng);
  const given = rng.chance(0.1) ? [name.given, rng.pick(GIVEN_NAMES)] : [name.given];

  const specializations = some(
    rng,
    SPECIALIZATION_CODES,
    role === 'trainee' ? 0 : 1,
    role === 'supervisor' || role === 'senior' ? 3 : 2,
  );
  const primaryLived = rng.weighted<LivedExperienceArea>(['mental-health', 'substance-use', 'co-occurring'], [40, 35, 25]);
  const lived = [primaryLived, ...some(rng, LIVED_CODES, 0, 2)];

  const certifications: Certification[] = [];
  if (role === 'trainee') {
    if (rng.chance(0.85)) {
      certifications.push({
        credential: 'training-completed',
        issuer: 'Example Peer Specialist Training Institute',
        state: 'PA',
        number: `TRN-${rng.digits(6)}`,
        issued: clock.date(hiredDay - rng.int(7, 60)),
      });
    }
  } else {
    const wanted: Credential[] = [];
    wanted.push(primaryLived === 'substance-use' ? rng.pick(['cprs', 'crps'] as const) : 'cps');
    if (primaryLived === 'co-occurring') wanted.push('cprs');
    if (specializations.includes('youth')) wanted.push('cyps');
    if (specializations.includes('family')) wanted.push('cfps');
    if (specializations.includes('veterans')) wanted.push('veteran-peer');
    if (role !== 'specialist' && rng.chance(0.3)) wanted.push('nc-prss');
    if (rng.chance(0.05)) wanted.push('state-certified');
    const credentials = [...new Set(wanted)];
    credentials.forEach((credential, i) => {
      const roll = rng.next();
      const expiry: ExpiryPlan = roll < 0.07 ? 'before' : roll < 0.17 ? 'during' : 'after';
      certifications.push(certification(ctx, credential, i === 0 ? 'after' : expiry));
    });
    if (forcedExpiry !== undefined) {
      // A lapsed credential the specialist did not renew, next to the current one.
      const extra = (['crps', 'state-certified', 'nc-prss'] as const).find((c) => !credentials.includes(c)) ?? 'state-certified';
      certifications.push(certification(ctx, extra, forcedExpiry));
    }
  }

  const continuingEducation: ContinuingEducation[] = [];
  const ceFrom = Math.max(hiredDay, clock.startDay - 700);
  const ceDays: number[] = [];
  for (let i = rng.int(role === 'trainee' ? 1 : 2, 6); i > 0; i--) ceDays.push(rng.int(ceFrom, clock.endDay));
  ceDays.sort((a, b) => a - b);
  for (const day of ceDays) {
    const topic = rng.pick(CE_TOPICS);
    continuingEducation.push({
      date: clock.date(day),
      hours: rng.pick([1, 1.5, 2, 3, 4, 6]),
      topic: topic.topic,
      ethics: topic.ethics,
    });
  }

  const supervisionLog: SupervisionEntry[] = [];
  if (info.supervisorId !== undefined) {
    const every = role === 'trainee' ? 0.9 : 0.45;
    for (let w = 0; w < o.weeks && supervisionLog.length < 2000; w++) {
      if (!rng.chance(every)) continue;
      supervisionLog.push({
        date: clock.date(clock.startDay + w * 7 + rng.int(0, 4)),
        supervisorId: info.supervisorId,
        minutes: rng.pick([30, 45, 60, 60, 90]),
        format: rng.chance(0.7) ? 'individual' : 'group',
      });
    }
  }

  const languages = ['en'];
  if (info.spanish) languages.push('es');
  if (rng.chance(0.05)) languages.push(rng.pick(OTHER_LANGUAGES));

  const identifiers: Identifier[] = [];
  if (role !== 'trainee' || rng.chance(0.2)) identifiers.push({ system: NPI_SYSTEM, value: npi(rng) });
  identifiers.push({ system: `${ID_BASE}/staff`, value: `STAFF-${pad(info.index + 1, 4)}` });
  if (role !== 'trainee' && rng.chance(0.5)) identifiers.push({ system: `${ID_BASE}/medicaid-provider`, value: rng.digits(9) });

  const base = role === 'supervisor' ? 8 : role === 'trainee' ? 10 : role === 'senior' ? 25 : 20;
  const caseloadLimit = Math.min(500, Math.max(base, info.assigned + rng.int(0, 4)));

  const specialist: Specialist = {
    kind: 'specialist',
    id: info.id,
    identifiers,
    name: { given, family: name.family, display: `${given.join(' ')} ${name.family}` },
    roleLevel: role,
    active: true,
    organizationId: 'org-riverbend',
    hired: clock.date(hiredDay),
    certifications,
    continuingEducation,
    supervisionLog,
    specializations,
    livedExperience: [...new Set(lived)],
    languages,
    caseloadLimit,
  };
  if (info.supervisorId !== undefined) specialist.supervisorId = info.supervisorId;
  return specialist;
}
