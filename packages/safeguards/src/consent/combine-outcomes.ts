/**
 * How the outcomes of several applicable consents combine into one decision and its basis:
 * deny-overrides (the default), permit-overrides, or most-recent (the latest signed consent wins,
 * LEAP's behaviour).
 *
 * See: reference/fhir-mapping.md §5
 */
import type { ConsentDecisionCode } from './decision';
import type { ConsentOutcome } from './compile-outcome';
import type { ConflictStrategy } from './provision';

/** The combined decision: the consents that decided it and the one that is its basis. */
export interface CombinedOutcome {
  readonly decision: ConsentDecisionCode;
  readonly deciding: readonly ConsentOutcome[];
  readonly basis: ConsentOutcome | undefined;
}

function latestFirst(a: ConsentOutcome, b: ConsentOutcome): number {
  const ta = a.c.signed?.low ?? Number.NEGATIVE_INFINITY;
  const tb = b.c.signed?.low ?? Number.NEGATIVE_INFINITY;
  return tb - ta || b.c.index - a.c.index;
}

/**
 * Combines the outcomes of the applicable consents.
 *
 * @param outcomes - the applicable consents' outcomes, in input order
 * @param strategy - how conflicts resolve
 * @returns NO_CONSENT when none applies, else PERMIT or DENY with its deciding consents and basis
 */
export function combineOutcomes(outcomes: readonly ConsentOutcome[], strategy: ConflictStrategy): CombinedOutcome {
  if (outcomes.length === 0) return { decision: 'NO_CONSENT', deciding: [], basis: undefined };
  if (strategy === 'most-recent') {
    const basis = [...outcomes].sort(latestFirst)[0];
    return { decision: basis?.effect === 'permit' ? 'PERMIT' : 'DENY', deciding: basis ? [basis] : [], basis };
  }
  const permits = outcomes.filter((o) => o.effect === 'permit');
  const denies = outcomes.filter((o) => o.effect === 'deny');
  if (strategy === 'permit-overrides' ? permits.length === 0 : denies.length > 0) return { decision: 'DENY', deciding: denies, basis: denies[0] };
  if (strategy !== 'permit-overrides') return { decision: 'PERMIT', deciding: permits, basis: permits.find((p) => !p.limited) ?? permits[0] };
  // permit-overrides: the permitting consent with the fewest restrictions is the basis.
  const basis = [...permits].sort((a, b) => Number(a.limited) - Number(b.limited) || a.redacts.length - b.redacts.length || a.c.index - b.c.index)[0];
  return { decision: 'PERMIT', deciding: basis ? [basis] : permits, basis };
}
