/**
 * SUD counseling notes (2024 rule): notes a Part 2 program's SUD or mental health professional keeps
 * apart from the rest of the record, documenting or analysing a counseling session (§2.11; the
 * Part 2 counterpart of HIPAA psychotherapy notes). Any use or disclosure needs a consent for them
 * specifically (§2.31(b)(1)), and that consent may be combined only with another consent for SUD
 * counseling notes (§2.31(b)(2)). Use by the note's originator for treatment needs none
 * (§2.31(b)(1)(i)(A)).
 *
 * PeerKit marks such a note with the code {@link SUD_COUNSELING_NOTES} (in `meta.security`,
 * `meta.tag`, `category` or `type`); the gate withholds it unless the recipient is its author or a
 * consent naming SUD counseling notes — and nothing else — permits it.
 *
 * Verification: the definition and §2.31(b) were read in secondary sources only (SAMHSA-funded
 * CoE-PHI guidance, law-firm summaries, which agree): the code list is an option.
 *
 * See: 42 CFR §2.11 ("SUD counseling notes"), §2.31(b)
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { PEERKIT_CANONICAL } from '@peerkit/fhir';
import type { Consent, ConsentProvision, Reference, Resource } from 'fhir/r4';
import type { ConsentDecisionCode } from '../consent/decision';
import type { DisclosureRequest } from '../consent/request';
import { sameCode, toCodes, type Code } from '../internal/codes';
import { anySameToken, tokensOf } from '../internal/tokens';
import type { RegulatoryFact } from './regulation';

/** PeerKit's data-category code for SUD counseling notes. */
export const SUD_COUNSELING_NOTES: Code = { system: `${PEERKIT_CANONICAL}/CodeSystem/data-category`, code: 'sud-counseling-notes' };

/** The rules this module applies, with how they were checked. */
export const COUNSELING_NOTE_RULES: Readonly<Record<'definition' | 'consent' | 'combination' | 'originator', RegulatoryFact>> = {
  definition: { source: '42 CFR §2.11', verification: 'secondary', note: 'notes kept apart from the record, of a private or group/joint/family SUD counseling session' },
  consent: { source: '42 CFR §2.31(b)(1)', verification: 'secondary', note: 'any use or disclosure needs a consent for SUD counseling notes' },
  combination: { source: '42 CFR §2.31(b)(2)', verification: 'secondary', note: 'that consent may be combined only with another consent for SUD counseling notes' },
  originator: { source: '42 CFR §2.31(b)(1)(i)(A)', verification: 'secondary', note: 'use by the originator for treatment needs no consent' },
};

/** Options shared by the counseling-note functions. */
export interface CounselingNoteOptions {
  /** Codes that mark a SUD counseling note (the host's own may be added). Default `[SUD_COUNSELING_NOTES]`. */
  codes?: readonly Code[];
}

const codesOf = (options: CounselingNoteOptions) => options.codes ?? [SUD_COUNSELING_NOTES];
const isNoteCode = (c: Code, codes: readonly Code[]) => codes.some((n) => sameCode(c, n));

function conceptCodes(value: unknown): Code[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((cc) => (cc && typeof cc === 'object' && Array.isArray((cc as { coding?: unknown }).coding) ? toCodes((cc as { coding: [] }).coding) : []));
}

/**
 * `true` when a resource is marked as a SUD counseling note: one of the codes in its
 * `meta.security`, `meta.tag`, `category` or `type`.
 *
 * @param resource - any FHIR resource (typically a DocumentReference)
 * @param options - the marking codes
 * @example
 * if (isSudCounselingNote(doc)) withhold(doc);
 * See: 42 CFR §2.11
 */
export function isSudCounselingNote(resource: Resource, options: CounselingNoteOptions = {}): boolean {
  const codes = codesOf(options);
  const r = resource as unknown as Record<string, unknown>;
  const found = [...toCodes(resource.meta?.security), ...toCodes(resource.meta?.tag), ...conceptCodes(r.category), ...conceptCodes(r.type)];
  return found.some((c) => isNoteCode(c, codes));
}

/** How a consent covers SUD counseling notes. */
export type CounselingNoteScope =
  /** It does not name them. */
  | 'none'
  /** It names them and nothing else: it can permit their disclosure. */
  | 'specific'
  /** It names them together with other data (§2.31(b)(2) forbids this): it permits none of them. */
  | 'combined';

const dataCriteria = (p: ConsentProvision): Code[][] =>
  [toCodes(p.securityLabel), toCodes(p.class), toCodes((p.code ?? []).flatMap((c) => c.coding ?? []))].filter((list) => list.length > 0);

/**
 * Reads how a FHIR Consent covers SUD counseling notes. Every provision that permits (the root
 * `permit`, a nested `permit`, or an untyped one under a `deny`, LEAP's convention) must name the
 * notes in a data criterion (`securityLabel`, `class` or `code`) holding nothing but counseling-note
 * codes; a permit provision that names other data, or none, makes the consent `combined`.
 *
 * @param consent - a FHIR R4 Consent
 * @param options - the marking codes
 * @returns `none`, `specific` or `combined`
 * @example
 * counselingNoteScope(consent); // 'specific'
 * See: 42 CFR §2.31(b)
 */
export function counselingNoteScope(consent: Consent, options: CounselingNoteOptions = {}): CounselingNoteScope {
  const codes = codesOf(options);
  let names = false;
  let other = false;
  const walk = (p: ConsentProvision | undefined, parent: 'permit' | 'deny' | undefined): void => {
    if (!p) return;
    const effective = p.type ?? (parent === 'permit' ? 'deny' : parent === 'deny' ? 'permit' : undefined);
    if (effective === 'permit') {
      const criteria = dataCriteria(p);
      const naming = criteria.filter((list) => list.some((c) => isNoteCode(c, codes)));
      if (naming.length > 0) {
        names = true;
        if (naming.some((list) => list.some((c) => !isNoteCode(c, codes)))) other = true;
      } else {
        // A permit that does not name the notes releases other data (all data when it has no criteria).
        other = true;
      }
    }
    for (const child of p.provision ?? []) walk(child, effective);
  };
  walk(consent.provision, undefined);
  if (!names) return 'none';
  return other ? 'combined' : 'specific';
}

/**
 * Checks that a consent naming SUD counseling notes names nothing else.
 *
 * @param consent - a FHIR R4 Consent
 * @param options - the marking codes
 * @returns the consent; an error `part2.counseling-notes-combined` when it combines them with other data
 * @example
 * checkCounselingNoteConsent(consent).ok; // false for a TPO consent that also lists counseling notes
 * See: 42 CFR §2.31(b)(2)
 */
export function checkCounselingNoteConsent(consent: Consent, options: CounselingNoteOptions = {}): Result<Consent> {
  if (counselingNoteScope(consent, options) !== 'combined') return ok(consent);
  const issue: Issue = {
    severity: 'error',
    code: 'part2.counseling-notes-combined',
    path: ['provision'],
    message: 'A consent for SUD counseling notes may be combined only with another consent for SUD counseling notes',
    source: COUNSELING_NOTE_RULES.combination.source,
  };
  return fail([issue]);
}

/** What {@link applyCounselingNoteRule} needs from the gate, for one resource. */
export interface CounselingNoteRuleInput {
  readonly resource: Resource;
  readonly request: DisclosureRequest;
  /** The patient's consents, as given to the gate. */
  readonly consents: readonly Consent[];
  /** The gate's decision for this resource with all consents. */
  readonly decision: ConsentDecisionCode;
  /** Decides the same resource again with only some of the consents (the gate's own per-resource decision). */
  readonly decideWith: (consents: readonly Consent[]) => ConsentDecisionCode;
}

/** A Part 2 rule's verdict on one resource the consent engine decided. */
export interface Part2RuleOutcome {
  readonly decision: ConsentDecisionCode;
  /** Set when the rule turned a PERMIT into a DENY. */
  readonly withheld?: {
    readonly reason: 'sud-counseling-note' | 'restriction';
    readonly source: string;
    /** Names fields and rules, never values. */
    readonly message: string;
  };
}

function authorsOf(resource: Resource): Reference[] {
  const r = resource as unknown as { author?: unknown };
  const list = Array.isArray(r.author) ? r.author : r.author === undefined ? [] : [r.author];
  return list.filter((a): a is Reference => typeof a === 'object' && a !== null);
}

/**
 * The gate's hook for SUD counseling notes: a note leaves only to its author (the originator) or
 * under a consent that names SUD counseling notes and nothing else, and only when that consent
 * alone permits it. Anything else that the engine permitted becomes DENY. Other resources and
 * decisions pass unchanged. Break-glass does not open counseling notes.
 *
 * @param input - the resource, the request, the consents, the decision and a re-decide callback
 * @param options - the marking codes
 * @returns the decision, and why it was withheld
 * @example
 * const out = applyCounselingNoteRule({ resource, request, consents, decision, decideWith: (subset) => decide(resource, subset) });
 * if (out.withheld) skip(resource, out.withheld.reason);
 * See: 42 CFR §2.31(b)
 */
export function applyCounselingNoteRule(input: CounselingNoteRuleInput, options: CounselingNoteOptions = {}): Part2RuleOutcome {
  const { resource, request, decision } = input;
  if (decision !== 'PERMIT' || !isSudCounselingNote(resource, options)) return { decision };
  const authors = authorsOf(resource).flatMap((a) => tokensOf(a));
  const recipients = request.actor.flatMap((a) => tokensOf(a));
  if (authors.length > 0 && recipients.length > 0 && request.actor.every((a) => anySameToken(tokensOf(a), authors))) return { decision };
  const specific = input.consents.filter((c) => counselingNoteScope(c, options) === 'specific');
  if (specific.length > 0 && input.decideWith(specific) === 'PERMIT') return { decision };
  return {
    decision: 'DENY',
    withheld: {
      reason: 'sud-counseling-note',
      source: COUNSELING_NOTE_RULES.consent.source,
      message:
        specific.length === 0
          ? 'A SUD counseling note leaves only under a consent naming SUD counseling notes alone, or to its author'
          : 'No consent naming SUD counseling notes alone permits this recipient and purpose',
    },
  };
}
