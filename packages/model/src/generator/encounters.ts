/**
 * One-on-one encounters and their progress notes.
 */
import type { Activity, CrisisAction, Modality, RecoveryDomain, ReferralCategory, Setting } from '../codes';
import type { Note } from '../common';
import type { PeerEncounter } from '../encounter';
import type { Referral } from '../referral';
import { DAY } from './clock';
import { planIdOn, planOn, workMinuteAfter, type Ctx, type PeerInfo, type SpecInfo } from './context';
import { pad } from './names-and-places';
import { ENCOUNTER_PLANT_CYCLE, plant, PLANTED_TEXT, type EncounterPlantKind } from './planted-problems';
import { buildReferral, routineCategory } from './referrals';

// Note text. Ordinary notes never contain the wording of the planted problems (tests check both ways).
const OPENERS_IN_PERSON: Readonly<Partial<Record<Setting, readonly string[]>>> = {
  community: [
    'Met peer at a coffee shop near their home.',
    'Met peer at the public library.',
    'Walked with peer in the park while talking.',
  ],
  home: ["Home visit at peer's request.", 'Visited peer at home.'],
  clinic: ['Met peer at the clinic after their appointment.', 'Met in the peer support office.'],
  'recovery-center': ['Met at the recovery community center.', 'Met peer at the recovery center drop-in.'],
  shelter: ['Met peer at the shelter.', 'Met peer in the shelter common room.'],
  'street-outreach': ['Connected with peer during street outreach.', 'Found peer at the usual outreach spot.'],
  'emergency-department': ["Met peer in the emergency department at the care team's request."],
  hospital: ['Visited peer on the inpatient unit ahead of discharge.'],
  correctional: ['Met peer at the re-entry center.'],
  school: ['Met peer at school during a free period.'],
  'mobile-unit': ['Met peer at the mobile unit.'],
};
const OPENERS_VIDEO = ['Video check-in.', 'Met by video as planned.', 'Video visit; peer joined from a quiet room.'];
const OPENERS_AUDIO = ['Phone check-in.', 'Peer called in as planned.', 'Phone contact at the scheduled time.'];
const MOODS = [
  'Peer said this week went better than last.',
  'Peer described a stressful week at home.',
  'Peer was in good spirits and engaged throughout.',
  'Peer seemed tired but wanted to keep the appointment.',
  'Peer reported steady progress and more energy.',
  'Peer talked about feeling lonely since moving.',
  'Peer shared a win: they kept every appointment this week.',
  'Peer was quiet at first and opened up after a few minutes.',
] as const;
const ACTIVITY_TEXT: Readonly<Record<Activity, readonly string[]>> = {
  'emotional-support': [
    'Specialist listened and reflected back the strengths peer named.',
    'Peer talked through a hard conversation with family; specialist offered support and encouragement.',
    'Gave peer space to talk about the week and validated how hard it has been.',
  ],
  'sharing-lived-experience': [
    'Specialist briefly shared how they rebuilt a daily routine in early recovery, then turned the focus back to peer.',
    'Specialist shared a short example of asking for help in their recovery to model that it is okay.',
  ],
  'goal-planning': [
    'Reviewed progress on the recovery plan; peer chose one small step for this week.',
    'Peer rewrote one goal in their own words and picked a first step.',
  ],
  'skill-building': [
    'Practiced a grounding exercise together and peer said it helped.',
    'Role-played asking a landlord for a payment plan.',
    'Worked on a simple weekly schedule peer can keep on their phone.',
  ],
  'resource-navigation': [
    'Looked up resources together and helped peer start an application.',
    'Helped peer call a community program and write down the next steps.',
  ],
  advocacy: [
    'Helped peer prepare questions for their next care team meeting.',
    "Supported peer in speaking up about what they need from the program.",
  ],
  'crisis-support': ['Stayed with peer until they felt settled.'],
  'wellness-planning': [
    'Updated the wellness plan with two early warning signs and what helps.',
    'Talked through a plan for the holiday weekend, a hard time for peer.',
  ],
  'transport-logistics': [
    "Arranged a ride to Thursday's appointment and went over the bus route.",
    'Helped peer apply for a reduced-fare transit card.',
  ],
  'appointment-support': [
    'Went with peer to a primary care visit and helped them share their concerns.',
    'Accompanied peer to a benefits office appointment.',
  ],
  'mutual-aid-linkage': [
    'Looked up local mutual-aid meetings together; peer plans to try one this weekend.',
    'Talked about what peer liked and did not like about the meeting they tried.',
  ],
  'family-support': [
    "Talked with peer's family member, with peer present and agreeing, about supporting recovery at home.",
  ],
  'outreach-engagement': [
    'Offered water and information about drop-in hours; peer agreed to a follow-up.',
    'Introduced peer support and left a card with the program number.',
  ],
};
const GOAL_WORDS: Readonly<Record<RecoveryDomain, string>> = {
  health: 'health',
  home: 'housing',
  purpose: 'work and school',
  community: 'connection',
};
const CLOSERS = [
  'Next meeting set for next week.',
  'Peer will text if anything changes before then.',
  'Agreed to follow up on the application at the next visit.',
  'Plan to check in by phone midweek.',
  'Peer chose the next step and will report back.',
  'Peer said the visit helped.',
] as const;
const NO_SHOW_REASONS = [
  'Peer did not arrive and did not answer a call',
  'Peer did not answer at the scheduled call time',
  'Peer forgot the appointment',
  'Peer was not at the meeting place',
] as const;
const CANCEL_REASONS = [
  'Peer cancelled: work shift changed',
  'Peer cancelled: feeling unwell',
  'Specialist cancelled: training day',
  'Peer cancelled: ride fell through',
  'Rescheduled at the request of the peer',
] as const;
const NO_SHOW_NOTES = [
  'Peer did not attend. Left a voicemail offering a new time.',
  'No answer at the scheduled time; sent a text to reschedule.',
  'Waited twenty minutes; peer did not come. Will reach out tomorrow.',
] as const;
const CANCEL_NOTES = [
  'Peer called ahead to cancel; rescheduled for later in the week.',
  'Visit cancelled; specialist will call peer to set a new time.',
] as const;

const CRISIS_OPENERS = [
  'Peer disclosed thoughts of suicide while talking about recent losses.',
  'Peer said they had been thinking about self-harm after a relapse.',
  'Peer reported feeling unsafe and having thoughts of ending their life.',
] as const;
const CRISIS_ACTION_TEXT: Readonly<Record<CrisisAction, string>> = {
  'safety-plan-reviewed': 'Stayed with peer and reviewed their safety plan together.',
  'supervisor-consulted': 'Consulted the supervisor during the visit.',
  'warm-handoff-clinician': 'Made a warm handoff to the on-call clinician.',
  'referred-988': 'Connected peer with the 988 Lifeline while together.',
  'mobile-crisis': 'Called the mobile crisis team, who arrived and took over.',
  'emergency-services': 'Called 911 when peer could not agree to stay safe.',
  'accompanied-to-ed': 'Accompanied peer to the emergency department.',
};

const MODALITY_CODES: readonly Modality[] = ['in-person', 'video', 'audio-only'];
const IN_PERSON_SETTINGS: readonly Setting[] = [
  'community', 'home', 'clinic', 'recovery-center', 'shelter', 'street-outreach', 'emergency-department',
  'hospital', 'correctional', 'school', 'mobile-unit',
];
const IN_PERSON_WEIGHTS = [22, 14, 18, 18, 7, 5, 3, 3, 3, 0, 3];
const IN_PERSON_WEIGHTS_YOUTH = [22, 16, 14, 10, 2, 1, 2, 2, 1, 25, 1];
const REMOTE_SETTINGS: readonly Setting[] = ['home', 'community', 'shelter', 'clinic'];
const REMOTE_WEIGHTS = [80, 8, 6, 6];

const OPTIONAL_ACTIVITIES: readonly [Activity, number][] = [
  ['goal-planning', 0.32],
  ['skill-building', 0.2],
  ['resource-navigation', 0.2],
  ['sharing-lived-experience', 0.18],
  ['wellness-planning', 0.12],
  ['mutual-aid-linkage', 0.08],
  ['advocacy', 0.08],
  ['transport-logistics', 0.06],
  ['appointment-support', 0.05],
  ['family-support', 0.04],
];

const CRISIS_ACTION_CODES: readonly CrisisAction[] = [
  'safety-plan-reviewed', 'supervisor-consulted', 'warm-handoff-clinician', 'referred-988', 'mobile-crisis',
  'emergency-services', 'accompanied-to-ed',
];

/** A progress note signed after `endMinute`; a trainee's is mostly co-signed by the supervisor. */
export function note(ctx: Ctx, text: string, specialist: SpecInfo, endMinute: number, allowDraft: boolean): Note {
  const { rng, clock } = ctx;
  if (allowDraft && rng.chance(0.01)) return { text };
  const signedMinute = rng.chance(0.9)
    ? endMinute + rng.int(5, 180)
    : (Math.floor(endMinute / DAY) + 1) * DAY + rng.int(8 * 60, 12 * 60);
  const n: Note = { text, signedAt: clock.dateTime(signedMinute), signedBy: specialist.id };
  if (specialist.role === 'trainee' && specialist.supervisorId !== undefined && rng.chance(0.88)) {
    n.cosignedAt = clock.dateTime(workMinuteAfter(rng, signedMinute + 30, 2));
    n.cosignedBy = specialist.supervisorId;
  }
  return n;
}

/** A referral made during an encounter, held back until the timeline reaches its creation time. */
export interface PendingReferral {
  readonly t: number;
  readonly referral: Referral;
}

/** One scheduled one-on-one encounter: completed, no-show or cancelled, with its note and any referral made. */
export function buildEncounter(ctx: Ctx, peer: PeerInfo, startMinute: number, pending: PendingReferral[]): PeerEncounter {
  const { rng, clock } = ctx;
  const day = Math.floor(startMinute / DAY);
  const spec = rng.chance(0.9) ? peer.spec : (ctx.specs[rng.int(0, ctx.specs.length - 1)] as SpecInfo);
  const id = `enc-${pad(++ctx.encounterSeq, 7)}`;
  const roll = rng.next();
  const status = roll < ctx.o.noShowRate ? 'no-show' : roll < ctx.o.noShowRate + ctx.cancelRate ? 'cancelled' : 'completed';
  const modality = rng.weighted(MODALITY_CODES, [60, 20, 20]);
  const setting =
    modality === 'in-person'
      ? rng.weighted(IN_PERSON_SETTINGS, peer.youth ? IN_PERSON_WEIGHTS_YOUTH : IN_PERSON_WEIGHTS)
      : rng.weighted(REMOTE_SETTINGS, REMOTE_WEIGHTS);
  const encounter: PeerEncounter = {
    kind: 'encounter',
    id,
    peerId: peer.id,
    specialistId: spec.id,
    programId: peer.program.id,
    programType: peer.program.type,
    status,
    start: clock.dateTime(startMinute),
    modality,
    setting,
    activities: [],
    goalIds: [],
    referralIds: [],
  };
  const plan = planOn(peer, day);
  const planId = planIdOn(peer, day);
  if (planId !== undefined) encounter.planId = planId;

  if (status !== 'completed') {
    encounter.statusReason = rng.pick(status === 'no-show' ? NO_SHOW_REASONS : CANCEL_REASONS);
    if (rng.chance(0.4)) {
      encounter.note = note(ctx, rng.pick(status === 'no-show' ? NO_SHOW_NOTES : CANCEL_NOTES), spec, startMinute + 15, false);
    }
    return encounter;
  }

  const duration =
    modality === 'audio-only' ? rng.int(2, 9) * 5 : modality === 'video' ? rng.int(3, 12) * 5 : rng.int(4, 18) * 5;
  const span = duration + (rng.chance(0.7) ? 0 : rng.int(1, 10));
  const endMinute = startMinute + span;
  const timing = rng.next();
  if (timing < 0.96) encounter.end = clock.dateTime(endMinute);
  if (timing < 0.92 || timing >= 0.96) encounter.durationMinutes = duration;

  const outreach = setting === 'street-outreach' || setting === 'shelter';
  const activities: Activity[] = [outreach ? 'outreach-engagement' : 'emotional-support'];
  for (const [activity, p] of OPTIONAL_ACTIVITIES) if (rng.chance(p)) activities.push(activity);

  if (plan && plan.workable.length > 0 && rng.chance(0.7)) {
    const goals = rng.sample(plan.workable, rng.int(1, 2));
    for (const g of goals) encounter.goalIds.push(g.id);
  }

  const crisis = rng.chance(setting === 'emergency-department' ? 0.3 : 0.013);
  let referral: Referral | undefined;
  let referralMinute = startMinute;
  const sentences: string[] = [];
  const openers =
    modality === 'video' ? OPENERS_VIDEO : modality === 'audio-only' ? OPENERS_AUDIO : (OPENERS_IN_PERSON[setting] ?? OPENERS_VIDEO);
  sentences.push(rng.pick(openers));

  if (crisis) {
    activities.push('crisis-support');
    const actions: CrisisAction[] = ['safety-plan-reviewed'];
    let category: ReferralCategory | undefined;
    const severity = rng.next();
    if (setting === 'emergency-department') actions.push('warm-handoff-clinician');
    else if (severity < 0.08) actions.push('accompanied-to-ed');
    else if (severity < 0.14) actions.push('emergency-services');
    else if (severity < 0.45) {
      actions.push('referred-988');
      category = 'crisis-988';
    } else if (severity < 0.65) {
      actions.push('mobile-crisis');
      category = 'mobile-crisis';
    } else if (severity < 0.85) actions.push('warm-handoff-clinician');
    if (rng.chance(0.6)) actions.push('supervisor-consulted');
    actions.sort((a, b) => CRISIS_ACTION_CODES.indexOf(a) - CRISIS_ACTION_CODES.indexOf(b));
    encounter.crisis = { indicated: true, actions };
    if (category !== undefined && rng.chance(0.8)) {
      referralMinute = startMinute + Math.min(span, rng.int(5, 30));
      referral = buildReferral(ctx, peer, spec.id, referralMinute, { category, encounterId: id, crisis: true });
      encounter.crisis.referralId = referral.id;
    }
    sentences.push(rng.pick(CRISIS_OPENERS));
    for (const action of actions) sentences.push(CRISIS_ACTION_TEXT[action]);
    sentences.push('Peer agreed to a check-in tomorrow.');
    plant(ctx, 'encounter', id, 'crisis-mention');
  } else {
    if (rng.chance(0.06)) {
      if (!activities.includes('resource-navigation')) activities.push('resource-navigation');
      referralMinute = startMinute + Math.max(1, span - rng.int(0, 5));
      referral = buildReferral(ctx, peer, spec.id, referralMinute, {
        category: routineCategory(rng, peer),
        encounterId: id,
        crisis: false,
      });
    }
    sentences.push(rng.pick(MOODS));
    for (const activity of activities) {
      if (sentences.length >= 4) break;
      sentences.push(rng.pick(ACTIVITY_TEXT[activity]));
    }
    const firstGoal = plan?.workable.find((g) => g.id === encounter.goalIds[0]);
    if (firstGoal) sentences.push(`Talked about the ${GOAL_WORDS[firstGoal.domain]} goal in the plan.`);
    if (rng.chance(0.032)) {
      const kind = ENCOUNTER_PLANT_CYCLE[ctx.encounterPlants++ % ENCOUNTER_PLANT_CYCLE.length] as EncounterPlantKind;
      sentences.splice(rng.int(1, sentences.length), 0, rng.pick(PLANTED_TEXT[kind]));
      plant(ctx, 'encounter', id, kind);
    }
    sentences.push(rng.pick(CLOSERS));
  }
  const order = (a: Activity): number => ACTIVITY_ORDER.indexOf(a);
  activities.sort((a, b) => order(a) - order(b));
  encounter.activities = activities;
  encounter.note = note(ctx, sentences.join(' '), spec, endMinute, true);
  if (referral) {
    encounter.referralIds.push(referral.id);
    pending.push({ t: referralMinute, referral });
  }
  return encounter;
}

const ACTIVITY_ORDER: readonly Activity[] = [
  'emotional-support', 'sharing-lived-experience', 'goal-planning', 'skill-building', 'resource-navigation',
  'advocacy', 'crisis-support', 'wellness-planning', 'transport-logistics', 'appointment-support',
  'mutual-aid-linkage', 'family-support', 'outreach-engagement',
];
