/**
 * Group sessions: members, attendance, minutes present and notes.
 */
import type { Attendance, GroupTopic, Modality, ProgramType, Setting } from '../codes';
import type { Note } from '../common';
import type { Attendee, GroupSession } from '../group-session';
import { DAY } from './clock';
import { isEnrolled, type Ctx, type PeerInfo, type SpecInfo } from './context';
import { pad, PROGRAMS } from './names-and-places';
import { GROUP_PLANT_CYCLE, GROUP_SELF_DISCLOSURE, otherMemberSentence, plant, PLANTED_TEXT, type PlantedKind } from './planted-problems';

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

/** Start times of group sessions, in minutes after midnight. */
export const GROUP_STARTS = [10 * 60, 13 * 60, 15 * 60 + 30, 17 * 60 + 30, 18 * 60];
const GROUP_LENGTHS = [60, 75, 90, 90, 120];

/** A group session of one program's enrolled members, or `undefined` when nobody can attend. */
export function buildGroupSession(
  ctx: Ctx,
  startMinute: number,
  pools: readonly (readonly PeerInfo[])[],
  leads: readonly SpecInfo[],
): GroupSession | undefined {
  const { rng, clock } = ctx;
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
    start: clock.dateTime(startMinute),
    end: clock.dateTime(endMinute),
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
  return { text, signedAt: ctx.clock.dateTime(afterMinute + ctx.rng.int(10, 240)), signedBy: signer.id };
}
