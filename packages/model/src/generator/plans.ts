/**
 * Recovery plans: goals in the peer's words, steps, supports, crisis plans and signatures.
 */
import type { GoalAchievement, GoalStatus, PlanStatus, RecoveryDomain, StepOwner, StepStatus, SupportRole } from '../codes';
import type { Contact, Signature } from '../common';
import type { Random } from '../internal/random';
import type { CrisisPlan, Goal, RecoveryPlan, Step, Support } from '../recovery-plan';
import { DAY } from './clock';
import { method, some, workMinuteAfter, type Ctx, type PeerInfo } from './context';
import { personName, phone } from './names-and-places';

const GOALS: Readonly<Record<RecoveryDomain, readonly string[]>> = {
  health: [
    'I want to sleep better and feel rested most mornings.',
    'Stay sober one day at a time and find meetings I actually like.',
    'Walk three times a week so I feel stronger.',
    'Keep my doctor appointments this time.',
    'Have more good days than bad days.',
    'Learn what sets off my anxiety and what calms me down.',
    'Eat real meals instead of skipping them.',
  ],
  home: [
    'Get my own apartment by the end of the year.',
    'Stay in my housing and keep up with rent.',
    'Move out of the shelter into somewhere safe.',
    'Make my place feel like home again.',
    'Find a sober living house close to work.',
  ],
  purpose: [
    'Get a part-time job I can handle.',
    'Finish my GED.',
    'Go back to school for a certificate.',
    'Volunteer somewhere a couple of times a month.',
    "Get my driver's license back.",
    'Maybe become a peer specialist myself someday.',
  ],
  community: [
    'Reconnect with my kids and see them every weekend.',
    'Make at least one friend who is also in recovery.',
    'Go back to my church.',
    'Repair things with my mom.',
    'Join a group where I feel like I belong.',
  ],
};
const YOUTH_GOALS: Readonly<Record<RecoveryDomain, readonly string[]>> = {
  health: ['Stop missing school because of panic attacks.', 'Figure out what helps when I get overwhelmed.'],
  home: ['Get along better with my parents at home.', 'Have a quiet space at home to do homework.'],
  purpose: ['Graduate with my class.', 'Get a summer job.'],
  community: ['Join a club or team at school.', 'Spend time with friends who are good for me.'],
};
const MEASURES: Readonly<Record<RecoveryDomain, readonly string[]>> = {
  health: ['Sleeping six hours or more on five nights a week', 'Going to two meetings a week', 'Walking three days a week'],
  home: ['Signed lease in my name', 'Rent paid on time three months in a row', 'Moved into stable housing'],
  purpose: ['Working 15 hours a week', 'Passed two GED subject tests', 'Enrolled in a certificate course'],
  community: ['Seeing my kids twice a month', 'Talking with one friend each week', 'Going to one community event a month'],
};
const STEPS: Readonly<Record<RecoveryDomain, readonly string[]>> = {
  health: [
    'Try the evening routine we practiced for two weeks',
    'Go to two mutual-aid meetings a week',
    'Call the clinic to set up a check-up',
    'Keep a short mood journal',
  ],
  home: [
    'Fill out the housing application',
    'Gather ID and income documents',
    'Visit two sober living houses',
    'Set up automatic rent payment',
  ],
  purpose: [
    'Update my resume with the specialist',
    'Sign up for the GED prep class',
    'Apply to three jobs',
    'Ask the library about volunteer shifts',
  ],
  community: [
    'Call my sister once a week',
    'Try the Thursday recovery cafe',
    'Write a letter to my kids',
    'Go to one community event this month',
  ],
};
const STRENGTHS = [
  'Determined once I set my mind to something',
  'Good sense of humor',
  'Close to my sister',
  'I have been through hard things before',
  'Good with my hands',
  'Honest about what I need',
  'I love my kids',
  'Reliable about showing up',
  'Creative: drawing and music',
  'My faith',
  'Curious and like learning new things',
] as const;
const WARNING_SIGNS = [
  'Not sleeping for two or more nights',
  'Pulling away from friends and family',
  'Skipping meals',
  'Thinking about using again',
  'Feeling hopeless about the future',
  'Missing work or appointments',
  'Getting into arguments with people close to me',
] as const;
const COPING = [
  'Call my sponsor',
  'Go for a walk with my dog',
  'Listen to music',
  'Breathing exercise from group',
  'Take a shower and make tea',
  'Go to a meeting',
  'Write down three things that went okay today',
] as const;
const SAFE_ENVIRONMENT = [
  'Keep only small amounts of cash at home',
  'Stay away from the old neighborhood on weekends',
  'No alcohol in the apartment',
  'Ask family to keep anything dangerous locked up',
] as const;
const SUPPORT_GROUPS: readonly { name: string; role: SupportRole }[] = [
  { name: 'Tuesday evening mutual-aid meeting', role: 'mutual-aid' },
  { name: 'Example Community Church', role: 'faith-community' },
  { name: 'Example County case management', role: 'case-manager' },
  { name: 'Outpatient therapist (synthetic)', role: 'clinician' },
  { name: 'Warmline (synthetic)', role: 'crisis-line' },
  { name: 'Recovery cafe regulars', role: 'other' },
];

function goalStatusFor(rng: Random, plan: PlanStatus): GoalStatus {
  switch (plan) {
    case 'draft':
      return 'proposed';
    case 'completed':
      return rng.chance(0.75) ? 'completed' : 'cancelled';
    case 'revoked':
      return rng.chance(0.6) ? 'cancelled' : 'on-hold';
    case 'on-hold':
      return rng.chance(0.7) ? 'on-hold' : 'active';
    case 'active':
      return rng.weighted<GoalStatus>(['active', 'completed', 'proposed', 'on-hold'], [75, 10, 8, 7]);
  }
}

function achievementFor(rng: Random, status: GoalStatus): GoalAchievement | undefined {
  switch (status) {
    case 'active':
      return rng.weighted<GoalAchievement>(['in-progress', 'improving', 'no-change', 'worsening'], [40, 35, 15, 10]);
    case 'completed':
      return rng.chance(0.7) ? 'achieved' : 'sustaining';
    case 'cancelled':
      return rng.chance(0.6) ? 'not-achieved' : 'not-attainable';
    case 'on-hold':
      return rng.chance(0.5) ? 'no-progress' : undefined;
    case 'proposed':
      return undefined;
  }
}

/** The peer's recovery plan; remembers its period and workable goals for the encounters. */
export function buildPlan(ctx: Ctx, peer: PeerInfo): RecoveryPlan {
  const { rng, clock } = ctx;
  const id = `plan-${peer.id.slice(5)}`;
  let status: PlanStatus;
  if (peer.enrollEnd !== undefined) status = rng.chance(0.6) ? 'completed' : 'revoked';
  else if (peer.enrollStart > clock.endDay - 14) status = 'draft';
  else status = rng.weighted<PlanStatus>(['active', 'draft', 'on-hold', 'completed', 'revoked'], [80, 6, 5, 6, 3]);

  let startDay: number;
  let endDay: number | undefined;
  if (status === 'draft') {
    startDay = Math.min(clock.endDay, Math.max(peer.enrollStart + rng.int(0, 7), clock.endDay - rng.int(0, 30)));
  } else if (status === 'completed' || status === 'revoked') {
    startDay = Math.max(peer.enrollStart + rng.int(0, 10), clock.startDay - rng.int(60, 300));
    startDay = Math.min(startDay, clock.endDay);
    endDay = peer.enrollEnd ?? rng.int(Math.max(startDay, clock.startDay), clock.endDay);
    if (endDay < startDay) endDay = startDay;
  } else {
    startDay = Math.min(clock.endDay, Math.max(peer.enrollStart + rng.int(0, 10), clock.startDay - rng.int(0, 150)));
    if (rng.chance(0.6)) endDay = startDay + (startDay + 180 > clock.endDay && rng.chance(0.5) ? 180 : 365);
  }
  const limit = endDay ?? startDay + 365;
  const createdMinute = startDay * DAY + rng.int(9 * 60, 16 * 60);

  const domains = rng.shuffle<RecoveryDomain>(['health', 'home', 'purpose', 'community']);
  const goalCount = status === 'draft' && rng.chance(0.5) ? rng.int(1, 2) : rng.int(2, 4);
  const goals: Goal[] = [];
  const steps: Step[] = [];
  const workable: { id: string; domain: RecoveryDomain }[] = [];
  for (let g = 0; g < goalCount; g++) {
    const domain = domains[g] as RecoveryDomain;
    const goalStatus = goalStatusFor(rng, status);
    const goalStart = Math.min(startDay + rng.int(0, 14), limit);
    const goal: Goal = {
      id: `g${g + 1}`,
      text: rng.pick(peer.youth && rng.chance(0.7) ? YOUTH_GOALS[domain] : GOALS[domain]),
      domain,
      status: goalStatus,
    };
    const achievement = achievementFor(rng, goalStatus);
    if (achievement !== undefined) goal.achievement = achievement;
    goal.start = clock.date(goalStart);
    if (rng.chance(0.9)) {
      const target = endDay !== undefined ? rng.int(goalStart, endDay) : goalStart + rng.int(60, 300);
      goal.target = clock.date(target);
    }
    if (rng.chance(0.6)) goal.measure = rng.pick(MEASURES[domain]);
    goals.push(goal);
    if (goalStatus === 'active' || goalStatus === 'proposed' || goalStatus === 'on-hold') workable.push({ id: goal.id, domain });

    const stepTexts = rng.sample(STEPS[domain], rng.int(1, 3));
    for (const description of stepTexts) {
      const step: Step = {
        id: `s${steps.length + 1}`,
        goalId: goal.id,
        description,
        owner: rng.weighted<StepOwner>(['peer', 'specialist', 'support', 'clinician', 'other'], [55, 20, 10, 8, 7]),
        status: 'not-started',
      };
      let due: number | undefined;
      if (rng.chance(0.85)) {
        const lo = Math.min(startDay + 7, limit);
        due = rng.int(lo, Math.min(limit, startDay + 240));
        step.due = clock.date(due);
      }
      let stepStatus: StepStatus;
      if (status === 'draft') stepStatus = 'not-started';
      else if (status === 'completed' || status === 'revoked') stepStatus = rng.chance(0.7) ? 'completed' : 'cancelled';
      else if (due !== undefined && due < clock.endDay) {
        stepStatus = rng.weighted<StepStatus>(['completed', 'in-progress', 'cancelled', 'on-hold'], [55, 25, 10, 10]);
      } else stepStatus = rng.weighted<StepStatus>(['not-started', 'in-progress', 'completed'], [45, 45, 10]);
      step.status = stepStatus;
      if (stepStatus === 'completed') {
        const latest = Math.max(startDay, Math.min(clock.endDay, due ?? clock.endDay, endDay ?? clock.endDay));
        step.completedOn = clock.date(rng.int(startDay, latest));
      }
      steps.push(step);
    }
  }

  const supports: Support[] = [];
  for (let s = rng.int(1, 3); s > 0; s--) {
    if (rng.chance(0.55)) {
      const n = personName(rng);
      const support: Support = {
        name: `${n.given} ${n.family}`,
        role: rng.weighted<SupportRole>(['family', 'friend', 'sponsor'], [50, 30, 20]),
      };
      if (rng.chance(0.7)) support.phone = phone(rng);
      supports.push(support);
    } else {
      const group = rng.pick(SUPPORT_GROUPS);
      supports.push({ name: group.name, role: group.role });
    }
  }

  const signatures: Signature[] = [];
  const sign = (role: Signature['role'], signerId?: string): void => {
    const signature: Signature = { role, signedAt: clock.dateTime(workMinuteAfter(rng, createdMinute, 3)), method: method(rng) };
    if (signerId !== undefined) signature.signerId = signerId;
    signatures.push(signature);
  };
  if (status === 'draft') {
    if (rng.chance(0.5)) sign('specialist', peer.spec.id);
  } else {
    // A few active plans still wait for the peer's signature (a warning, not an error).
    if (rng.chance(0.97)) {
      if (peer.youth) sign('guardian');
      sign('peer');
    }
    sign('specialist', peer.spec.id);
    if (rng.chance(0.3)) sign('clinician');
  }

  const plan: RecoveryPlan = {
    kind: 'recovery-plan',
    id,
    peerId: peer.id,
    specialistId: peer.spec.id,
    programId: peer.program.id,
    status,
    created: clock.dateTime(createdMinute),
    period: endDay === undefined ? { start: clock.date(startDay) } : { start: clock.date(startDay), end: clock.date(endDay) },
    strengths: some(rng, STRENGTHS, 1, 4),
    goals,
    steps,
    supports,
    signatures,
  };
  if (status !== 'completed' && status !== 'revoked') plan.reviewDue = clock.date(startDay + 90);
  if (rng.chance(peer.program.type === 'mental-health' ? 0.6 : 0.75)) {
    const contacts: Contact[] = [];
    for (let c = rng.int(1, 2); c > 0; c--) {
      const n = personName(rng);
      contacts.push({
        name: `${n.given} ${n.family}`,
        relationship: rng.pick(['sister', 'friend', 'sponsor', 'cousin', 'neighbor']),
        phone: phone(rng),
      });
    }
    const professionalContacts: Contact[] = [{ name: '988 Suicide & Crisis Lifeline', phone: '988' }];
    if (rng.chance(0.6)) professionalContacts.push({ name: 'Example County Mobile Crisis Team', phone: '215-555-0142' });
    if (rng.chance(0.4)) {
      professionalContacts.push({ name: 'Peer specialist on-call line', relationship: 'program', phone: '215-555-0101' });
    }
    const crisisPlan: CrisisPlan = {
      warningSigns: some(rng, WARNING_SIGNS, 2, 3),
      copingStrategies: some(rng, COPING, 2, 3),
      contacts,
      professionalContacts,
      safeEnvironment: some(rng, SAFE_ENVIRONMENT, 0, 2),
      reviewed: clock.date(startDay + rng.int(0, Math.max(0, Math.min(60, clock.endDay - startDay)))),
    };
    plan.crisisPlan = crisisPlan;
  }

  peer.plan = { id, startDay, endDay, workable };
  return plan;
}

/**
 * The plan before or after the peer's main plan, so that a peer enrolled before the window is
 * under a plan for every contact, as in a clinic that renews plans (reference/billing.md S5: a plan
 * within one month of enrollment, reviewed every six months): a draft of a long-enrolled peer is a
 * renewal, and the plan it renews stays in force; a plan completed or ended early while the peer is
 * still enrolled is followed by the next one. Peers who joined during the window keep their one plan
 * (a late or never-agreed plan there is a real gap the documentation rule should find). Draws
 * nothing from the random stream, so every other record is unchanged.
 */
export function buildPlanHistory(ctx: Ctx, peer: PeerInfo, plan: RecoveryPlan): RecoveryPlan | undefined {
  const { clock } = ctx;
  const main = peer.plan;
  if (!main || peer.enrollStart >= clock.startDay || peer.enrollEnd !== undefined) return undefined;
  let startDay: number;
  let reviewDay: number;
  let suffix: string;
  if (plan.status === 'draft') {
    // The plan being renewed: its review is the draft, due within a month of the draft's start.
    startDay = Math.max(peer.enrollStart + 7, clock.startDay - 150);
    if (startDay >= main.startDay) return undefined;
    reviewDay = main.startDay + 30;
    suffix = 'prev';
  } else if ((plan.status === 'completed' || plan.status === 'revoked') && main.endDay !== undefined && main.endDay < clock.endDay) {
    startDay = main.endDay + 1;
    reviewDay = startDay + 180;
    suffix = 'next';
  } else return undefined;
  const id = `${plan.id}-${suffix}`;
  const createdMinute = startDay * DAY + 10 * 60;
  const signedAt = clock.dateTime(createdMinute + 30);
  const signatures: Signature[] = [];
  if (peer.youth) signatures.push({ role: 'guardian', signedAt, method: 'electronic' });
  signatures.push({ role: 'peer', signedAt, method: 'electronic' }, { role: 'specialist', signerId: peer.spec.id, signedAt, method: 'electronic' });
  const goals: Goal[] = plan.goals.map((g) => {
    const goal: Goal = { id: g.id, text: g.text, domain: g.domain, status: 'active', start: clock.date(startDay) };
    if (g.measure !== undefined) goal.measure = g.measure;
    return goal;
  });
  peer.otherPlan = { id, startDay, endDay: undefined, workable: [] };
  return {
    kind: 'recovery-plan',
    id,
    peerId: peer.id,
    specialistId: peer.spec.id,
    programId: peer.program.id,
    status: 'active',
    created: clock.dateTime(createdMinute),
    period: { start: clock.date(startDay) },
    reviewDue: clock.date(reviewDay),
    strengths: [...plan.strengths],
    goals,
    steps: [],
    supports: plan.supports.map((s) => ({ ...s })),
    signatures,
  };
}
