/**
 * Referrals to community resources, crisis services and clinical services, through closure.
 */
import type { RecoveryDomain, ReferralCategory, ReferralOutcome, ReferralStatus, ReferralTargetType, ReferralUrgency } from '../codes';
import type { Random } from '../internal/random';
import type { Referral } from '../referral';
import { DAY } from './clock';
import { consentAt, planOn, type Ctx, type PeerInfo } from './context';
import { pad, phone } from './names-and-places';

const REFERRAL_TARGETS: Readonly<
  Record<ReferralCategory, { type: ReferralTargetType; names: readonly string[]; domain: RecoveryDomain; reason: string }>
> = {
  housing: {
    type: 'community-resource',
    names: ['Example County Housing Authority', 'Riverbend Rapid Rehousing (synthetic)'],
    domain: 'home',
    reason: 'Peer wants stable housing and asked for help applying.',
  },
  food: {
    type: 'community-resource',
    names: ['Example Community Food Pantry'],
    domain: 'home',
    reason: 'Peer is running short on food at the end of the month.',
  },
  employment: {
    type: 'community-resource',
    names: ['Example Workforce Center', 'Example Supported Employment Program'],
    domain: 'purpose',
    reason: 'Peer is ready to look for part-time work.',
  },
  education: {
    type: 'community-resource',
    names: ['Example Community College Adult Learning'],
    domain: 'purpose',
    reason: 'Peer wants to finish a GED or certificate.',
  },
  transportation: {
    type: 'community-resource',
    names: ['Example Transit Reduced Fare Office'],
    domain: 'home',
    reason: 'Peer needs reliable transport to appointments.',
  },
  benefits: {
    type: 'community-resource',
    names: ['Example County Assistance Office'],
    domain: 'home',
    reason: 'Peer asked for help applying for benefits.',
  },
  legal: {
    type: 'community-resource',
    names: ['Example Legal Aid Society'],
    domain: 'home',
    reason: 'Peer has a housing court notice and wants legal advice.',
  },
  'mutual-aid': {
    type: 'community-resource',
    names: ['Example Recovery Community Center'],
    domain: 'community',
    reason: 'Peer wants to find a recovery community that fits.',
  },
  'primary-care': {
    type: 'clinical-service',
    names: ['Example Community Health Center'],
    domain: 'health',
    reason: 'Peer has not seen a primary care provider in years.',
  },
  'mental-health-treatment': {
    type: 'clinical-service',
    names: ['Example Behavioral Health Clinic'],
    domain: 'health',
    reason: 'Peer asked to reconnect with counseling.',
  },
  'sud-treatment': {
    type: 'clinical-service',
    names: ['Example Outpatient Recovery Services'],
    domain: 'health',
    reason: 'Peer asked about outpatient treatment options.',
  },
  moud: {
    type: 'clinical-service',
    names: ['Example Opioid Treatment Program'],
    domain: 'health',
    reason: 'Peer wants to learn about treatment for opioid use disorder.',
  },
  'crisis-988': {
    type: 'crisis-service',
    names: ['988 Suicide & Crisis Lifeline'],
    domain: 'health',
    reason: 'Peer disclosed risk during a contact.',
  },
  'mobile-crisis': {
    type: 'crisis-service',
    names: ['Example County Mobile Crisis Team'],
    domain: 'health',
    reason: 'Peer disclosed risk and agreed to an in-person assessment.',
  },
  'crisis-stabilization': {
    type: 'crisis-service',
    names: ['Example Crisis Stabilization Unit'],
    domain: 'health',
    reason: 'Peer needed a safe place to stay for a few days.',
  },
  'emergency-department': {
    type: 'crisis-service',
    names: ['Example General Hospital Emergency Department'],
    domain: 'health',
    reason: 'Peer needed emergency care.',
  },
};
const COMMUNITY_CATEGORIES: readonly ReferralCategory[] = [
  'housing', 'food', 'employment', 'education', 'transportation', 'benefits', 'legal', 'mutual-aid',
];
const COMMUNITY_WEIGHTS = [22, 12, 14, 6, 10, 14, 5, 17];
const CLINICAL_MH: readonly ReferralCategory[] = ['primary-care', 'mental-health-treatment'];
const CLINICAL_SUD: readonly ReferralCategory[] = ['primary-care', 'mental-health-treatment', 'sud-treatment', 'moud'];

const REFERRAL_REASONS_BY_STATUS: Readonly<Partial<Record<ReferralStatus, readonly string[]>>> = {
  'on-hold': ['Waiting for documents from the peer', 'Peer asked to pause for now'],
  rejected: ['Service at capacity', 'Outside the service area'],
  failed: ['No response after three attempts', 'Service phone line disconnected'],
  cancelled: ['Peer found another option', 'Peer no longer needs the service'],
};

interface ReferralPlan {
  category: ReferralCategory;
  encounterId?: string;
  crisis: boolean;
}

/** A referral created at `createdMinute`, with a status through closure no later than the export. */
export function buildReferral(ctx: Ctx, peer: PeerInfo, specialistId: string, createdMinute: number, spec: ReferralPlan): Referral {
  const { rng, clock } = ctx;
  const target = REFERRAL_TARGETS[spec.category];
  const id = `ref-${pad(++ctx.referralSeq, 6)}`;
  const referral: Referral = {
    kind: 'referral',
    id,
    peerId: peer.id,
    specialistId,
    created: clock.dateTime(createdMinute),
    target: { type: target.type, category: spec.category, organizationName: rng.pick(target.names) },
    urgency: 'routine',
    status: 'requested',
  };
  if (spec.category === 'crisis-988') referral.target.phone = '988';
  else if (rng.chance(0.7)) referral.target.phone = phone(rng);
  if (rng.chance(0.85)) referral.reason = target.reason;
  referral.urgency = spec.crisis
    ? rng.weighted<ReferralUrgency>(['urgent', 'stat', 'asap'], [40, 45, 15])
    : target.type === 'clinical-service'
      ? rng.weighted<ReferralUrgency>(['routine', 'asap', 'urgent'], [60, 25, 15])
      : rng.weighted<ReferralUrgency>(['routine', 'asap', 'urgent'], [80, 12, 8]);

  let status: ReferralStatus;
  let closedAt: number | undefined;
  if (spec.crisis) {
    status = rng.weighted<ReferralStatus>(['completed', 'in-progress', 'failed', 'cancelled'], [70, 10, 10, 10]);
    closedAt = createdMinute + rng.int(30, 600);
  } else {
    status = rng.weighted<ReferralStatus>(
      ['completed', 'in-progress', 'accepted', 'requested', 'rejected', 'failed', 'cancelled', 'on-hold', 'draft'],
      [45, 12, 10, 12, 4, 5, 5, 4, 3],
    );
    closedAt = createdMinute + rng.int(1, 45) * DAY + rng.int(0, 600);
  }
  const closing = status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'rejected';
  if (closing && closedAt > clock.endMinute) {
    // Not closed yet when the export was taken: still open.
    status = spec.crisis ? 'in-progress' : rng.pick<ReferralStatus>(['requested', 'accepted', 'in-progress']);
  } else if (closing) {
    referral.closedAt = clock.dateTime(closedAt);
    const outcome: ReferralOutcome | undefined =
      status === 'completed'
        ? rng.weighted<ReferralOutcome>(['linked', 'waitlisted', 'not-eligible'], [80, 14, 6])
        : status === 'rejected'
          ? 'not-eligible'
          : status === 'failed'
            ? rng.chance(0.7) ? 'unable-to-reach' : 'declined-by-peer'
            : rng.chance(0.5) ? 'declined-by-peer' : undefined;
    // A few completed referrals never record how they ended (a warning for the host to chase).
    if (outcome !== undefined && (status !== 'completed' || rng.chance(0.97))) referral.outcome = outcome;
  }
  referral.status = status;
  const reasons = REFERRAL_REASONS_BY_STATUS[status];
  if (reasons) referral.statusReason = rng.pick(reasons);

  const day = Math.floor(createdMinute / DAY);
  const plan = planOn(peer, day);
  if (plan && !spec.crisis) {
    referral.planId = plan.id;
    const goal = plan.workable.find((g) => g.domain === target.domain);
    if (goal) referral.goalId = goal.id;
  }
  if (!spec.crisis && rng.chance(0.85)) {
    const consentId = consentAt(peer, createdMinute);
    if (consentId !== undefined) referral.consentId = consentId;
  }
  if (spec.encounterId !== undefined) referral.encounterId = spec.encounterId;
  return referral;
}

/** A routine referral category: mostly community resources, else clinical services of the program. */
export function routineCategory(rng: Random, peer: PeerInfo): ReferralCategory {
  if (rng.chance(0.72)) return rng.weighted(COMMUNITY_CATEGORIES, COMMUNITY_WEIGHTS);
  return rng.pick(peer.program.part2 ? CLINICAL_SUD : CLINICAL_MH);
}
