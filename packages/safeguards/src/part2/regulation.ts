/**
 * The facts of the 2024 Part 2 rule that PeerKit encodes, each with its citation and how it was
 * checked. `regulation-text` means read in a copy of the current eCFR text of the section;
 * `secondary` means read only in secondary sources (HHS-funded guidance, law-firm summaries,
 * published consent forms) that agree with each other. Everything marked `secondary` or
 * `pending-rulemaking` is configurable where it is used: confirm it against the eCFR before relying
 * on it.
 *
 * See: 42 CFR part 2 as amended by the final rule of 89 FR 12472 (Fed. Reg. doc 2024-02544,
 * published 2024-02-16; effective 2024-04-16; compliance date 2026-02-16).
 */

/** How a regulatory fact was checked. */
export type Verification = 'regulation-text' | 'secondary' | 'pending-rulemaking';

/** A fact of the regulation: what, where, how checked. */
export interface RegulatoryFact {
  /** Citation, e.g. `42 CFR §2.25(a)`. */
  readonly source: string;
  /** How it was checked; see {@link Verification}. */
  readonly verification: Verification;
  /** What was read and where, in one line. */
  readonly note: string;
}

/** The 2024 final rule itself. */
export const PART2_2024_RULE = {
  citation: '89 FR 12472 (Fed. Reg. doc 2024-02544)',
  published: '2024-02-16',
  effective: '2024-04-16',
  compliance: '2026-02-16',
  verification: 'regulation-text',
  note: 'DATES section of the final rule (Federal Register copy on regulations.justia.com)',
} as const;

/** The parts of an accounting of disclosures PeerKit reports, and the look-back period of each. */
export type AccountingSectionId = 'consented' | 'tpo-ehr' | 'intermediary';

/** One look-back period the current rule sets. */
export interface LookBackPeriod extends RegulatoryFact {
  readonly id: AccountingSectionId;
  /** The period in years before the date of the request. */
  readonly years: number;
  readonly title: string;
}

/**
 * The look-back periods of the current rule:
 * - `consented`: every disclosure made with consent under §2.31 in the 3 years before the request
 *   (or a shorter period the patient chooses), content per 45 CFR §164.528(a)(2), (b)–(d).
 * - `tpo-ehr`: disclosures for treatment, payment and health care operations are accounted for only
 *   when made through an electronic health record, for 3 years. HHS ties compliance with this
 *   paragraph to its future change of the HIPAA accounting standard (45 CFR §164.528, HITECH
 *   §13405(c), proposed 2011, not final): that tie is from secondary sources, so the behaviour is
 *   an option of the accounting report (`tpoAccounting`).
 * - `intermediary`: an intermediary lists, on written request, the persons it disclosed to under a
 *   general designation (§2.31(a)(4)(ii)(B)) in the past 3 years: name, date, brief description.
 */
export const ACCOUNTING_LOOK_BACK: readonly LookBackPeriod[] = [
  {
    id: 'consented',
    years: 3,
    title: 'Disclosures made with consent',
    source: '42 CFR §2.25(a)',
    verification: 'regulation-text',
    note: 'eCFR text of §2.25(a) [89 FR 12625]: "in the 3 years prior to the date of the request (or a shorter time period chosen by the patient)"',
  },
  {
    id: 'tpo-ehr',
    years: 3,
    title: 'Disclosures for treatment, payment and health care operations through an electronic health record',
    source: '42 CFR §2.25(b)',
    verification: 'pending-rulemaking',
    note: 'eCFR text of §2.25(b)(1)-(2) (3 years; only through an EHR); compliance awaits the HIPAA §164.528 update (secondary sources)',
  },
  {
    id: 'intermediary',
    years: 3,
    title: 'Disclosures by an intermediary under a general designation',
    source: '42 CFR §2.24',
    verification: 'regulation-text',
    note: 'eCFR text of §2.24(a)(2) "limited to disclosures made within the past 3 years"; (b) respond in 30 days with name, date, brief description',
  },
];

/** What each accounted disclosure states (45 CFR §164.528(b)(2), which §2.25(a) incorporates). */
export const ACCOUNTING_CONTENT: RegulatoryFact = {
  source: '45 CFR §164.528(b)(2) via 42 CFR §2.25(a)',
  verification: 'regulation-text',
  note: 'date; name of the recipient (address if known); brief description of the information; brief statement of the purpose',
};
