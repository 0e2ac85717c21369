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
import type { ConsentOutcome } from './evaluate-consent';
import type { DataScope, ScopedEffect } from './provision';

const PART2_SOURCE = '42 CFR Part 2 (Fed. Reg. 2024-02544): §2.31 consent, §2.33 TPO, §2.32 notice';
const PEERKIT_OBLIGATION_SYSTEM = 'https://peerkit.dev/fhir/CodeSystem/obligation';

function scopeCodes(scopes: readonly DataScope[]): Code[] {
  const out: Code[] = [];
  for (const s of scopes) out.push(...(s.securityLabel ?? []), ...(s.class ?? []), ...(s.code ?? []));
  return out;
}

function scoped(kind: 'redact' | 'limit-to', s: ScopedEffect, ref: string): Obligation {
  const code = kind === 'redact' ? { system: SYSTEMS.actCode, code: ACT_CODES.redact } : { system: PEERKIT_OBLIGATION_SYSTEM, code: 'limit-to' };
  return { kind, code, scope: s.scopes, codes: scopeCodes(s.scopes), basis: `${ref} ${s.path}` };
}

/**
 * The redact and limit-to obligations of the consents that decided a PERMIT, each scope once:
 * what any of them denies is redacted; when every one is limited, only what they allow is disclosed.
 *
 * @param deciding - the permitting outcomes that decided
 * @returns the obligations, redactions first
 */
export function scopedObligations(deciding: readonly ConsentOutcome[]): Obligation[] {
  const obligations: Obligation[] = [];
  const seen = new Set<string>();
  const add = (kind: 'redact' | 'limit-to', s: ScopedEffect, ref: string): void => {
    const key = `${kind}:${JSON.stringify(s.scopes)}`;
    if (seen.has(key)) return;
    seen.add(key);
    obligations.push(scoped(kind, s, ref));
  };
  for (const o of deciding) for (const r of o.redacts) add('redact', r, o.ref);
  if (deciding.every((o) => o.limited)) for (const o of deciding) for (const a of o.allows) add('limit-to', a, o.ref);
  return obligations;
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
