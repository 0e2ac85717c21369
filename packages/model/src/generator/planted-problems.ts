/**
 * Boundary, scope and crisis problems planted in note text, and the list that names them.
 */
import type { Random } from '../internal/random';
import type { Ctx } from './context';
import { personName } from './names-and-places';
import type { PlantedProblem } from './options';

/** A kind of planted problem. */
export type PlantedKind = PlantedProblem['kind'];

/** Sentences that plant each problem kind in an encounter note. */
export const PLANTED_TEXT: Readonly<Record<EncounterPlantKind, readonly string[]>> = {
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
/** The problem kinds an encounter note can carry. */
export type EncounterPlantKind = Exclude<PlantedKind, 'other-member-named'>;
/** The order in which encounter notes get their planted problems. */
export const ENCOUNTER_PLANT_CYCLE: readonly EncounterPlantKind[] = [
  'diagnosing',
  'crisis-mention',
  'medication-advice',
  'financial-relationship',
  'excessive-self-disclosure',
  'dual-relationship',
  'romantic-boundary',
];
/** The order in which group sessions get their planted problems. */
export const GROUP_PLANT_CYCLE: readonly PlantedKind[] = [
  'other-member-named',
  'crisis-mention',
  'other-member-named',
  'excessive-self-disclosure',
];
/** A group note in which the facilitator talks about themselves at length. */
export const GROUP_SELF_DISCLOSURE =
  'Facilitator spent most of the group telling their own recovery story in detail; members had little time to share.';

/** Lists a planted problem. */
export function plant(ctx: Ctx, recordKind: PlantedProblem['recordKind'], recordId: string, kind: PlantedKind): void {
  ctx.planted.push({ recordKind, recordId, kind });
}

/** A sentence naming another group member (a made-up name). */
export function otherMemberSentence(rng: Random): string {
  const n = personName(rng);
  return rng.chance(0.5)
    ? `Peer and group member ${n.given} ${n.family} plan to carpool to next week's session.`
    : `Peer offered support to group member ${n.given} ${n.family} after they shared about losing housing.`;
}
