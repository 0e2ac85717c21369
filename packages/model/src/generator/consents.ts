/**
 * Consents: Part 2 single TPO consents, Part 2 disclosures and HIPAA authorizations, in every state.
 */
import type { ConsentKind, ConsentPurpose, ConsentStatus, DataCategory, SignatureMethod } from '../codes';
import type { Consent, Recipient } from '../consent';
import type { Random } from '../internal/random';
import type { ClinicRecord } from '../record';
import { DAY } from './clock';
import { some, type Ctx, type PeerInfo } from './context';
import { ID_BASE, ORG_NAME, pad, personName } from './names-and-places';

const CONSENT_INFO: Readonly<Record<ConsentKind, readonly string[]>> = {
  'part2-disclosure': [
    'Substance use disorder treatment information: attendance, progress notes and recovery plan',
    'Dates of service and a summary of participation in recovery supports',
  ],
  'part2-tpo': ['All substance use disorder records of the program, for treatment, payment and health care operations'],
  'hipaa-authorization': [
    'Peer support progress notes and recovery plan',
    'Attendance and dates of service only',
  ],
};
/** A lower-case id from a name (no random draw, so the generated sequence does not change). */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** A named partner organization with an identifier a consent engine can match on. */
function namedOrganization(name: string): Recipient {
  return { type: 'organization', name, identifier: { system: `${ID_BASE}/partner`, value: slug(name) } };
}

/**
 * A named individual recipient with an identifier a consent engine can match on; the description is
 * drawn from a list, or given.
 */
function namedIndividual(rng: Random, description: string | readonly string[]): Recipient {
  const n = personName(rng);
  const name = `${n.given} ${n.family}`;
  return {
    type: 'individual',
    name,
    identifier: { system: `${ID_BASE}/contact`, value: slug(name) },
    description: typeof description === 'string' ? description : rng.pick(description),
  };
}

const PARTNER_ORGS = [
  'Example Community Health Center',
  'Example County Housing Authority',
  'Example Behavioral Health Clinic',
  'Example Probation Office (synthetic)',
  'Example Supported Employment Program',
] as const;
const GENERAL_DESIGNATIONS = [
  'My treating providers',
  'My health plan and its care coordinators',
  'Providers who treat me now or in the future',
] as const;

type ConsentScenario = 'current' | 'expired' | 'revoked' | 'draft' | 'rejected';
const FORCED_SCENARIOS: readonly ConsentScenario[] = ['expired', 'revoked', 'draft', 'rejected', 'current'];
type MissingElement = 'right-to-revoke' | 'expiration' | 'purposes' | 'discloser' | 'redisclosure' | 'information';
const MISSING_ELEMENTS: readonly MissingElement[] = [
  'right-to-revoke', 'expiration', 'purposes', 'discloser', 'redisclosure', 'information',
];

function buildConsent(ctx: Ctx, peer: PeerInfo, kind: ConsentKind, forceMissing: boolean): Consent {
  const { rng, clock } = ctx;
  const seq = ctx.consentSeq++;
  const id = `consent-${pad(seq + 1, 6)}`;
  let scenario: ConsentScenario =
    seq < FORCED_SCENARIOS.length
      ? (FORCED_SCENARIOS[seq] as ConsentScenario)
      : rng.weighted<ConsentScenario>(['current', 'expired', 'revoked', 'draft', 'rejected'], [66, 11, 9, 7, 7]);

  let signedDay = 0;
  let expiresDay: number | undefined;
  if (scenario === 'expired') {
    expiresDay = rng.int(clock.startDay - 45, clock.endDay - 1);
    let length = rng.chance(0.6) ? 365 : 180;
    if (expiresDay - length < peer.enrollStart) length = expiresDay - peer.enrollStart;
    if (length < 30) scenario = 'current';
    else signedDay = expiresDay - length;
  }
  if (scenario === 'current') {
    signedDay = rng.int(Math.max(peer.enrollStart, clock.endDay - 330), clock.endDay);
    // Single TPO consents often run until revoked; disclosures to named recipients are shorter.
    const dated = rng.chance(kind === 'part2-tpo' ? 0.5 : 0.8);
    expiresDay = dated ? signedDay + (kind === 'part2-disclosure' && rng.chance(0.5) ? 180 : 365) : undefined;
    if (expiresDay !== undefined && expiresDay <= clock.endDay) expiresDay = signedDay + 365;
  } else if (scenario === 'revoked') {
    signedDay = rng.int(Math.max(peer.enrollStart, clock.startDay - 200), clock.endDay - 1);
    if (signedDay >= clock.endDay) signedDay = clock.endDay - 1;
    expiresDay = rng.chance(0.7) ? signedDay + 365 : undefined;
  } else if (scenario === 'draft' || scenario === 'rejected') {
    signedDay = Math.max(peer.enrollStart, clock.endDay - rng.int(0, 40));
    expiresDay = rng.chance(0.6) ? signedDay + 365 : undefined;
  }
  const status: ConsentStatus =
    scenario === 'current' || scenario === 'expired' ? 'active' : scenario === 'revoked' ? 'revoked' : scenario;

  const part2 = kind !== 'hipaa-authorization';
  const missing: MissingElement | undefined =
    part2 && (forceMissing || rng.chance(0.12)) ? (forceMissing ? 'right-to-revoke' : rng.pick(MISSING_ELEMENTS)) : undefined;

  const recipients: Recipient[] = [];
  let purposes: ConsentPurpose[];
  let dataCategories: DataCategory[];
  if (kind === 'part2-tpo') {
    if (rng.chance(0.6)) recipients.push({ type: 'general-designation', description: rng.pick(GENERAL_DESIGNATIONS) });
    else {
      recipients.push({
        type: 'organization',
        name: rng.pick(PARTNER_ORGS),
        identifier: { system: `${ID_BASE}/partner`, value: `partner-${rng.digits(4)}` },
      });
    }
    purposes = rng.chance(0.85) ? ['treatment', 'payment', 'operations'] : ['treatment', 'payment'];
    dataCategories = ['substance-use', 'progress-notes', 'attendance', 'recovery-plan', 'billing'];
  } else if (kind === 'part2-disclosure') {
    if (rng.chance(0.7)) recipients.push(namedOrganization(rng.pick(PARTNER_ORGS)));
    else recipients.push(namedIndividual(rng, ['Probation officer', 'Family member', 'Case manager']));
    purposes = rng.pick<ConsentPurpose[]>([['care-coordination'], ['treatment', 'care-coordination'], ['patient-request']]);
    dataCategories = [
      'substance-use',
      ...some<DataCategory>(rng, ['progress-notes', 'attendance', 'recovery-plan', 'referrals'], 1, 3),
    ];
  } else {
    if (rng.chance(0.6)) recipients.push(namedOrganization(rng.pick(PARTNER_ORGS)));
    else recipients.push(namedIndividual(rng, 'Family member'));
    purposes = rng.chance(0.03)
      ? ['research']
      : rng.pick<ConsentPurpose[]>([['patient-request'], ['care-coordination'], ['treatment']]);
    dataCategories = [
      'mental-health',
      ...some<DataCategory>(rng, ['progress-notes', 'recovery-plan', 'attendance', 'crisis', 'referrals'], 1, 3),
    ];
    if (rng.chance(0.02)) dataCategories.push('hiv');
  }
  if (missing === 'purposes') purposes = [];

  const consent: Consent = {
    kind: 'consent',
    id,
    peerId: peer.id,
    consentKind: kind,
    status,
    recipients,
    purposes,
    dataCategories,
    period: { start: clock.date(signedDay) },
    rightToRevokeStatement: missing !== 'right-to-revoke',
    redisclosureNotice: part2 ? missing !== 'redisclosure' : rng.chance(0.5),
  };
  if (missing !== 'discloser') consent.discloser = { name: ORG_NAME, organizationId: 'org-riverbend' };
  if (missing !== 'information' && rng.chance(0.85)) consent.informationDescription = rng.pick(CONSENT_INFO[kind]);
  if (missing !== 'expiration') {
    if (expiresDay !== undefined) {
      consent.expiration = rng.chance(0.3)
        ? { date: clock.date(expiresDay), event: 'Discharge from the program' }
        : { date: clock.date(expiresDay) };
      if (rng.chance(0.5)) consent.period.end = clock.date(expiresDay);
    } else {
      consent.expiration = { event: kind === 'part2-tpo' ? 'None: until I revoke this consent' : 'Discharge from the program' };
    }
  }

  const signedMinute = signedDay * DAY + rng.int(9 * 60, 17 * 60);
  if (status === 'active' || status === 'revoked') {
    consent.signature = {
      signer: peer.youth ? 'guardian' : rng.chance(0.95) ? 'peer' : 'personal-representative',
      signedAt: clock.dateTime(signedMinute),
      method: rng.weighted<SignatureMethod>(['electronic', 'wet', 'verbal'], [55, 40, 5]),
    };
  }
  let until = expiresDay !== undefined ? (expiresDay + 1) * DAY : Number.POSITIVE_INFINITY;
  if (status === 'revoked') {
    const revokedDay = rng.int(Math.max(signedDay + 1, clock.startDay), clock.endDay);
    const revokedMinute = revokedDay * DAY + rng.int(9 * 60, 17 * 60);
    consent.revocation = { date: clock.dateTime(revokedMinute), method: rng.chance(0.7) ? 'wet' : 'electronic' };
    until = Math.min(until, revokedMinute);
  }
  if (status === 'active' || status === 'revoked') peer.consents.push({ id, from: signedMinute, until });
  return consent;
}

/** Adds the consents of one peer's program: at most one forced to miss a Part 2 element, across the clinic. */
export function buildConsents(ctx: Ctx, peer: PeerInfo, out: ClinicRecord[], state: { missingForced: boolean }): void {
  const { rng } = ctx;
  const kinds: ConsentKind[] = [];
  if (peer.program.part2) {
    if (rng.chance(0.8)) kinds.push('part2-tpo');
    if (rng.chance(0.35)) kinds.push('part2-disclosure');
    if (rng.chance(0.15)) kinds.push('hipaa-authorization');
  } else if (rng.chance(0.55)) kinds.push('hipaa-authorization');
  for (const kind of kinds) {
    const forceMissing = !state.missingForced && kind !== 'hipaa-authorization';
    if (forceMissing) state.missingForced = true;
    out.push(buildConsent(ctx, peer, kind, forceMissing));
  }
}
