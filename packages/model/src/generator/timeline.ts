/**
 * The weeks of the export window: encounters, group sessions and referrals in time order.
 */
import type { ClinicRecord } from '../record';
import { DAY } from './clock';
import { isEnrolled, type Ctx, type PeerInfo } from './context';
import { buildEncounter, type PendingReferral } from './encounters';
import { buildGroupSession, GROUP_STARTS } from './group-sessions';
import { PROGRAMS } from './names-and-places';
import { buildReferral, routineCategory } from './referrals';

interface Slot {
  readonly t: number;
  readonly seq: number;
  /** 0 = encounter, 1 = group session, 2 = referral outside an encounter. */
  readonly type: 0 | 1 | 2;
  readonly peer: number;
}

/** Weights of 0, 1 and 2 one-on-one encounters per peer per week (about 0.94 a week). */
const ENCOUNTERS_PER_WEEK = [30, 46, 24];

/** Encounters, group sessions and referrals, week by week, in time order. */
export function buildTimeline(ctx: Ctx, out: ClinicRecord[]): void {
  const { rng, clock, o } = ctx;
  const weekdayWeight = [0.03, 1, 1, 1, 1, 1, 0.15];
  const offsetWeights = Array.from({ length: 7 }, (_, k) => weekdayWeight[clock.weekday(clock.startDay + k)] as number);
  const businessOffsets = Array.from({ length: 7 }, (_, k) => k).filter((k) => {
    const wd = clock.weekday(clock.startDay + k);
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
    const weekStart = clock.startDay + w * 7;
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
