/**
 * fast-check arbitraries for the consent engine's property tests: provision trees drawn from pools
 * of synthetic codes, actors and dates. Synthetic only.
 */
import fc from 'fast-check';
import type { CodeableConcept, Coding, ConsentProvision, ConsentProvisionActor } from 'fhir/r4';

/** Empty about half the time: real consents leave most criteria open. */
export const sometimes = <T,>(arb: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> => fc.oneof(fc.constant([] as T[]), arb);

/** What provisions are drawn from. */
export interface ProvisionPools {
  readonly dates: readonly string[];
  readonly actor: fc.Arbitrary<ConsentProvisionActor>;
  readonly purposes: readonly Coding[];
  readonly labels: readonly Coding[];
  readonly classes: readonly Coding[];
  /** Consent actions; none when absent. */
  readonly actions?: readonly Coding[];
  /** How often a provision has a period (1 in `periodFreq + 1`). Default 2. */
  readonly periodFreq?: number;
}

/**
 * Provision trees up to `depth` levels, each criterion present about half the time.
 *
 * @param depth - the deepest nesting
 * @param pools - codes, actors and dates to draw from
 * @returns the arbitrary
 */
export function provisionArb(depth: number, pools: ProvisionPools): fc.Arbitrary<ConsentProvision> {
  const children = depth <= 1 ? fc.constant([] as ConsentProvision[]) : fc.array(provisionArb(depth - 1, pools), { maxLength: 2 });
  const some = (pool: readonly Coding[]) => (pool.length === 0 ? fc.constant([] as Coding[]) : sometimes(fc.subarray([...pool], { minLength: 1 })));
  return fc
    .record({
      type: fc.option(fc.constantFrom('permit' as const, 'deny' as const), { nil: undefined }),
      period: fc.option(fc.record({ start: fc.constantFrom(...pools.dates), end: fc.option(fc.constantFrom(...pools.dates), { nil: undefined }) }), {
        nil: undefined,
        freq: pools.periodFreq ?? 2,
      }),
      actor: sometimes(fc.array(pools.actor, { minLength: 1, maxLength: 2 })),
      action: some(pools.actions ?? []),
      purpose: some(pools.purposes),
      securityLabel: some(pools.labels),
      class: some(pools.classes),
      provision: children,
    })
    .map((r) => {
      const p: ConsentProvision = {};
      if (r.type) p.type = r.type;
      if (r.period) p.period = r.period.end === undefined ? { start: r.period.start } : { start: r.period.start, end: r.period.end };
      if (r.actor.length > 0) p.actor = r.actor;
      if (r.action.length > 0) p.action = r.action.map((c): CodeableConcept => ({ coding: [c] }));
      if (r.purpose.length > 0) p.purpose = r.purpose;
      if (r.securityLabel.length > 0) p.securityLabel = r.securityLabel;
      if (r.class.length > 0) p.class = r.class;
      if (r.provision.length > 0) p.provision = r.provision;
      return p;
    });
}
