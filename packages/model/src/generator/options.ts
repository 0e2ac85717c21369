/**
 * Options and results of the synthetic clinic generator, and the checks that resolve the options.
 */
import { isIsoDate, toDateParts, toEpochDay } from '../calendar';
import type { IssueCode } from '../issue-codes';
import type { ClinicRecord } from '../record';

/** Options of {@link generateClinic}. Only `seed` is required. */
export interface GenerateClinicOptions {
  /** Seed of the random generator: any safe integer. Same seed and options, identical output. */
  seed: number;
  /** Peers served. Default 50. */
  peers?: number;
  /** Peer support specialists, at least 1. Default `max(2, ceil(peers / 12))`. */
  specialists?: number;
  /** Weeks of encounters, group sessions and referrals, 1 to 1,040. Default 12. */
  weeks?: number;
  /** First day of the export window, `YYYY-MM-DD` (years 1900 to 2999). Default `'2026-01-05'`. */
  start?: string;
  /** Share of peers in the substance-use or co-occurring (42 CFR Part 2) programs, 0 to 1. Default 0.35. */
  part2Share?: number;
  /** Share of scheduled one-on-one encounters the peer does not attend, 0 to 1. Default 0.12. */
  noShowRate?: number;
  /** Deliberately invalid lines to plant in the NDJSON, see {@link InvalidSample}. Default 0. */
  invalid?: number;
  /**
   * Payer ids used in peer coverage, at least one. Default
   * `['medicaid-generic', 'medicare-pin', 'commercial-generic']`.
   */
  payers?: readonly string[];
  /**
   * Add a `service-consent` record for each peer covered by a payer that requires consent to the
   * service (Medicare PIN: `medicare-pin`), given on the day they enroll, so billing's consent
   * prerequisite is met. No random draw: the other records are the same either way. Default `true`
   * (`false` leaves them out).
   */
  serviceConsents?: boolean;
}

/** A deliberately invalid NDJSON line, with the issue codes a validator must report for it. */
export interface InvalidSample {
  /** Index in `records` after which this line goes (-1 = before the first record). */
  afterIndex: number;
  /** The line's text exactly as written to the NDJSON file (no newline). */
  text: string;
  /** Issue codes a validator must report for this line (at least one). */
  expectedCodes: IssueCode[];
  /** What is wrong, for test names (no data values). */
  description: string;
}

/** A boundary, scope or crisis problem planted in the note text of a valid record. */
export interface PlantedProblem {
  recordKind: 'encounter' | 'group-session';
  recordId: string;
  /** what the safeguard checks should later find in the note text */
  kind:
    | 'crisis-mention'
    | 'diagnosing'
    | 'medication-advice'
    | 'dual-relationship'
    | 'financial-relationship'
    | 'excessive-self-disclosure'
    | 'romantic-boundary'
    | 'other-member-named';
}

/** What {@link generateClinic} returns. */
export interface GeneratedClinic {
  /**
   * Valid records (each passes `parseRecord`), in export order: the organization, specialists,
   * peers, recovery plans, consents, then encounters, group sessions and referrals in time order.
   */
  records: ClinicRecord[];
  /** Invalid lines to insert when writing the export, in `afterIndex` order. */
  invalid: InvalidSample[];
  /**
   * Problems planted in note text. Every note that mentions self-harm or suicide is listed as
   * `crisis-mention`, whether or not its encounter has `crisis.indicated`; no other note does.
   */
  planted: PlantedProblem[];
}

const DEFAULT_PAYERS: readonly string[] = ['medicaid-generic', 'medicare-pin', 'commercial-generic'];
const MAX_WEEKS = 1040;

/** Options with their defaults applied; the start as a day number. */
export interface Resolved {
  seed: number;
  peers: number;
  specialists: number;
  weeks: number;
  startDay: number;
  part2Share: number;
  noShowRate: number;
  invalid: number;
  payers: readonly string[];
  serviceConsents: boolean;
}

function countOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new RangeError(`generateClinic: option ${name} must be an integer ${range}`);
  }
  return value;
}

function shareOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`generateClinic: option ${name} must be a number from 0 to 1`);
  }
  return value;
}

function startOption(value: unknown): number {
  if (value === undefined) return toEpochDay('2026-01-05');
  if (isIsoDate(value)) {
    const { year } = toDateParts(value);
    if (year >= 1900 && year <= 2999) return toEpochDay(value);
  }
  throw new RangeError('generateClinic: option start must be a calendar date YYYY-MM-DD from 1900 to 2999');
}

/** Applies defaults and checks every option, throwing a `RangeError` that names the option. */
export function resolveOptions(options: GenerateClinicOptions): Resolved {
  if (options === null || typeof options !== 'object') {
    throw new RangeError('generateClinic: options must be an object with a seed');
  }
  const seed = options.seed as unknown;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new RangeError('generateClinic: option seed must be a safe integer');
  }
  const peers = countOption('peers', options.peers, 50, 0);
  const specialists = countOption('specialists', options.specialists, Math.max(2, Math.ceil(peers / 12)), 1);
  const weeks = countOption('weeks', options.weeks, 12, 1, MAX_WEEKS);
  const invalid = countOption('invalid', options.invalid, 0, 0);
  const payers = (options.payers as unknown) ?? DEFAULT_PAYERS;
  if (
    !Array.isArray(payers) ||
    payers.length === 0 ||
    !payers.every((p: unknown) => typeof p === 'string' && p.trim() !== '' && p.length <= 100)
  ) {
    throw new RangeError('generateClinic: option payers must be a non-empty list of payer ids (1 to 100 characters)');
  }
  return {
    seed,
    peers,
    specialists,
    weeks,
    startDay: startOption(options.start),
    part2Share: shareOption('part2Share', options.part2Share, 0.35),
    noShowRate: shareOption('noShowRate', options.noShowRate, 0.12),
    invalid,
    payers: payers as readonly string[],
    serviceConsents: options.serviceConsents !== false,
  };
}
