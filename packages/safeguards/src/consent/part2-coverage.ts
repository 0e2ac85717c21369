/**
 * Whether a permitting consent covers 42 CFR Part 2 data: it describes the SUD information (a Part 2
 * label in its data criteria, or the Part 2 policy in `Consent.policy`/`policyRule`), and it names
 * the recipient or is a single consent for treatment, payment and health care operations. Which
 * provisions describe Part 2 data or list every TPO purpose is fixed once per compiled set.
 *
 * See: 42 CFR §2.31 (consent), §2.33 (TPO, 2024 rule); reference/fhir-mapping.md §2.4
 */
import { intersects, type Code } from '../internal/codes';
import { recipientNamed, type DecisionState } from './compile-matchers';
import type { ConsentOutcome } from './compile-outcome';
import { walkCompiled, type CompiledProvision } from './compile-provision';

/** Provision flags: its labels describe Part 2 data; its purposes make it a single TPO consent. */
const DESCRIBES_PART2 = 1;
const TPO_WIDE = 2;

/** What Part 2 coverage reads besides the outcome. */
export interface Part2Context {
  /** Per provision id: the flags {@link part2Flags} set. */
  readonly flags: Uint8Array;
  readonly state: DecisionState;
  /** Require a Part 2 label or the Part 2 policy (`requireExplicitPart2Scope`). */
  readonly explicit: boolean;
}

/**
 * Flags the provisions that describe Part 2 data and those that list every TPO purpose.
 *
 * @param root - a consent's compiled root
 * @param flags - per provision id, filled in
 * @param part2Labels - the labels that mark Part 2 data
 * @param tpo - the purposes a single TPO consent lists
 */
export function part2Flags(root: CompiledProvision, flags: Uint8Array, part2Labels: readonly Code[], tpo: readonly string[]): void {
  walkCompiled(root, (p) => {
    if (intersects(p.labels, part2Labels)) flags[p.id] = (flags[p.id] ?? 0) | DESCRIBES_PART2;
    if (tpo.every((code) => p.purposes.some((x) => x.code === code))) flags[p.id] = (flags[p.id] ?? 0) | TPO_WIDE;
  });
}

function chainFlag(flags: Uint8Array, end: CompiledProvision, flag: number): boolean {
  for (let p: CompiledProvision | undefined = end; p; p = p.parent) if (((flags[p.id] ?? 0) & flag) !== 0) return true;
  return false;
}

function chainNamed(s: DecisionState, end: CompiledProvision): boolean {
  for (let p: CompiledProvision | undefined = end; p; p = p.parent) if (recipientNamed(s, p.id)) return true;
  return false;
}

function chainCovers(ctx: Part2Context, o: ConsentOutcome, end: CompiledProvision, requestTpo: boolean): boolean {
  if (ctx.explicit && !o.c.part2Policy && !chainFlag(ctx.flags, end, DESCRIBES_PART2)) return false;
  return chainNamed(ctx.state, end) || (requestTpo && chainFlag(ctx.flags, end, TPO_WIDE));
}

/**
 * Whether a permitting outcome covers Part 2 data for the request.
 *
 * @param o - the permitting consent's outcome (its deciding provision, or each permitted subset)
 * @param ctx - provision flags, the decision's state, whether the Part 2 scope must be explicit
 * @param requestTpo - every requested purpose is a TPO purpose
 * @returns whether some permitting chain names the recipient, or is a TPO consent for a TPO request
 */
export function coversPart2(o: ConsentOutcome, ctx: Part2Context, requestTpo: boolean): boolean {
  if (!o.limited) return o.end !== undefined && chainCovers(ctx, o, o.end, requestTpo);
  return o.allows.some((a) => chainCovers(ctx, o, a.end, requestTpo));
}
