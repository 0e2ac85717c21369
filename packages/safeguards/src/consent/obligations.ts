/**
 * The obligations a PERMIT carries: redact the data a deciding consent denies, limit the disclosure
 * to the only data a limited consent permits, redact Part 2 data no consent covers, attach the
 * §2.32 notice, and document a break-glass disclosure.
 *
 * See: reference/fhir-mapping.md §2.4; 42 CFR §2.32, §2.51(c); THO v3-ActCode REDACT, NORDSCLCD
 */
import { SYSTEMS } from '@peerkit/fhir';
import { ACT_CODES, type Code } from '../internal/codes';
import type { Obligation } from './decision';
import type { DecisionState } from './compile-matchers';
import type { ConsentOutcome } from './compile-outcome';
import type { ScopedEffect } from './compile-provision';

const PART2_SOURCE = '42 CFR Part 2 (Fed. Reg. 2024-02544): §2.31 consent, §2.33 TPO, §2.32 notice';
/** The system of PeerKit's own obligation codes (limit-to, document-emergency). */
export const PEERKIT_OBLIGATION_SYSTEM = 'https://peerkit.dev/fhir/CodeSystem/obligation';

function scoped(kind: 'redact' | 'limit-to', s: ScopedEffect, ref: string): Obligation {
  const only = s.scopes.length === 1 ? s.scopes[0] : undefined;
  const code = kind === 'redact' ? { system: SYSTEMS.actCode, code: ACT_CODES.redact } : { system: PEERKIT_OBLIGATION_SYSTEM, code: 'limit-to' };
  return {
    kind,
    code,
    scope: only ? only.scopes : s.scopes.map((x) => x.scope),
    codes: only ? only.codes : s.scopes.flatMap((x) => x.codes),
    basis: `${ref} ${s.end.path}`,
  };
}

/**
 * The redact and limit-to obligations of the consents that decided a PERMIT, each scope once (the
 * first consent's): what any of them denies is redacted; when every one is limited, only what they
 * allow is disclosed.
 *
 * @param deciding - the permitting outcomes that decided
 * @param st - the decision's state (its de-duplication stamps)
 * @returns the obligations, redactions first
 */
export function scopedObligations(deciding: readonly ConsentOutcome[], st: DecisionState): Obligation[] {
  const obligations: Obligation[] = [];
  const seen = { keys: undefined as Set<string> | undefined };
  for (const o of deciding) for (const r of o.redacts) if (firstOf('redact', r, st, seen)) obligations.push(scopedObligation('redact', r, o.c.ref));
  if (deciding.every((o) => o.limited)) {
    for (const o of deciding) for (const a of o.allows) if (firstOf('limit-to', a, st, seen)) obligations.push(scopedObligation('limit-to', a, o.c.ref));
  }
  return obligations;
}

/** Whether a subset's obligation is the first of its kind and scope in this decision. */
function firstOf(kind: 'redact' | 'limit-to', x: ScopedEffect, st: DecisionState, seen: { keys: Set<string> | undefined }): boolean {
  const only = x.scopes.length === 1 && kind === 'redact' ? x.scopes[0] : undefined;
  if (only) {
    if (only.id >= st.scopeAt.length) {
      const grown = new Uint32Array(Math.max(16, st.table.scopes.size * 2));
      grown.set(st.scopeAt);
      st.scopeAt = grown;
    }
    if (st.scopeAt[only.id] === st.generation) return false;
    st.scopeAt[only.id] = st.generation;
    return true;
  }
  const key = `${kind}:${x.scopes.map((o) => o.key).join('/')}`;
  seen.keys ??= new Set();
  if (seen.keys.has(key)) return false;
  seen.keys.add(key);
  return true;
}

/**
 * A subset's obligation. A single-scope subset is shared between decisions and belongs to one
 * consent (its deciding provision's), so its obligation is built once and frozen.
 */
function scopedObligation(kind: 'redact' | 'limit-to', x: ScopedEffect, ref: string): Obligation {
  if (x.scopes.length !== 1) return scoped(kind, x, ref);
  let o = x.obligation as Obligation | undefined;
  if (o === undefined || o.kind !== kind) {
    o = Object.freeze(scoped(kind, x, ref));
    x.obligation = o;
  }
  return o;
}

/** Redact the data with a Part 2 label: no permitting consent covers it. */
export function part2RedactObligation(part2Labels: readonly Code[]): Obligation {
  return {
    kind: 'redact',
    code: { system: SYSTEMS.actCode, code: ACT_CODES.redact },
    scope: [{ securityLabel: part2Labels }],
    codes: [...part2Labels],
    basis: 'part2: no permitting consent covers 42 CFR Part 2 data',
    source: PART2_SOURCE,
  };
}

/** Record a break-glass disclosure in the patient's record (42 CFR §2.51(c)). */
export function documentEmergencyObligation(): Obligation {
  return {
    kind: 'document-emergency',
    code: { system: PEERKIT_OBLIGATION_SYSTEM, code: 'document-emergency' },
    basis: 'break-glass',
    source: '42 CFR §2.51(c): record the disclosing program, recipient, date and time, and the nature of the emergency',
  };
}

/** Attach the notice against redisclosure to a disclosure that may carry Part 2 records (42 CFR §2.32). */
export function redisclosureNoticeObligation(notice: string): Obligation {
  return {
    kind: 'attach-notice',
    code: { system: SYSTEMS.actCode, code: ACT_CODES.nordsclcd },
    notice,
    basis: 'part2: disclosure may carry 42 CFR Part 2 records',
    source: '42 CFR §2.32',
  };
}
