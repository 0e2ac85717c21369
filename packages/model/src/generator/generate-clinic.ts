/**
 * The synthetic clinic generator: a deterministic, obviously synthetic peer support program (no real
 * people, no real identifiers) with realistic variety, for demos, tests and benchmarks.
 *
 * Pure: no clock, no `Math.random`, no I/O. Same seed and options, same records and the same bytes.
 * Each concept has its file in this folder; this one runs them in export order.
 */
import { Random } from '../internal/random';
import type { ClinicRecord } from '../record';
import { Clock } from './clock';
import { buildConsents } from './consents';
import type { Ctx, SpecInfo } from './context';
import { buildInvalidSamples } from './invalid-samples';
import { buildOrganization } from './names-and-places';
import { resolveOptions, type GenerateClinicOptions, type GeneratedClinic } from './options';
import { buildPeers } from './peers';
import { buildPlan, buildPlanHistory } from './plans';
import { buildServiceConsents } from './service-consents';
import { buildSpecialist, planSpecialists, type ExpiryPlan } from './specialists';
import { buildTimeline } from './timeline';

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
    clock: new Clock(o.startDay, o.weeks * 7),
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
  for (const peer of ctx.peers) {
    const plan = buildPlan(ctx, peer);
    records.push(plan);
    const other = buildPlanHistory(ctx, peer, plan);
    if (other) records.push(other);
  }
  const consentState = { missingForced: false };
  for (const peer of ctx.peers) buildConsents(ctx, peer, records, consentState);
  if (o.serviceConsents) buildServiceConsents(ctx, records);
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
