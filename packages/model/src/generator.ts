/**
 * The synthetic clinic generator: a deterministic, obviously synthetic peer support program (no real
 * people, no real identifiers) with realistic variety, for demos, tests and benchmarks.
 *
 * Pure: no clock, no `Math.random`, no I/O. Same seed and options, same records and the same bytes.
 */
import type {
  Activity,
  Attendance,
  ConsentKind,
  ConsentPurpose,
  ConsentStatus,
  CredentialType,
  CrisisAction,
  DataCategory,
  GoalAchievement,
  GoalStatus,
  GroupTopic,
  LivedExperienceArea,
  Modality,
  PlanStatus,
  ProgramType,
  RecoveryDomain,
  ReferralCategory,
  ReferralOutcome,
  ReferralStatus,
  ReferralTargetType,
  ReferralUrgency,
  RoleLevel,
  Setting,
  SignatureMethod,
  Specialization,
  StepOwner,
  StepStatus,
  SupportRole,
} from './codes';
import type { Contact, Identifier, Note, Signature } from './common';
import type { Consent, Recipient } from './consent';
import type { PeerEncounter } from './encounter';
import type { Attendee, GroupSession } from './group-session';
import type { IssueCode } from './issue-codes';
import type { Organization } from './organization';
import type { Coverage, Enrollment, Peer } from './peer';
import type { ClinicRecord } from './record';
import type { CrisisPlan, Goal, RecoveryPlan, Step, Support } from './recovery-plan';
import type { Referral } from './referral';
import type { Certification, ContinuingEducation, Specialist, SupervisionEntry } from './specialist';
import { dayOfWeek, fromEpochDay, isIsoDate, toDateParts, toEpochDay } from './calendar';
import { Random } from './internal/random';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Options of {@link generateClinic}. Only `seed` is required. */
export interface GenerateClinicOptions {
  /** Seed of the random generator: any safe integer. Same seed and options, identical output. */
  seed: number;
  /** Peers served. Default 50. */
  peers?: number;
  /** Peer support specialists, at least 1. Default `max(2, ceil(peers / 12))`. */
  specialists?: number;
  /** Weeks of encounters, group sessions and referrals, 1 to 1,040. Default 12. */
  weeks?: number;
  /** First day of the export window, `YYYY-MM-DD` (years 1900 to 2999). Default `'2026-01-05'`. */
  start?: string;
  /** Share of peers in the substance-use or co-occurring (42 CFR Part 2) programs, 0 to 1. Default 0.35. */
  part2Share?: number;
  /** Share of scheduled one-on-one encounters the peer does not attend, 0 to 1. Default 0.12. */
  noShowRate?: number;
  /** Deliberately invalid lines to plant in the NDJSON, see {@link InvalidSample}. Default 0. */
  invalid?: number;
  /**
   * Payer ids used in peer coverage, at least one. Default
   * `['medicaid-generic', 'medicare-pin', 'commercial-generic']`.
   */
  payers?: readonly string[];
}

/** A deliberately invalid NDJSON line, with the issue codes a validator must report for it. */
export interface InvalidSample {
  /** Index in `records` after which this line goes (-1 = before the first record). */
  afterIndex: number;
  /** The line's text exactly as written to the NDJSON file (no newline). */
  text: string;
  /** Issue codes a validator must report for this line (at least one). */
  expectedCodes: IssueCode[];
  /** What is wrong, for test names (no data values). */
  description: string;
}

/** A boundary, scope or crisis problem planted in the note text of a valid record. */
export interface PlantedProblem {
  recordKind: 'encounter' | 'group-session';
  recordId: string;
  /** what the safeguard checks should later find in the note text */
  kind:
    | 'crisis-mention'
    | 'diagnosing'
    | 'medication-advice'
    | 'dual-relationship'
    | 'financial-relationship'
    | 'excessive-self-disclosure'
    | 'romantic-boundary'
    | 'other-member-named';
}

/** What {@link generateClinic} returns. */
export interface GeneratedClinic {
  /**
   * Valid records (each passes `parseRecord`), in export order: the organization, specialists,
   * peers, recovery plans, consents, then encounters, group sessions and referrals in time order.
   */
  records: ClinicRecord[];
  /** Invalid lines to insert when writing the export, in `afterIndex` order. */
  invalid: InvalidSample[];
  /**
   * Problems planted in note text. Every note that mentions self-harm or suicide is listed as
   * `crisis-mention`, whether or not its encounter has `crisis.indicated`; no other note does.
   */
  planted: PlantedProblem[];
}

type PlantedKind = PlantedProblem['kind'];

const DEFAULT_PAYERS: readonly string[] = ['medicaid-generic', 'medicare-pin', 'commercial-generic'];
const MAX_WEEKS = 1040;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface Resolved {
  seed: number;
  peers: number;
  specialists: number;
  weeks: number;
  startDay: number;
  part2Share: number;
  noShowRate: number;
  invalid: number;
  payers: readonly string[];
}

function countOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new RangeError(`generateClinic: option ${name} must be an integer ${range}`);
  }
  return value;
}

function shareOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`generateClinic: option ${name} must be a number from 0 to 1`);
  }
  return value;
}

function startOption(value: unknown): number {
  if (value === undefined) return toEpochDay('2026-01-05');
  if (isIsoDate(value)) {
    const { year } = toDateParts(value);
    if (year >= 1900 && year <= 2999) return toEpochDay(value);
  }
  throw new RangeError('generateClinic: option start must be a calendar date YYYY-MM-DD from 1900 to 2999');
}

function resolveOptions(options: GenerateClinicOptions): Resolved {
  if (options === null || typeof options !== 'object') {
    throw new RangeError('generateClinic: options must be an object with a seed');
  }
  const seed = options.seed as unknown;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new RangeError('generateClinic: option seed must be a safe integer');
  }
  const peers = countOption('peers', options.peers, 50, 0);
  const specialists = countOption('specialists', options.specialists, Math.max(2, Math.ceil(peers / 12)), 1);
  const weeks = countOption('weeks', options.weeks, 12, 1, MAX_WEEKS);
  const invalid = countOption('invalid', options.invalid, 0, 0);
  const payers = (options.payers as unknown) ?? DEFAULT_PAYERS;
  if (
    !Array.isArray(payers) ||
    payers.length === 0 ||
    !payers.every((p: unknown) => typeof p === 'string' && p.trim() !== '' && p.length <= 100)
  ) {
    throw new RangeError('generateClinic: option payers must be a non-empty list of payer ids (1 to 100 characters)');
  }
  return {
    seed,
    peers,
    specialists,
    weeks,
    startDay: startOption(options.start),
    part2Share: shareOption('part2Share', options.part2Share, 0.35),
    noShowRate: shareOption('noShowRate', options.noShowRate, 0.12),
    invalid,
    payers: payers as readonly string[],
  };
}

// ---------------------------------------------------------------------------------------------
// Clock: days since 1970-01-01 (see ../calendar) and minutes since then, local time at a fixed
// UTC-05:00 offset
// ---------------------------------------------------------------------------------------------

const DAY = 1440;
const OFFSET = '-05:00';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Formats days and minutes, caching the strings of the days around the window. */
class Calendar {
  readonly endDay: number;
  readonly endMinute: number;
  private readonly cacheFrom: number;
  private readonly cache: (string | undefined)[];
  private readonly times: string[];

  constructor(
    readonly startDay: number,
    days: number,
  ) {
    this.endDay = startDay + days - 1;
    this.endMinute = (this.endDay + 1) * DAY - 1;
    this.cacheFrom = startDay - 1200;
    this.cache = new Array<string | undefined>(days + 2400);
    this.times = new Array<string>(DAY);
    for (let m = 0; m < DAY; m++) this.times[m] = `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
  }

  date(day: number): string {
    const i = day - this.cacheFrom;
    if (i < 0 || i >= this.cache.length) return fromEpochDay(day);
    return (this.cache[i] ??= fromEpochDay(day));
  }

  dateTime(minute: number): string {
    const day = Math.floor(minute / DAY);
    return `${this.date(day)}T${this.times[minute - day * DAY] as string}:00${OFFSET}`;
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(day: number): number {
    return dayOfWeek(this.date(day));
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic vocabulary (immutable)
// ---------------------------------------------------------------------------------------------

const GIVEN_NAMES = [
  'Avery', 'Jordan', 'Riley', 'Casey', 'Morgan', 'Quinn', 'Rowan', 'Skyler', 'Emerson', 'Finley',
  'Harper', 'Jamie', 'Kendall', 'Logan', 'Parker', 'Reese', 'Sage', 'Taylor', 'Dakota', 'Elliot',
  'Blake', 'Cameron', 'Drew', 'Hayden', 'Jesse', 'Kai', 'Lane', 'Marley', 'Noel', 'Peyton', 'Robin', 'Shay',
] as const;
const FAMILY_NAMES = [
  'Testperson', 'Sampleton', 'Exampleton', 'Mockwell', 'Demoson', 'Fixturely', 'Placeholder',
  'Synthwood', 'Dummington', 'Testwright', 'Samplewood', 'Fakeley',
] as const;

const ORG_NAME = 'Riverbend Peer Recovery Collective (synthetic)';
const ID_BASE = 'https://example.org/peerkit-demo';
const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

const PROGRAMS: readonly { id: string; name: string; type: ProgramType; part2: boolean; start: string }[] = [
  { id: 'prog-mh', name: 'Mental Health Peer Support', type: 'mental-health', part2: false, start: '2016-07-01' },
  { id: 'prog-sud', name: 'Recovery Coaching (substance use)', type: 'substance-use', part2: true, start: '2018-01-02' },
  { id: 'prog-cod', name: 'Co-occurring Recovery Supports', type: 'co-occurring', part2: true, start: '2020-03-02' },
];

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
const OTHER_LANGUAGES = ['vi', 'zh', 'ht', 'ru', 'ar'] as const;

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

const PLANTED_TEXT: Readonly<Record<EncounterPlantKind, readonly string[]>> = {
  'crisis-mention': [
    'Peer mentioned passive thoughts of suicide when talking about the eviction notice, then changed the subject.',
    'Peer said they have had thoughts of self-harm this week but asked not to talk about it.',
    'Peer said they sometimes think about hurting themselves when the nights get long.',
  ],
  diagnosing: [
    'Specialist told peer their mood swings sound like bipolar disorder and that they should ask the doctor for that diagnosis.',
    'Specialist said peer probably has ADHD and does not need more testing.',
    'Specialist told peer it is obvious they have PTSD from what they described.',
  ],
  'medication-advice': [
    'Specialist suggested peer cut their evening dose in half because of side effects, without checking with the prescriber.',
    'Specialist told peer they could stop taking their antidepressant once they feel better.',
    'Specialist recommended peer skip their medication on weekends.',
  ],
  'dual-relationship': [
    "Specialist offered peer paid weekend work at the specialist's side business.",
    "Specialist arranged for peer to rent a room from the specialist's cousin.",
    "Specialist invited peer to join the specialist's weekly poker game with friends.",
  ],
  'financial-relationship': [
    'Specialist lent peer $40 for groceries until payday.',
    'Peer asked to borrow money for the phone bill and specialist agreed.',
    'Specialist bought a used bike from peer for cash.',
  ],
  'excessive-self-disclosure': [
    'Specialist spent most of the session describing their own relapse history and divorce in detail; peer had little time to talk.',
    'Specialist talked at length about their own time in treatment, including family conflicts, for over half the visit.',
  ],
  'romantic-boundary': [
    'Specialist and peer exchanged personal numbers and talked about meeting for dinner this weekend.',
    'Specialist told peer they find them attractive and suggested a date.',
  ],
};
type EncounterPlantKind = Exclude<PlantedKind, 'other-member-named'>;
const ENCOUNTER_PLANT_CYCLE: readonly EncounterPlantKind[] = [
  'diagnosing',
  'crisis-mention',
  'medication-advice',
  'financial-relationship',
  'excessive-self-disclosure',
  'dual-relationship',
  'romantic-boundary',
];
const GROUP_PLANT_CYCLE: readonly PlantedKind[] = [
  'other-member-named',
  'crisis-mention',
  'other-member-named',
  'excessive-self-disclosure',
];
const GROUP_SELF_DISCLOSURE =
  'Facilitator spent most of the group telling their own recovery story in detail; members had little time to share.';

const GROUP_TOPIC_WEIGHTS: Readonly<Record<ProgramType, readonly number[]>> = {
  // wrap, relapse-prevention, coping, stories, employment, housing, family, whole-health, self-advocacy, other
  'mental-health': [18, 3, 18, 10, 8, 7, 8, 14, 10, 4],
  'substance-use': [6, 22, 14, 16, 8, 8, 8, 8, 6, 4],
  'co-occurring': [12, 16, 16, 12, 8, 8, 8, 10, 6, 4],
};
const GROUP_TOPIC_CODES: readonly GroupTopic[] = [
  'wellness-recovery-action-plan', 'relapse-prevention', 'coping-skills', 'recovery-stories', 'employment',
  'housing', 'family', 'whole-health', 'self-advocacy', 'other',
];
const GROUP_TITLES: Readonly<Record<GroupTopic, readonly string[]>> = {
  'wellness-recovery-action-plan': ['WRAP group', 'WRAP: daily maintenance plan'],
  'relapse-prevention': ['Relapse prevention group', 'Staying on track: triggers and plans'],
  'coping-skills': ['Coping skills group', 'Grounding and calming skills'],
  'recovery-stories': ['Recovery stories circle', 'Sharing our stories'],
  employment: ['Work and school group', 'Job search support'],
  housing: ['Housing search support', 'Keeping your home'],
  family: ['Family and relationships', 'Healthy boundaries with family'],
  'whole-health': ['Whole health and self-care', 'Sleep, food and movement'],
  'self-advocacy': ['Speaking up for yourself', 'Self-advocacy group'],
  other: ['Open peer support group', 'Art and recovery'],
};
const GROUP_NOTES = [
  'Group discussed the topic, shared what has worked for them and each member set one intention for the week.',
  'Facilitators introduced the topic with a short exercise; members practiced in pairs and debriefed together.',
  'Members shared updates, then worked through the handout on the topic; good participation overall.',
] as const;
const ATTENDEE_NOTES = [
  'Peer participated actively and shared one strategy that helps them.',
  'Peer listened for most of the group and shared briefly near the end.',
  'Peer set an intention for the week and asked for the handout.',
  'Peer offered encouragement to others and said the group felt supportive.',
  'Peer practiced the exercise and said they would try it at home.',
] as const;
const LATE_NOTE = 'Peer arrived late and joined the second half of the discussion.';
const LEFT_EARLY_NOTE = 'Peer left early for another appointment after sharing an update.';
const CANCELLED_GROUP_NOTES = [
  'Session cancelled: facilitator unavailable; members notified by text.',
  'Session cancelled because of weather; members notified.',
] as const;

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

const REFERRAL_REASONS_BY_STATUS: Readonly<Partial<Record<ReferralStatus, readonly string[]>>> = {
  'on-hold': ['Waiting for documents from the peer', 'Peer asked to pause for now'],
  rejected: ['Service at capacity', 'Outside the service area'],
  failed: ['No response after three attempts', 'Service phone line disconnected'],
  cancelled: ['Peer found another option', 'Peer no longer needs the service'],
};

const METHODS: readonly SignatureMethod[] = ['electronic', 'wet', 'verbal'];
const METHOD_WEIGHTS = [60, 30, 10];

// ---------------------------------------------------------------------------------------------
// Working state of one generation (never shared between calls)
// ---------------------------------------------------------------------------------------------

interface SpecInfo {
  readonly index: number;
  readonly id: string;
  readonly role: RoleLevel;
  readonly supervisorId: string | undefined;
  readonly spanish: boolean;
  assigned: number;
  record?: Specialist;
}

interface PlanInfo {
  readonly id: string;
  readonly startDay: number;
  readonly endDay: number | undefined;
  /** Goals an encounter may address (proposed, active or on hold). */
  readonly workable: readonly { id: string; domain: RecoveryDomain }[];
}

interface ConsentInfo {
  readonly id: string;
  readonly from: number;
  readonly until: number;
}

interface PeerInfo {
  readonly index: number;
  readonly id: string;
  readonly youth: boolean;
  readonly program: (typeof PROGRAMS)[number];
  readonly enrollStart: number;
  readonly enrollEnd: number | undefined;
  readonly spec: SpecInfo;
  readonly record: Peer;
  plan?: PlanInfo;
  consents: ConsentInfo[];
}

interface Ctx {
  readonly rng: Random;
  readonly cal: Calendar;
  readonly o: Resolved;
  readonly specs: SpecInfo[];
  readonly supervisors: SpecInfo[];
  readonly peers: PeerInfo[];
  readonly planted: PlantedProblem[];
  readonly cancelRate: number;
  encounterSeq: number;
  groupSeq: number;
  referralSeq: number;
  consentSeq: number;
  encounterPlants: number;
  groupPlants: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function personName(rng: Random): { given: string; family: string } {
  return { given: rng.pick(GIVEN_NAMES), family: rng.pick(FAMILY_NAMES) };
}

/** A phone number in the fictional 555-0100 to 555-0199 range. */
function phone(rng: Random): string {
  return `215-555-01${pad(rng.int(0, 99), 2)}`;
}

/** A synthetic 10-digit NPI-shaped number with a valid check digit (Luhn over the 80840 prefix). */
function npi(rng: Random): string {
  const body = `${rng.int(1, 2)}${rng.digits(8)}`;
  const digits = `80840${body}`;
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A minute at or after `from`, within `days` days, in working hours (08:00 to 19:00) when it can be. */
function workMinuteAfter(rng: Random, from: number, days: number): number {
  const t = (Math.floor(from / DAY) + rng.int(0, days)) * DAY + rng.int(8 * 60, 19 * 60);
  return t >= from ? t : from + rng.int(1, 60);
}

function method(rng: Random): SignatureMethod {
  return rng.weighted(METHODS, METHOD_WEIGHTS);
}

/** Picks `min` to `max` distinct items of a short list. */
function some<T>(rng: Random, items: readonly T[], min: number, max: number): T[] {
  return rng.sample(items, rng.int(min, max));
}

// ---------------------------------------------------------------------------------------------
// Organization and specialists
// ---------------------------------------------------------------------------------------------

function buildOrganization(rng: Random): Organization {
  return {
    kind: 'organization',
    id: 'org-riverbend',
    name: ORG_NAME,
    identifiers: [
      { system: NPI_SYSTEM, value: npi(rng) },
      { system: `${ID_BASE}/tin`, value: `00-${rng.digits(7)}` },
      { system: `${ID_BASE}/state-license`, value: `PSS-${rng.digits(5)}` },
    ],
    identifierSystem: `${ID_BASE}/id`,
    state: 'PA',
    phone: '215-555-0100',
    programs: PROGRAMS.map((p) => ({ id: p.id, name: p.name, type: p.type, part2: p.part2, start: p.start })),
  };
}

const ROLE_PATTERN: readonly RoleLevel[] = [
  'specialist', 'trainee', 'senior', 'specialist', 'specialist', 'trainee', 'senior', 'specialist',
];

function planSpecialists(ctx: Ctx): void {
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

type ExpiryPlan = 'before' | 'during' | 'after';

function certification(
  ctx: Ctx,
  credential: Credential,
  expiry: ExpiryPlan,
): Certification {
  const { rng, cal } = ctx;
  const info = CREDENTIALS[credential];
  const cycle = rng.chance(0.7) ? 730 : 365;
  // Issued before the window where the renewal cycle allows it: never after the export was taken.
  const expires =
    expiry === 'before'
      ? cal.startDay - rng.int(20, 400)
      : expiry === 'during'
        ? rng.int(cal.startDay, cal.endDay)
        : rng.int(cal.endDay + 1, Math.max(cal.endDay + 1, cal.startDay + cycle - 1));
  const cert: Certification = {
    credential,
    issuer: info.issuer,
    number: `${info.prefix}-${rng.digits(6)}`,
    issued: cal.date(expires - cycle),
    expires: cal.date(expires),
  };
  if (info.state) cert.state = 'PA';
  return cert;
}

function buildSpecialist(ctx: Ctx, info: SpecInfo, forcedExpiry: ExpiryPlan | undefined): Specialist {
  const { rng, cal, o } = ctx;
  const role = info.role;
  const hiredDay =
    cal.startDay -
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
        issued: cal.date(hiredDay - rng.int(7, 60)),
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
  const ceFrom = Math.max(hiredDay, cal.startDay - 700);
  const ceDays: number[] = [];
  for (let i = rng.int(role === 'trainee' ? 1 : 2, 6); i > 0; i--) ceDays.push(rng.int(ceFrom, cal.endDay));
  ceDays.sort((a, b) => a - b);
  for (const day of ceDays) {
    const topic = rng.pick(CE_TOPICS);
    continuingEducation.push({
      date: cal.date(day),
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
        date: cal.date(cal.startDay + w * 7 + rng.int(0, 4)),
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
    hired: cal.date(hiredDay),
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

// ---------------------------------------------------------------------------------------------
// Peers
// ---------------------------------------------------------------------------------------------

const ROLE_WEIGHT: Readonly<Record<RoleLevel, number>> = { supervisor: 0.35, trainee: 0.6, specialist: 1, senior: 1.15 };

function buildPeers(ctx: Ctx): void {
  const { rng, cal, o } = ctx;
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
    const birthDay = cal.startDay - Math.floor(age * 365.25) - rng.int(1, 360);
    const youth = age < 18;

    const lateJoiner = rng.chance(0.15);
    const enrollStart = lateJoiner
      ? cal.startDay + rng.int(0, Math.floor(days * 0.66))
      : cal.startDay - rng.int(7, youth ? 300 : 720);
    const enrollEnd = !lateJoiner && days > 21 && rng.chance(0.05) ? cal.startDay + rng.int(14, days - 1) : undefined;

    const enrollments: Enrollment[] = [];
    if (isPart2 && !lateJoiner && !youth && rng.chance(0.2)) {
      const end = enrollStart - rng.int(1, 60);
      enrollments.push({
        programId: 'prog-mh',
        programType: 'mental-health',
        start: cal.date(end - rng.int(120, 900)),
        end: cal.date(end),
      });
    }
    const current: Enrollment = { programId: program.id, programType: program.type, start: cal.date(enrollStart) };
    if (enrollEnd !== undefined) current.end = cal.date(enrollEnd);
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
        start: cal.date(Math.min(enrollStart, cal.startDay) - rng.int(0, 400)),
      };
      coverage.push(first);
      if (o.payers.length > 1 && days > 14 && rng.chance(0.06)) {
        const switchDay = cal.startDay + rng.int(7, days - 1);
        first.end = cal.date(switchDay - 1);
        coverage.push({
          payerId: o.payers[(payerIndex + 1) % o.payers.length] as string,
          memberId: `M${rng.digits(9)}`,
          start: cal.date(switchDay),
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
    if (rng.chance(0.97)) record.birthDate = cal.date(birthDay);
    if (language !== undefined) record.preferredLanguage = language;

    ctx.peers.push({ index: i, id, youth, program, enrollStart, enrollEnd, spec, record, consents: [] });
  }
}

// ---------------------------------------------------------------------------------------------
// Recovery plans
// ---------------------------------------------------------------------------------------------

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

function buildPlan(ctx: Ctx, peer: PeerInfo): RecoveryPlan {
  const { rng, cal } = ctx;
  const id = `plan-${peer.id.slice(5)}`;
  let status: PlanStatus;
  if (peer.enrollEnd !== undefined) status = rng.chance(0.6) ? 'completed' : 'revoked';
  else if (peer.enrollStart > cal.endDay - 14) status = 'draft';
  else status = rng.weighted<PlanStatus>(['active', 'draft', 'on-hold', 'completed', 'revoked'], [80, 6, 5, 6, 3]);

  let startDay: number;
  let endDay: number | undefined;
  if (status === 'draft') {
    startDay = Math.min(cal.endDay, Math.max(peer.enrollStart + rng.int(0, 7), cal.endDay - rng.int(0, 30)));
  } else if (status === 'completed' || status === 'revoked') {
    startDay = Math.max(peer.enrollStart + rng.int(0, 10), cal.startDay - rng.int(60, 300));
    startDay = Math.min(startDay, cal.endDay);
    endDay = peer.enrollEnd ?? rng.int(Math.max(startDay, cal.startDay), cal.endDay);
    if (endDay < startDay) endDay = startDay;
  } else {
    startDay = Math.min(cal.endDay, Math.max(peer.enrollStart + rng.int(0, 10), cal.startDay - rng.int(0, 150)));
    if (rng.chance(0.6)) endDay = startDay + (startDay + 180 > cal.endDay && rng.chance(0.5) ? 180 : 365);
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
    goal.start = cal.date(goalStart);
    if (rng.chance(0.9)) {
      const target = endDay !== undefined ? rng.int(goalStart, endDay) : goalStart + rng.int(60, 300);
      goal.target = cal.date(target);
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
        step.due = cal.date(due);
      }
      let stepStatus: StepStatus;
      if (status === 'draft') stepStatus = 'not-started';
      else if (status === 'completed' || status === 'revoked') stepStatus = rng.chance(0.7) ? 'completed' : 'cancelled';
      else if (due !== undefined && due < cal.endDay) {
        stepStatus = rng.weighted<StepStatus>(['completed', 'in-progress', 'cancelled', 'on-hold'], [55, 25, 10, 10]);
      } else stepStatus = rng.weighted<StepStatus>(['not-started', 'in-progress', 'completed'], [45, 45, 10]);
      step.status = stepStatus;
      if (stepStatus === 'completed') {
        const latest = Math.max(startDay, Math.min(cal.endDay, due ?? cal.endDay, endDay ?? cal.endDay));
        step.completedOn = cal.date(rng.int(startDay, latest));
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
    const signature: Signature = { role, signedAt: cal.dateTime(workMinuteAfter(rng, createdMinute, 3)), method: method(rng) };
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
    created: cal.dateTime(createdMinute),
    period: endDay === undefined ? { start: cal.date(startDay) } : { start: cal.date(startDay), end: cal.date(endDay) },
    strengths: some(rng, STRENGTHS, 1, 4),
    goals,
    steps,
    supports,
    signatures,
  };
  if (status !== 'completed' && status !== 'revoked') plan.reviewDue = cal.date(startDay + 90);
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
      reviewed: cal.date(startDay + rng.int(0, Math.max(0, Math.min(60, cal.endDay - startDay)))),
    };
    plan.crisisPlan = crisisPlan;
  }

  peer.plan = { id, startDay, endDay, workable };
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Consents
// ---------------------------------------------------------------------------------------------

type ConsentScenario = 'current' | 'expired' | 'revoked' | 'draft' | 'rejected';
const FORCED_SCENARIOS: readonly ConsentScenario[] = ['expired', 'revoked', 'draft', 'rejected', 'current'];
type MissingElement = 'right-to-revoke' | 'expiration' | 'purposes' | 'discloser' | 'redisclosure' | 'information';
const MISSING_ELEMENTS: readonly MissingElement[] = [
  'right-to-revoke', 'expiration', 'purposes', 'discloser', 'redisclosure', 'information',
];

function buildConsent(ctx: Ctx, peer: PeerInfo, kind: ConsentKind, forceMissing: boolean): Consent {
  const { rng, cal } = ctx;
  const seq = ctx.consentSeq++;
  const id = `consent-${pad(seq + 1, 6)}`;
  let scenario: ConsentScenario =
    seq < FORCED_SCENARIOS.length
      ? (FORCED_SCENARIOS[seq] as ConsentScenario)
      : rng.weighted<ConsentScenario>(['current', 'expired', 'revoked', 'draft', 'rejected'], [66, 11, 9, 7, 7]);

  let signedDay = 0;
  let expiresDay: number | undefined;
  if (scenario === 'expired') {
    expiresDay = rng.int(cal.startDay - 45, cal.endDay - 1);
    let length = rng.chance(0.6) ? 365 : 180;
    if (expiresDay - length < peer.enrollStart) length = expiresDay - peer.enrollStart;
    if (length < 30) scenario = 'current';
    else signedDay = expiresDay - length;
  }
  if (scenario === 'current') {
    signedDay = rng.int(Math.max(peer.enrollStart, cal.endDay - 330), cal.endDay);
    // Single TPO consents often run until revoked; disclosures to named recipients are shorter.
    const dated = rng.chance(kind === 'part2-tpo' ? 0.5 : 0.8);
    expiresDay = dated ? signedDay + (kind === 'part2-disclosure' && rng.chance(0.5) ? 180 : 365) : undefined;
    if (expiresDay !== undefined && expiresDay <= cal.endDay) expiresDay = signedDay + 365;
  } else if (scenario === 'revoked') {
    signedDay = rng.int(Math.max(peer.enrollStart, cal.startDay - 200), cal.endDay - 1);
    if (signedDay >= cal.endDay) signedDay = cal.endDay - 1;
    expiresDay = rng.chance(0.7) ? signedDay + 365 : undefined;
  } else if (scenario === 'draft' || scenario === 'rejected') {
    signedDay = Math.max(peer.enrollStart, cal.endDay - rng.int(0, 40));
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
    else {
      const n = personName(rng);
      recipients.push({
        type: 'individual',
        name: `${n.given} ${n.family}`,
        identifier: { system: `${ID_BASE}/contact`, value: slug(`${n.given} ${n.family}`) },
        description: rng.pick(['Probation officer', 'Family member', 'Case manager']),
      });
    }
    purposes = rng.pick<ConsentPurpose[]>([['care-coordination'], ['treatment', 'care-coordination'], ['patient-request']]);
    dataCategories = [
      'substance-use',
      ...some<DataCategory>(rng, ['progress-notes', 'attendance', 'recovery-plan', 'referrals'], 1, 3),
    ];
  } else {
    if (rng.chance(0.6)) recipients.push(namedOrganization(rng.pick(PARTNER_ORGS)));
    else {
      const n = personName(rng);
      recipients.push({
        type: 'individual',
        name: `${n.given} ${n.family}`,
        identifier: { system: `${ID_BASE}/contact`, value: slug(`${n.given} ${n.family}`) },
        description: 'Family member',
      });
    }
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
    period: { start: cal.date(signedDay) },
    rightToRevokeStatement: missing !== 'right-to-revoke',
    redisclosureNotice: part2 ? missing !== 'redisclosure' : rng.chance(0.5),
  };
  if (missing !== 'discloser') consent.discloser = { name: ORG_NAME, organizationId: 'org-riverbend' };
  if (missing !== 'information' && rng.chance(0.85)) consent.informationDescription = rng.pick(CONSENT_INFO[kind]);
  if (missing !== 'expiration') {
    if (expiresDay !== undefined) {
      consent.expiration = rng.chance(0.3)
        ? { date: cal.date(expiresDay), event: 'Discharge from the program' }
        : { date: cal.date(expiresDay) };
      if (rng.chance(0.5)) consent.period.end = cal.date(expiresDay);
    } else {
      consent.expiration = { event: kind === 'part2-tpo' ? 'None: until I revoke this consent' : 'Discharge from the program' };
    }
  }

  const signedMinute = signedDay * DAY + rng.int(9 * 60, 17 * 60);
  if (status === 'active' || status === 'revoked') {
    consent.signature = {
      signer: peer.youth ? 'guardian' : rng.chance(0.95) ? 'peer' : 'personal-representative',
      signedAt: cal.dateTime(signedMinute),
      method: rng.weighted<SignatureMethod>(['electronic', 'wet', 'verbal'], [55, 40, 5]),
    };
  }
  let until = expiresDay !== undefined ? (expiresDay + 1) * DAY : Number.POSITIVE_INFINITY;
  if (status === 'revoked') {
    const revokedDay = rng.int(Math.max(signedDay + 1, cal.startDay), cal.endDay);
    const revokedMinute = revokedDay * DAY + rng.int(9 * 60, 17 * 60);
    consent.revocation = { date: cal.dateTime(revokedMinute), method: rng.chance(0.7) ? 'wet' : 'electronic' };
    until = Math.min(until, revokedMinute);
  }
  if (status === 'active' || status === 'revoked') peer.consents.push({ id, from: signedMinute, until });
  return consent;
}

function buildConsents(ctx: Ctx, peer: PeerInfo, out: ClinicRecord[], state: { missingForced: boolean }): void {
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

// ---------------------------------------------------------------------------------------------
// Encounters, group sessions and referrals
// ---------------------------------------------------------------------------------------------

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

interface Slot {
  readonly t: number;
  readonly seq: number;
  /** 0 = encounter, 1 = group session, 2 = referral outside an encounter. */
  readonly type: 0 | 1 | 2;
  readonly peer: number;
}

function isEnrolled(peer: PeerInfo, day: number): boolean {
  return day >= peer.enrollStart && (peer.enrollEnd === undefined || day <= peer.enrollEnd);
}

function planOn(peer: PeerInfo, day: number): PlanInfo | undefined {
  const plan = peer.plan;
  if (!plan || day < plan.startDay || (plan.endDay !== undefined && day > plan.endDay)) return undefined;
  return plan;
}

function consentAt(peer: PeerInfo, minute: number): string | undefined {
  for (const c of peer.consents) if (c.from <= minute && minute < c.until) return c.id;
  return undefined;
}

function plant(ctx: Ctx, recordKind: PlantedProblem['recordKind'], recordId: string, kind: PlantedKind): void {
  ctx.planted.push({ recordKind, recordId, kind });
}

function otherMemberSentence(rng: Random): string {
  const n = personName(rng);
  return rng.chance(0.5)
    ? `Peer and group member ${n.given} ${n.family} plan to carpool to next week's session.`
    : `Peer offered support to group member ${n.given} ${n.family} after they shared about losing housing.`;
}

interface ReferralPlan {
  category: ReferralCategory;
  encounterId?: string;
  crisis: boolean;
}

function buildReferral(ctx: Ctx, peer: PeerInfo, specialistId: string, createdMinute: number, spec: ReferralPlan): Referral {
  const { rng, cal } = ctx;
  const target = REFERRAL_TARGETS[spec.category];
  const id = `ref-${pad(++ctx.referralSeq, 6)}`;
  const referral: Referral = {
    kind: 'referral',
    id,
    peerId: peer.id,
    specialistId,
    created: cal.dateTime(createdMinute),
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
  if (closing && closedAt > cal.endMinute) {
    // Not closed yet when the export was taken: still open.
    status = spec.crisis ? 'in-progress' : rng.pick<ReferralStatus>(['requested', 'accepted', 'in-progress']);
  } else if (closing) {
    referral.closedAt = cal.dateTime(closedAt);
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

function routineCategory(rng: Random, peer: PeerInfo): ReferralCategory {
  if (rng.chance(0.72)) return rng.weighted(COMMUNITY_CATEGORIES, COMMUNITY_WEIGHTS);
  return rng.pick(peer.program.part2 ? CLINICAL_SUD : CLINICAL_MH);
}

function note(ctx: Ctx, text: string, specialist: SpecInfo, endMinute: number, allowDraft: boolean): Note {
  const { rng, cal } = ctx;
  if (allowDraft && rng.chance(0.01)) return { text };
  const signedMinute = rng.chance(0.9)
    ? endMinute + rng.int(5, 180)
    : (Math.floor(endMinute / DAY) + 1) * DAY + rng.int(8 * 60, 12 * 60);
  const n: Note = { text, signedAt: cal.dateTime(signedMinute), signedBy: specialist.id };
  if (specialist.role === 'trainee' && specialist.supervisorId !== undefined && rng.chance(0.88)) {
    n.cosignedAt = cal.dateTime(workMinuteAfter(rng, signedMinute + 30, 2));
    n.cosignedBy = specialist.supervisorId;
  }
  return n;
}

/** A referral made during an encounter, held back until the timeline reaches its creation time. */
interface PendingReferral {
  readonly t: number;
  readonly referral: Referral;
}

function buildEncounter(ctx: Ctx, peer: PeerInfo, startMinute: number, pending: PendingReferral[]): PeerEncounter {
  const { rng, cal } = ctx;
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
    start: cal.dateTime(startMinute),
    modality,
    setting,
    activities: [],
    goalIds: [],
    referralIds: [],
  };
  const plan = planOn(peer, day);
  if (plan) encounter.planId = plan.id;

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
  if (timing < 0.96) encounter.end = cal.dateTime(endMinute);
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

/** Weights of 0, 1 and 2 one-on-one encounters per peer per week (about 0.94 a week). */
const ENCOUNTERS_PER_WEEK = [30, 46, 24];

const GROUP_STARTS = [10 * 60, 13 * 60, 15 * 60 + 30, 17 * 60 + 30, 18 * 60];
const GROUP_LENGTHS = [60, 75, 90, 90, 120];

function buildGroupSession(
  ctx: Ctx,
  startMinute: number,
  pools: readonly (readonly PeerInfo[])[],
  leads: readonly SpecInfo[],
): GroupSession | undefined {
  const { rng, cal } = ctx;
  const day = Math.floor(startMinute / DAY);
  // Groups meet in programs with enough members; in a tiny clinic, wherever there is anyone.
  const roomy = pools.some((p) => p.length >= 3);
  const sizes = pools.map((p) => (roomy && p.length < 3 ? 0 : p.length));
  if (sizes.every((s) => s === 0)) return undefined;
  const programIndex = rng.weightedIndex(sizes);
  const program = PROGRAMS[programIndex] ?? PROGRAMS[0];
  const pool = pools[programIndex] ?? [];
  if (!program) return undefined;

  const wanted = rng.int(3, 14);
  const members: PeerInfo[] = [];
  const seen = new Set<number>();
  for (let attempt = 0; attempt < wanted * 6 && members.length < wanted && seen.size < pool.length; attempt++) {
    const k = rng.int(0, pool.length - 1);
    if (seen.has(k)) continue;
    seen.add(k);
    const candidate = pool[k] as PeerInfo;
    if (isEnrolled(candidate, day)) members.push(candidate);
  }
  if (members.length === 0) return undefined;

  const lead = rng.pick(leads);
  const facilitators = [lead];
  if (ctx.specs.length > 1 && rng.chance(0.4)) {
    const co = ctx.specs[rng.int(0, ctx.specs.length - 1)] as SpecInfo;
    if (co !== lead) facilitators.push(co);
  }
  const topic = rng.weighted(GROUP_TOPIC_CODES, GROUP_TOPIC_WEIGHTS[program.type]);
  const length = rng.pick(GROUP_LENGTHS);
  const endMinute = startMinute + length;
  const status = rng.chance(0.07) ? 'cancelled' : 'completed';
  const modalityRoll = rng.next();
  const modality: Modality = modalityRoll < 0.7 ? 'in-person' : modalityRoll < 0.95 ? 'video' : 'audio-only';
  const setting: Setting =
    modality === 'in-person' ? rng.weighted<Setting>(['recovery-center', 'clinic', 'community'], [50, 30, 20]) : 'home';
  const id = `grp-${pad(++ctx.groupSeq, 5)}`;

  const draws: Attendance[] = members.map(() =>
    status === 'cancelled'
      ? rng.chance(0.7)
        ? 'excused'
        : 'absent'
      : rng.weighted<Attendance>(['present', 'late', 'left-early', 'absent', 'excused'], [74, 8, 7, 7, 4]),
  );
  // A held session has somebody there: when the draw says nobody, the first member came.
  if (status === 'completed' && !draws.some((a) => a !== 'absent' && a !== 'excused')) draws[0] = 'present';

  const attendees: Attendee[] = [];
  members.forEach((member, i) => {
    const attendance = draws[i] as Attendance;
    const attendee: Attendee = { peerId: member.id, attendance };
    if (attendance === 'absent' || attendance === 'excused') {
      if (status === 'completed' && rng.chance(0.5)) attendee.minutesPresent = 0;
    } else {
      const missed = attendance === 'present' ? rng.int(0, 3) : attendance === 'late' ? rng.int(5, 30) : rng.int(10, 45);
      attendee.minutesPresent = Math.max(1, length - missed);
      const text = attendance === 'late' ? LATE_NOTE : attendance === 'left-early' ? LEFT_EARLY_NOTE : rng.pick(ATTENDEE_NOTES);
      attendee.note = groupNote(ctx, text, rng.pick(facilitators), endMinute);
    }
    attendees.push(attendee);
  });

  const session: GroupSession = {
    kind: 'group-session',
    id,
    programId: program.id,
    programType: program.type,
    facilitatorIds: facilitators.map((f) => f.id),
    topic,
    status,
    start: cal.dateTime(startMinute),
    end: cal.dateTime(endMinute),
    modality,
    setting,
    attendees,
  };
  if (rng.chance(0.8)) session.title = rng.pick(GROUP_TITLES[topic]);

  if (status === 'cancelled') {
    if (rng.chance(0.6)) {
      session.groupNote = groupNote(ctx, rng.pick(CANCELLED_GROUP_NOTES), lead, startMinute - rng.int(30, 240));
    }
    return session;
  }
  let groupText: string = rng.pick(GROUP_NOTES);
  const attended = attendees.filter((a) => a.note !== undefined);
  // The first held session with notes always carries one, so every clinic with groups has an example.
  if (attended.length > 0 && (ctx.groupPlants === 0 || rng.chance(0.06))) {
    const kind = GROUP_PLANT_CYCLE[ctx.groupPlants++ % GROUP_PLANT_CYCLE.length] as PlantedKind;
    if (kind === 'excessive-self-disclosure') groupText = `${GROUP_SELF_DISCLOSURE} ${groupText}`;
    else {
      const target = rng.pick(attended);
      const sentence = kind === 'crisis-mention' ? rng.pick(PLANTED_TEXT['crisis-mention']) : otherMemberSentence(rng);
      if (target.note) target.note = { ...target.note, text: `${target.note.text} ${sentence}` };
    }
    plant(ctx, 'group-session', id, kind);
  }
  session.groupNote = groupNote(ctx, groupText, lead, endMinute);
  return session;
}

function groupNote(ctx: Ctx, text: string, signer: SpecInfo, afterMinute: number): Note {
  return { text, signedAt: ctx.cal.dateTime(afterMinute + ctx.rng.int(10, 240)), signedBy: signer.id };
}

function buildTimeline(ctx: Ctx, out: ClinicRecord[]): void {
  const { rng, cal, o } = ctx;
  const weekdayWeight = [0.03, 1, 1, 1, 1, 1, 0.15];
  const offsetWeights = Array.from({ length: 7 }, (_, k) => weekdayWeight[cal.weekday(cal.startDay + k)] as number);
  const businessOffsets = Array.from({ length: 7 }, (_, k) => k).filter((k) => {
    const wd = cal.weekday(cal.startDay + k);
    return wd >= 1 && wd <= 5;
  });
  const pools = PROGRAMS.map((p) => ctx.peers.filter((peer) => peer.program.id === p.id));
  // Trainees do not lead groups; with a single specialist, that one leads.
  const nonTrainees = ctx.specs.filter((s) => s.role !== 'trainee');
  const leads = nonTrainees.length > 0 ? nonTrainees : ctx.specs;
  const slots: Slot[] = [];
  const pending: PendingReferral[] = [];

  const flush = (until: number): void => {
    if (pending.length === 0) return;
    pending.sort((a, b) => a.t - b.t);
    let kept = 0;
    for (const p of pending) {
      if (p.t <= until) out.push(p.referral);
      else pending[kept++] = p;
    }
    pending.length = kept;
  };

  for (let w = 0; w < o.weeks; w++) {
    const weekStart = cal.startDay + w * 7;
    slots.length = 0;
    let seq = 0;
    for (let g = rng.int(1, 3); g > 0; g--) {
      const day = weekStart + rng.pick(businessOffsets);
      slots.push({ t: day * DAY + rng.pick(GROUP_STARTS), seq: seq++, type: 1, peer: -1 });
    }
    for (const peer of ctx.peers) {
      if (peer.enrollStart > weekStart + 6 || (peer.enrollEnd !== undefined && peer.enrollEnd < weekStart)) continue;
      const count = rng.weightedIndex(ENCOUNTERS_PER_WEEK);
      for (let k = 0; k < count; k++) {
        const day = weekStart + rng.weightedIndex(offsetWeights);
        if (!isEnrolled(peer, day)) continue;
        slots.push({ t: day * DAY + 8 * 60 + 15 * rng.int(0, 42), seq: seq++, type: 0, peer: peer.index });
      }
      if (rng.chance(0.004)) {
        const day = weekStart + rng.pick(businessOffsets);
        if (isEnrolled(peer, day)) slots.push({ t: day * DAY + rng.int(9 * 60, 17 * 60), seq: seq++, type: 2, peer: peer.index });
      }
    }
    slots.sort((a, b) => a.t - b.t || a.seq - b.seq);
    for (const slot of slots) {
      // Referrals made during an earlier encounter go out once the timeline reaches their time.
      flush(slot.t);
      if (slot.type === 1) {
        const session = buildGroupSession(ctx, slot.t, pools, leads);
        if (session) out.push(session);
        continue;
      }
      const peer = ctx.peers[slot.peer] as PeerInfo;
      if (slot.type === 0) out.push(buildEncounter(ctx, peer, slot.t, pending));
      else out.push(buildReferral(ctx, peer, peer.spec.id, slot.t, { category: routineCategory(rng, peer), crisis: false }));
    }
    flush(Number.POSITIVE_INFINITY);
  }
}

// ---------------------------------------------------------------------------------------------
// Invalid samples
// ---------------------------------------------------------------------------------------------

type BrokenKind =
  | 'invalid-json'
  | 'not-object'
  | 'missing-kind'
  | 'unknown-kind'
  | 'missing-required'
  | 'wrong-type'
  | 'bad-enum'
  | 'bad-date'
  | 'unknown-field'
  | 'end-before-start'
  | 'minutes-exceed-session'
  | 'expiry-before-signature'
  | 'revocation-missing'
  | 'duplicate-id';

const BROKEN_KINDS: readonly BrokenKind[] = [
  'invalid-json', 'not-object', 'missing-kind', 'unknown-kind', 'missing-required', 'wrong-type', 'bad-enum',
  'bad-date', 'unknown-field', 'end-before-start', 'minutes-exceed-session', 'expiry-before-signature',
  'revocation-missing', 'duplicate-id',
];

interface Templates {
  peerId: string;
  specialistId: string;
  programId: string;
  programType: ProgramType;
  startMinute: number;
}

function templateEncounter(t: Templates, cal: Calendar, id: string): Record<string, unknown> {
  return {
    kind: 'encounter',
    id,
    peerId: t.peerId,
    specialistId: t.specialistId,
    programId: t.programId,
    programType: t.programType,
    status: 'completed',
    start: cal.dateTime(t.startMinute),
    end: cal.dateTime(t.startMinute + 45),
    durationMinutes: 45,
    modality: 'in-person',
    setting: 'clinic',
    activities: ['emotional-support'],
    note: {
      text: 'Met in the peer support office. Peer said the visit helped.',
      signedAt: cal.dateTime(t.startMinute + 60),
      signedBy: t.specialistId,
    },
  };
}

function templatePeer(t: Templates, cal: Calendar, id: string): Record<string, unknown> {
  return {
    kind: 'peer',
    id,
    patient: { reference: `Patient/ehr-${id}` },
    birthDate: cal.date(cal.startDay - 12000),
    enrollments: [{ programId: t.programId, programType: t.programType, start: cal.date(cal.startDay - 30) }],
  };
}

function templateConsent(t: Templates, cal: Calendar, id: string): Record<string, unknown> {
  const signedDay = cal.startDay - 20;
  return {
    kind: 'consent',
    id,
    peerId: t.peerId,
    consentKind: 'part2-tpo',
    status: 'active',
    recipients: [{ type: 'general-designation', description: 'My treating providers' }],
    purposes: ['treatment', 'payment', 'operations'],
    period: { start: cal.date(signedDay) },
    expiration: { date: cal.date(signedDay + 365) },
    rightToRevokeStatement: true,
    redisclosureNotice: true,
    signature: { signer: 'peer', signedAt: cal.dateTime(signedDay * DAY + 600), method: 'electronic' },
  };
}

function templateGroup(t: Templates, cal: Calendar, id: string): Record<string, unknown> {
  return {
    kind: 'group-session',
    id,
    programId: t.programId,
    programType: t.programType,
    facilitatorIds: [t.specialistId],
    topic: 'coping-skills',
    status: 'completed',
    start: cal.dateTime(t.startMinute),
    end: cal.dateTime(t.startMinute + 90),
    modality: 'in-person',
    setting: 'recovery-center',
    attendees: [
      {
        peerId: t.peerId,
        attendance: 'present',
        minutesPresent: 90,
        note: { text: 'Peer participated actively.', signedAt: cal.dateTime(t.startMinute + 120), signedBy: t.specialistId },
      },
    ],
  };
}

function brokenSample(
  ctx: Ctx,
  rng: Random,
  kind: BrokenKind,
  n: number,
  records: readonly ClinicRecord[],
  afterIndex: number,
): InvalidSample {
  const { cal } = ctx;
  const firstPeer = ctx.peers[0];
  const t: Templates = {
    peerId: firstPeer?.id ?? 'peer-00000',
    specialistId: (ctx.specs[0] as SpecInfo).id,
    programId: firstPeer?.program.id ?? 'prog-mh',
    programType: firstPeer?.program.type ?? 'mental-health',
    startMinute: (cal.startDay + rng.int(0, cal.endDay - cal.startDay)) * DAY + 10 * 60,
  };
  const badId = (prefix: string): string => `${prefix}-invalid-${pad(n + 1, 4)}`;
  const sample = (expected: IssueCode, description: string, value: unknown): InvalidSample => ({
    afterIndex,
    text: typeof value === 'string' ? value : JSON.stringify(value),
    expectedCodes: [expected],
    description,
  });

  switch (kind) {
    case 'invalid-json': {
      const text = JSON.stringify(templateEncounter(t, cal, badId('enc')));
      const cut = text.slice(0, Math.floor(text.length / 2));
      return sample('record.invalid-json', 'line is not valid JSON (a record cut off halfway)', cut);
    }
    case 'not-object': {
      const forms: readonly [string, string][] = [
        ['[{"kind":"peer"}]', 'line is a JSON array, not an object'],
        ['42', 'line is a JSON number, not an object'],
        ['"encounter"', 'line is a JSON string, not an object'],
        ['null', 'line is JSON null, not an object'],
      ];
      const [text, description] = forms[Math.floor(n / BROKEN_KINDS.length) % forms.length] as [string, string];
      return sample('record.not-object', description, text);
    }
    case 'missing-kind': {
      const { kind: _kind, ...rest } = templatePeer(t, cal, badId('peer'));
      return sample('record.missing-kind', 'record has no kind field', rest);
    }
    case 'unknown-kind':
      return sample('record.unknown-kind', 'record kind is not a PeerKit record kind', {
        ...templatePeer(t, cal, badId('appt')),
        kind: 'appointment',
      });
    case 'missing-required': {
      const { peerId: _peerId, ...rest } = templateEncounter(t, cal, badId('enc'));
      return sample('schema.required', 'encounter is missing its required peerId field', rest);
    }
    case 'wrong-type':
      return sample('schema.invalid-type', 'encounter durationMinutes is a string, not a number', {
        ...templateEncounter(t, cal, badId('enc')),
        durationMinutes: '45',
      });
    case 'bad-enum':
      return sample('schema.invalid-value', 'encounter modality is not one of the modality codes', {
        ...templateEncounter(t, cal, badId('enc')),
        modality: 'in_person',
      });
    case 'bad-date':
      return sample('schema.invalid-format', 'peer birthDate is not in YYYY-MM-DD format', {
        ...templatePeer(t, cal, badId('peer')),
        birthDate: '03/15/1990',
      });
    case 'unknown-field':
      return sample('schema.unknown-field', 'encounter has a field its schema does not define', {
        ...templateEncounter(t, cal, badId('enc')),
        billingCode: 'H0038',
      });
    case 'end-before-start': {
      const value = templateEncounter(t, cal, badId('enc'));
      value.end = cal.dateTime(t.startMinute - 30);
      delete value.durationMinutes;
      return sample('encounter.end-before-start', 'encounter end is before its start', value);
    }
    case 'minutes-exceed-session': {
      const value = templateGroup(t, cal, badId('grp'));
      const attendees = value.attendees as Record<string, unknown>[];
      if (attendees[0]) attendees[0].minutesPresent = 105;
      return sample('group.minutes-exceed-session', "group attendee minutesPresent is above the session's length", value);
    }
    case 'expiry-before-signature': {
      const value = templateConsent(t, cal, badId('consent'));
      value.expiration = { date: cal.date(cal.startDay - 30) };
      return sample('consent.expiry-before-signature', 'consent expiration.date is before the date signed', value);
    }
    case 'revocation-missing':
      return sample('consent.revocation-missing', 'revoked consent has no revocation', {
        ...templateConsent(t, cal, badId('consent')),
        status: 'revoked',
      });
    case 'duplicate-id': {
      // A valid record repeated: parseRecord accepts it; createClinicExportReport reports the repeat.
      const from = afterIndex >= 1 ? rng.int(1, afterIndex) : 0;
      return sample(
        'record.duplicate-id',
        'record repeats the id of an earlier record of the same kind (reported by createClinicExportReport, not parseRecord)',
        records[from] ?? records[0],
      );
    }
  }
}

function buildInvalidSamples(ctx: Ctx, records: readonly ClinicRecord[]): InvalidSample[] {
  const rng = new Random(ctx.o.seed, 1);
  const samples: InvalidSample[] = [];
  const count = ctx.o.invalid;
  for (let n = 0; n < count; n++) {
    const kind = BROKEN_KINDS[n % BROKEN_KINDS.length] as BrokenKind;
    let afterIndex = Math.floor(((n + 1) * records.length) / (count + 1)) - 1;
    // A duplicate must come after the record it repeats.
    if (kind === 'duplicate-id') afterIndex = Math.max(0, afterIndex);
    samples.push(brokenSample(ctx, rng, kind, n, records, afterIndex));
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * Generates a deterministic synthetic clinic: one organization with a mental-health and two
 * 42 CFR Part 2 programs, specialists with certifications and supervision, peers with recovery plans
 * and consents, then encounters, group sessions and referrals over `weeks` weeks. Every record is
 * valid; problems to detect are planted in note text (`planted`) and, on request, as invalid lines
 * (`invalid`). Names, phone numbers (555-01xx) and identifiers are obviously made up.
 *
 * Dates are local times at a fixed UTC-05:00 offset.
 *
 * @param options - see {@link GenerateClinicOptions}; only `seed` is required
 * @returns records in export order, invalid lines to plant and the list of planted problems
 * @throws RangeError naming the option when an option is out of range
 * @example
 * const clinic = generateClinic({ seed: 7, peers: 20, weeks: 4, invalid: 3 });
 * clinic.records[0]?.kind; // 'organization'
 */
export function generateClinic(options: GenerateClinicOptions): GeneratedClinic {
  const o = resolveOptions(options);
  const rng = new Random(o.seed);
  const ctx: Ctx = {
    rng,
    cal: new Calendar(o.startDay, o.weeks * 7),
    o,
    specs: [],
    supervisors: [],
    peers: [],
    planted: [],
    cancelRate: Math.min(0.06, 1 - o.noShowRate),
    encounterSeq: 0,
    groupSeq: 0,
    referralSeq: 0,
    consentSeq: 0,
    encounterPlants: 0,
    groupPlants: 0,
  };

  const records: ClinicRecord[] = [buildOrganization(rng)];
  planSpecialists(ctx);
  buildPeers(ctx);

  // Among certified staff, one credential lapsed before the window and one lapses during it.
  const certified = ctx.specs.filter((s) => s.role !== 'trainee');
  const forced = new Map<SpecInfo, ExpiryPlan>();
  const lapsedBefore = certified[1] ?? certified[0];
  if (lapsedBefore) forced.set(lapsedBefore, 'before');
  if (certified.length > 1 && certified[0]) forced.set(certified[0], 'during');
  for (const spec of ctx.specs) records.push(buildSpecialist(ctx, spec, forced.get(spec)));

  for (const peer of ctx.peers) records.push(peer.record);
  for (const peer of ctx.peers) records.push(buildPlan(ctx, peer));
  const consentState = { missingForced: false };
  for (const peer of ctx.peers) buildConsents(ctx, peer, records, consentState);
  buildTimeline(ctx, records);

  return { records, invalid: buildInvalidSamples(ctx, records), planted: ctx.planted };
}

/**
 * Writes a generated clinic as NDJSON: the records in order, each invalid line inserted after the
 * record at its `afterIndex`, every line ending with `\n`.
 *
 * @param clinic - a clinic from {@link generateClinic}
 * @returns the NDJSON text
 * @example
 * const text = clinicToNdjson(generateClinic({ seed: 1, invalid: 2 }));
 * text.endsWith('\n'); // true
 */
export function clinicToNdjson(clinic: GeneratedClinic): string {
  const byIndex = new Map<number, string[]>();
  const last = clinic.records.length - 1;
  for (const sample of clinic.invalid) {
    const at = Math.max(-1, Math.min(last, sample.afterIndex));
    const list = byIndex.get(at);
    if (list) list.push(sample.text);
    else byIndex.set(at, [sample.text]);
  }
  const lines: string[] = [];
  for (const text of byIndex.get(-1) ?? []) lines.push(text);
  for (let i = 0; i <= last; i++) {
    lines.push(JSON.stringify(clinic.records[i]));
    const after = byIndex.get(i);
    if (after) for (const text of after) lines.push(text);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
