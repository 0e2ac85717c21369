/**
 * Whether a permitting consent covers 42 CFR Part 2 data: it describes the SUD information (a Part 2
 * label in its data criteria, or the Part 2 policy in `Consent.policy`/`policyRule`), and it names
 * the recipient or is a single consent for treatment, payment and health care operations. Which
 * provisions describe Part 2 data or list every TPO purpose is fixed when they are compiled.
 *
 * See: 42 CFR §2.31 (consent), §2.33 (TPO, 2024 rule); reference/fhir-mapping.md §2.4
 */
import { recipientNamed, type DecisionState } from './compile-matchers';
import type { ConsentOutcome } from './compile-outcome';
import type { CompiledProvision } from './compile-provision';

/** What Part 2 coverage reads besides the outcome. */
export interface Part2Context {
  readonly state: DecisionState;
  /** Require a Part 2 label or the Part 2 policy (`requireExplicitPart2Scope`). */
  readonly explicit: boolean;
}

function chainNamed(s: DecisionState, end: CompiledProvision): boolean {
  for (let p: CompiledProvision | undefined = end; p; p = p.parent) if (recipientNamed(s, p.id)) return true;
  return false;
}

function chainCovers(ctx: Part2Context, o: ConsentOutcome, end: CompiledProvision, requestTpo: boolean): boolean {
  if (ctx.explicit && !o.c.part2Policy && !end.chainPart2) return false;
  return chainNamed(ctx.state, end) || (requestTpo && end.chainTpo);
}

/**
 * Whether a permitting outcome covers Part 2 data for the request.
 *
 * @param o - the permitting consent's outcome (its deciding provision, or each permitted subset)
 * @param ctx - the decision's state, whether the Part 2 scope must be explicit
 * @param requestTpo - every requested purpose is a TPO purpose
 * @returns whether some permitting chain names the recipient, or is a TPO consent for a TPO request
 */
export function coversPart2(o: ConsentOutcome, ctx: Part2Context, requestTpo: boolean): boolean {
  if (!o.limited) return o.end !== undefined && chainCovers(ctx, o, o.end, requestTpo);
  return o.allows.some((a) => chainCovers(ctx, o, a.end, requestTpo));
}
