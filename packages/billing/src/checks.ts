/**
 * The pre-flight checks a claim line goes through, each with its stable issue code and its basis.
 * The first fourteen are the checks of reference/billing.md §6; the last five are PeerKit's own
 * bookkeeping (a service the pack has no code for, non-billable activities, coverage, pack fit,
 * place of service).
 *
 * See: reference/billing.md §6
 */

/** What one check is about. */
export interface BillingCheckInfo {
  /** Issue code of its findings, e.g. `billing.daily-cap`. */
  readonly code: `billing.${string}`;
  /** One line: what makes a line fail. */
  readonly summary: string;
  /** Where the rule comes from (billing.md source ids). */
  readonly source: string;
}

/**
 * Every check, keyed by its name. A pack's rules say which apply and whether each holds the line
 * or only warns.
 *
 * @example
 * BILLING_CHECKS.DAILY_CAP.code; // 'billing.daily-cap'
 * See: reference/billing.md §6
 */
export const BILLING_CHECKS = {
  MIN_MINUTES: {
    code: 'billing.min-minutes',
    summary: "Units are 0 under the payer's strategy (e.g. under 8 minutes for MIDPOINT, under 15 for FULL_UNIT)",
    source: 'billing.md §6 [S12, S8]',
  },
  DAILY_CAP: {
    code: 'billing.daily-cap',
    summary: "Units per member per day over the payer's cap (NJ 16, VA 16)",
    source: 'billing.md §6 [S1, S4]',
  },
  PERIOD_CAP: {
    code: 'billing.period-cap',
    summary: 'Units over a period cap (TX 104 per rolling 6 months, VA 900 h per calendar year, NC 24 unmanaged per SFY)',
    source: 'billing.md §6 [S3, S4, S2]',
  },
  GROUP_SIZE: {
    code: 'billing.group-size',
    summary: 'Group larger than the payer allows (TX, NC 12; VA 10 per peer recovery specialist)',
    source: 'billing.md §6 [S3, S2, S4]',
  },
  AGE: {
    code: 'billing.age',
    summary: "Member outside the payer's age limits (NJ under 18; TX, VA ARTS under 21) or birth date missing",
    source: 'billing.md §6 [S1, S3, S4]',
  },
  CREDENTIAL: {
    code: 'billing.credential',
    summary: 'Rendering specialist holds no accepted, current (state) peer certification on the date of service',
    source: 'billing.md §6 [S2-S7, S10]',
  },
  SUPERVISION: {
    code: 'billing.supervision',
    summary: 'Rendering specialist has no supervisor of record',
    source: 'billing.md §6 [S11, S4, S2]',
  },
  PLAN: {
    code: 'billing.plan',
    summary: 'No current recovery plan (or it is overdue for review, or lacks required signatures)',
    source: 'billing.md §6 [S5, S2, S4]',
  },
  ORDER_AUTH: {
    code: 'billing.order-auth',
    summary: 'No service order, assessment or prior authorization covering the date where the payer requires one',
    source: 'billing.md §6 [S2, S4]',
  },
  DX: {
    code: 'billing.dx',
    summary: 'No (covered) diagnosis on file where the payer requires one (NJ: SUD diagnosis)',
    source: 'billing.md §6 [S1, S7]',
  },
  DUPLICATE_SERVICE: {
    code: 'billing.duplicate-service',
    summary: 'Service at the same time as another service, or member in a program that already includes peer support',
    source: 'billing.md §6 [S3, S1]',
  },
  TELEHEALTH_MODALITY: {
    code: 'billing.telehealth-modality',
    summary: 'Modality the payer does not allow (TX in person only; Medicare audio-only only with the patient at home)',
    source: 'billing.md §6 [S3, S5, S17]',
  },
  PIN_PREREQS: {
    code: 'billing.pin-prereqs',
    summary: 'PIN peer support without an initiating visit or documented consent, or in a facility place of service',
    source: 'billing.md §6, §2.1 [S16]',
  },
  MUE: {
    code: 'billing.mue',
    summary: 'Units per member per day over the loaded Medically Unlikely Edit value (GD may apply)',
    source: 'billing.md §6, §1.3 [S13, S14]',
  },
  SERVICE: {
    code: 'billing.service',
    summary: 'The pack has no code for this service (its program type or a group session)',
    source: 'PeerKit: the payer pack lists the services it bills',
  },
  ACTIVITY: {
    code: 'billing.activity',
    summary: 'Only activities the payer does not reimburse (VA: transport, outreach, case management…)',
    source: 'billing.md §3 Virginia [S4]',
  },
  COVERAGE: {
    code: 'billing.coverage',
    summary: "Member has no coverage on the date of service, or the payer has no pack (not billed)",
    source: 'PeerKit: a line needs a payer',
  },
  PACK: {
    code: 'billing.pack',
    summary: 'The pack is for another state than the one where services are delivered',
    source: 'PeerKit: state rules apply where the service is delivered',
  },
  PLACE_OF_SERVICE: {
    code: 'billing.place-of-service',
    summary: "Place of service is not an assigned CMS code, or not one the pack's placeOfService.allowed lists",
    source: 'CMS Place of Service Code Set (billing.md §4 [S18]); the payer pack',
  },
} as const satisfies Record<string, BillingCheckInfo>;

/** Name of a check; see {@link BILLING_CHECKS}. */
export type BillingCheck = keyof typeof BILLING_CHECKS;

/** The fourteen checks of reference/billing.md §6, in its order. */
export const SECTION_6_CHECKS = [
  'MIN_MINUTES',
  'DAILY_CAP',
  'PERIOD_CAP',
  'GROUP_SIZE',
  'AGE',
  'CREDENTIAL',
  'SUPERVISION',
  'PLAN',
  'ORDER_AUTH',
  'DX',
  'DUPLICATE_SERVICE',
  'TELEHEALTH_MODALITY',
  'PIN_PREREQS',
  'MUE',
] as const satisfies readonly BillingCheck[];
