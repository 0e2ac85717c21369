/**
 * Payer rule packs are data: one versioned JSON document (or TS const) per payer, validated by this
 * schema. Every figure carries the id of its source (listed in the pack's `sources`) and whether it
 * was verified there; UNVERIFIED figures are configuration, not truth.
 *
 * See: reference/billing.md §0 (design takeaways), §3 (state rules), §6 (checks)
 */
import {
  ACTIVITIES,
  codesOf,
  CONSENT_PURPOSES,
  CREDENTIAL_TYPES,
  fail,
  MODALITIES,
  ok,
  PLAN_STATUSES,
  PROGRAM_TYPES,
  ROLE_LEVELS,
  SETTINGS,
  SIGNER_ROLES,
  type IssuePath,
  type Result,
} from '@peerkit/model';
import { z } from 'zod';
import { fromZodIssues } from '@peerkit/model';
import { isPlaceOfServiceCode } from './place-of-service';

/** The pack format this version of PeerKit reads. */
export const PAYER_PACK_FORMAT = 'peerkit-payer-pack/1';

/**
 * How far a figure can be trusted, as reference/billing.md grades it: `verified` (found in the cited
 * source's text), `secondary` (only in a summary, vendor page or public code list) or `unverified`
 * (no source found: configuration to set from the payer's contract or manual).
 */
export const FIGURE_STATUSES = ['verified', 'secondary', 'unverified'] as const;
/** One of {@link FIGURE_STATUSES}. */
export type FigureStatus = (typeof FIGURE_STATUSES)[number];

/** A value with the id of its source (in the pack's `sources`) and its status. */
export interface Figure<T> {
  value: T;
  source: string;
  status: FigureStatus;
  note?: string | undefined;
}

/** What a failing rule does to a line: `hold` it (with the reason) or only `warn`. */
export const ENFORCEMENTS = ['hold', 'warn'] as const;
/** One of {@link ENFORCEMENTS}. */
export type Enforcement = (typeof ENFORCEMENTS)[number];

/** Where a modifier goes on a line, in the pack's `modifiers.order`. */
export const MODIFIER_SLOTS = ['group', 'program', 'service', 'telehealth'] as const;
/** One of {@link MODIFIER_SLOTS}. */
export type ModifierSlot = (typeof MODIFIER_SLOTS)[number];

/** Most modifiers one CMS-1500/837P service line carries (four modifier slots). billing.md §5. */
export const MAX_MODIFIERS = 4;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'Must be lower-case letters, digits and "-", at most 64 characters' });
const sourceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { error: 'Must be a source id (letters, digits, ".", "_", "-")' });
const hcpcsCode = z.string().regex(/^[A-Z0-9]{5}$/, { error: 'Must be a five-character HCPCS/CPT code' });
const modifierCode = z.string().regex(/^[A-Z0-9]{2}$/, { error: 'Must be a two-character modifier' });
const posCode = z.string().regex(/^\d{2}$/, { error: 'Must be a two-digit place of service code' });
const text = z.string().min(1).max(500);
const programType = z.enum(codesOf(PROGRAM_TYPES));
const enforcement = z.enum(ENFORCEMENTS).default('hold');

/** The citation every figure and rule carries. */
const cited = {
  /** Id of the source in the pack's `sources`. */
  source: sourceId,
  status: z.enum(FIGURE_STATUSES),
  /** What the source says, or why the figure is what it is. */
  note: z.string().min(1).max(2000).optional(),
};

/** A value with its source and status. */
function figure<T extends z.ZodType>(value: T) {
  return z.strictObject({ value, ...cited });
}

const rateSchema = z.strictObject({
  /** Price of one unit. */
  amount: z.number().min(0).max(1_000_000),
  currency: z.literal('USD'),
  ...cited,
});

/** One code a timed pack bills, for individual or group sessions of some program types. */
const timedServiceSchema = z.strictObject({
  id: slug,
  code: hcpcsCode,
  /** The code's descriptor. */
  display: text,
  /** Which sessions this code bills. */
  session: z.enum(['individual', 'group']),
  /** Program types it bills; default every type. */
  programs: z.array(programType).min(1).max(3).optional(),
  /** Modifiers this code always carries (e.g. NJ HF), in order. */
  modifiers: z.array(modifierCode).max(MAX_MODIFIERS).default([]),
  rate: rateSchema.optional(),
  ...cited,
});

const timedBillingSchema = z.strictObject({
  mode: z.literal('timed'),
  strategy: figure(z.enum(['CMS_TIMED_TOTAL', 'MIDPOINT', 'FULL_UNIT', 'ANY_PORTION'])),
  unitMinutes: figure(z.int().min(1).max(1440)),
  /** Whether a member's same-day minutes (per code) are added up before converting. */
  sumSameDay: figure(z.boolean()),
  services: z.array(timedServiceSchema).min(1).max(20),
});

const monthlyCodeSchema = z.strictObject({
  code: hcpcsCode,
  display: text,
  /** Minutes the code stands for (G0140: 60; G0146: 30 per unit). */
  minutes: figure(z.int().min(1).max(10_000)),
  /** Fewest minutes to bill it (for an add-on: past the base block). */
  minimumMinutes: figure(z.int().min(1).max(10_000)),
  rate: rateSchema.optional(),
  ...cited,
});

const monthlyBillingSchema = z.strictObject({
  mode: z.literal('monthly'),
  /** Code for the first block of minutes in a calendar month (G0140). */
  base: monthlyCodeSchema,
  /** Code for each further block (G0146). */
  addOn: monthlyCodeSchema.optional(),
  /** Whether minutes in group sessions count. */
  groupSessions: figure(z.boolean()),
  /** Program types it bills; default every type. */
  programs: z.array(programType).min(1).max(3).optional(),
});

const windowSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('day') }),
  z.strictObject({ kind: z.literal('calendar-month') }),
  z.strictObject({ kind: z.literal('calendar-year') }),
  z.strictObject({ kind: z.literal('fiscal-year'), startMonth: z.int().min(1).max(12) }),
  /** The `months` months ending on the date of service. */
  z.strictObject({ kind: z.literal('rolling-months'), months: z.int().min(1).max(120) }),
  /** The `days` days ending on the date of service. */
  z.strictObject({ kind: z.literal('rolling-days'), days: z.int().min(1).max(3660) }),
]);

const capSchema = z.strictObject({
  id: slug,
  /** Most units billed for a member in the window. */
  units: figure(z.int().min(0).max(1_000_000)),
  window: figure(windowSchema),
  /** Codes the cap counts; default every code of the pack. */
  codes: z.array(hcpcsCode).min(1).max(20).optional(),
  /** A prior authorization covering the date replaces the cap (by its units, or lifts it). */
  priorAuthorizationExtends: z.boolean().default(false),
  enforcement,
});

const mueSchema = z.strictObject({
  code: hcpcsCode,
  /** Most units per member per date of service. */
  units: z.int().min(0).max(100_000),
  ...cited,
});

const modifiersSchema = z.strictObject({
  /** Order of the slots on a line; every slot once. */
  order: figure(z.array(z.enum(MODIFIER_SLOTS)).length(MODIFIER_SLOTS.length)),
  /** Modifier for group sessions (HQ). */
  group: figure(modifierCode).optional(),
  /** Modifier by program type (HE, HF, HH). */
  program: z.partialRecord(programType, figure(modifierCode)).default({}),
  /** Modifier by remote modality (GT/95 video, 93/FQ audio-only). */
  telehealth: z.partialRecord(z.enum(['video', 'audio-only']), figure(modifierCode)).default({}),
});

const placeOfServiceSchema = z.strictObject({
  /** POS code by encounter setting, for in-person services; every setting. */
  bySetting: z.record(z.enum(codesOf(SETTINGS)), figure(posCode)),
  /** POS for a remote service with the member at home (10). */
  telehealthHome: figure(posCode),
  /** POS for a remote service with the member elsewhere (02). */
  telehealthOther: figure(posCode),
  /** POS codes that count as facility settings (for non-facility rules). */
  facility: figure(z.array(posCode).max(50)).optional(),
  /**
   * POS codes the payer reimburses peer support in; a line with another code is held
   * (`PLACE_OF_SERVICE`). Default: every assigned code of the CMS set.
   */
  allowed: figure(z.array(posCode).min(1).max(99)).optional(),
});

const ruleBase = { enforcement, ...cited };

const rulesSchema = z.strictObject({
  age: z
    .strictObject({
      /** Youngest age billed, in whole years on the date of service. */
      minAge: z.int().min(0).max(120).optional(),
      maxAge: z.int().min(0).max(120).optional(),
      /** Program types the limit applies to; default every type. */
      programs: z.array(programType).min(1).max(3).optional(),
      ...ruleBase,
    })
    .optional(),
  credential: z
    .strictObject({
      /** Credential types accepted. */
      accepted: z.array(z.enum(codesOf(CREDENTIAL_TYPES))).min(1),
      /** The certification must be from the state where the service is delivered. */
      stateCertification: z.boolean(),
      ...ruleBase,
    })
    .optional(),
  supervision: z
    .strictObject({
      /** Role levels that need no supervisor of record. */
      exemptRoleLevels: z.array(z.enum(codesOf(ROLE_LEVELS))).default(['supervisor']),
      ...ruleBase,
    })
    .optional(),
  plan: z
    .strictObject({
      /** Plan statuses that count as a plan (its period must cover the date). */
      statuses: z.array(z.enum(codesOf(PLAN_STATUSES))).min(1).default(['active', 'completed']),
      /** Months after enrollment during which no plan is needed yet (PA: 1). */
      graceMonthsAfterEnrollment: figure(z.int().min(0).max(24)).optional(),
      /** The plan must have been (re)reviewed within this many months (PA: 6). */
      reviewEveryMonths: figure(z.int().min(1).max(60)).optional(),
      /** Signer roles the plan needs (`guardian` stands in for `peer`). */
      signatures: figure(z.array(z.enum(codesOf(SIGNER_ROLES))).max(5)).optional(),
      ...ruleBase,
    })
    .optional(),
  orderAuth: z
    .strictObject({
      serviceOrder: z.boolean(),
      assessment: z.boolean(),
      priorAuthorization: z.boolean(),
      ...ruleBase,
    })
    .optional(),
  diagnosis: z
    .strictObject({
      /** Diagnosis code prefixes that qualify; default any diagnosis. */
      codePrefixes: figure(z.array(z.string().regex(/^[A-Z0-9.]{1,10}$/)).min(1).max(100)).optional(),
      /** Program types the requirement applies to; default every type. */
      programs: z.array(programType).min(1).max(3).optional(),
      ...ruleBase,
    })
    .optional(),
  duplicateService: z
    .strictObject({
      /** The member's peer services must not overlap in time. */
      overlappingPeerServices: z.boolean(),
      /** No other behavioral health service at the same time (host evidence). */
      otherBehavioralHealth: z.boolean(),
      /** Not while in a program that already includes peer support (host evidence). */
      peerInclusivePrograms: z.boolean(),
      ...ruleBase,
    })
    .optional(),
  telehealth: z.strictObject({
    /** Modalities the payer reimburses. */
    modalities: figure(z.array(z.enum(codesOf(MODALITIES))).min(1)),
    /** Audio-only only with the member at home. */
    audioOnlyAtHome: figure(z.boolean()).optional(),
    enforcement,
  }),
  groupSize: z
    .strictObject({
      /** Most members present. */
      max: z.int().min(1).max(1000),
      /** Per session, or per facilitator (a ratio). */
      per: z.enum(['session', 'facilitator']),
      ...ruleBase,
    })
    .optional(),
  activities: z
    .strictObject({
      /** Activities the payer does not reimburse. */
      nonBillable: z.array(z.enum(codesOf(ACTIVITIES))).min(1),
      ...ruleBase,
    })
    .optional(),
  pinPrerequisites: z
    .strictObject({
      initiatingVisit: figure(z.boolean()),
      /** Visit codes that cannot serve as the initiating visit (99211). */
      excludedVisitCodes: figure(z.array(z.string().regex(/^[A-Z0-9]{5}$/)).max(50)),
      consent: figure(z.boolean()),
      /**
       * Disclosure consent purposes accepted in place of a service consent, with a warning to record
       * one (held under `missingEvidence: 'hold'`). Default none: only a `service-consent` counts.
       */
      consentPurposes: figure(z.array(z.enum(codesOf(CONSENT_PURPOSES))).min(1)).optional(),
      nonFacility: figure(z.boolean()),
      enforcement,
    })
    .optional(),
});

const noteSchema = z.strictObject({ text: z.string().min(1).max(2000), ...cited });

/** The zod schema of a payer rule pack. See the package README for the format. */
export const payerPackSchema = z
  .strictObject({
    format: z.literal(PAYER_PACK_FORMAT),
    id: slug,
    /** Version of this pack's content (semantic version). */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'Must be a version like 1.0.0' }),
    name: text,
    description: z.string().min(1).max(2000).optional(),
    /** Two-letter state whose rules the pack holds. */
    state: z.string().regex(/^[A-Z]{2}$/, { error: 'Must be a two-letter upper-case state code' }).optional(),
    /** Coverage payer ids (besides the pack id) the pack bills. */
    coveragePayerIds: z.array(z.string().min(1).max(100)).max(50).default([]),
    /** Source id to citation. */
    sources: z.record(sourceId, z.string().min(1).max(1000)),
    billing: z.discriminatedUnion('mode', [timedBillingSchema, monthlyBillingSchema]),
    modifiers: modifiersSchema,
    placeOfService: placeOfServiceSchema,
    caps: z.array(capSchema).max(20).default([]),
    mue: z.array(mueSchema).max(500).default([]),
    rules: rulesSchema,
    /** Requirements PeerKit does not check (provider type, documentation), for the reader. */
    notes: z.array(noteSchema).max(50).default([]),
  })
  .superRefine((pack, ctx) => {
    const report = (path: IssuePath, code: `pack.${string}`, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [...path], message, params: { code } });
    };
    // Every cited source exists.
    const walk = (value: unknown, path: (string | number)[]): void => {
      if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, [...path, i]));
      } else if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (key === 'source' && typeof child === 'string' && !Object.hasOwn(pack.sources, child) && path[0] !== 'sources') {
            report([...path, key], 'pack.unknown-source', 'Cites a source id that is not listed in sources');
          } else if (key !== 'sources' || path.length > 0) {
            walk(child, [...path, key]);
          }
        }
      }
    };
    walk(pack, []);

    const order = pack.modifiers.order.value;
    if (new Set(order).size !== order.length) {
      report(['modifiers', 'order', 'value'], 'pack.modifier-order', 'Must list each modifier slot once');
    }
    const duplicates = <T>(items: readonly T[], key: (item: T) => string, path: IssuePath, what: string): void => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const k = key(item);
        if (seen.has(k)) report([...path, i], 'pack.duplicate', `Duplicate ${what}`);
        seen.add(k);
      });
    };
    duplicates(pack.caps, (c) => c.id, ['caps'], 'cap id');
    duplicates(pack.coveragePayerIds, (id) => id, ['coveragePayerIds'], 'payer id');
    duplicates(pack.mue, (m) => m.code, ['mue'], 'MUE code');

    const extra =
      (Object.keys(pack.modifiers.program).length > 0 ? 1 : 0) + (Object.keys(pack.modifiers.telehealth).length > 0 ? 1 : 0);
    const codes = new Set<string>();
    if (pack.billing.mode === 'timed') {
      const { billing } = pack;
      if (billing.strategy.value === 'CMS_TIMED_TOTAL' && !billing.sumSameDay.value) {
        report(['billing', 'sumSameDay', 'value'], 'pack.strategy-sums', 'CMS_TIMED_TOTAL adds up same-day minutes: sumSameDay must be true');
      }
      duplicates(billing.services, (s) => s.id, ['billing', 'services'], 'service id');
      billing.services.forEach((service, i) => {
        codes.add(service.code);
        const group = service.session === 'group' && pack.modifiers.group !== undefined ? 1 : 0;
        if (service.modifiers.length + group + extra > MAX_MODIFIERS) {
          report(['billing', 'services', i, 'modifiers'], 'pack.modifier-limit', `A line could carry more than ${MAX_MODIFIERS} modifiers`);
        }
        const mine = new Set(service.programs ?? codesOf(PROGRAM_TYPES));
        billing.services.slice(0, i).forEach((other) => {
          const theirs = other.programs ?? codesOf(PROGRAM_TYPES);
          if (other.session === service.session && theirs.some((p) => mine.has(p))) {
            report(['billing', 'services', i, 'programs'], 'pack.ambiguous-service', 'Two services bill the same session type for the same program type');
          }
        });
      });
    } else {
      codes.add(pack.billing.base.code);
      if (pack.billing.addOn) codes.add(pack.billing.addOn.code);
      if (extra + (pack.modifiers.group ? 1 : 0) > MAX_MODIFIERS) {
        report(['modifiers'], 'pack.modifier-limit', `A line could carry more than ${MAX_MODIFIERS} modifiers`);
      }
    }
    pack.caps.forEach((cap, i) => {
      cap.codes?.forEach((code, j) => {
        if (!codes.has(code)) report(['caps', i, 'codes', j], 'pack.unknown-code', 'Names a code the pack does not bill');
      });
    });
    const pos = pack.placeOfService;
    const mapped: [IssuePath, string][] = [
      ...Object.entries(pos.bySetting).map(([setting, f]): [IssuePath, string] => [['placeOfService', 'bySetting', setting, 'value'], f.value]),
      [['placeOfService', 'telehealthHome', 'value'], pos.telehealthHome.value],
      [['placeOfService', 'telehealthOther', 'value'], pos.telehealthOther.value],
      ...(pos.allowed?.value ?? []).map((code, i): [IssuePath, string] => [['placeOfService', 'allowed', 'value', i], code]),
    ];
    for (const [path, code] of mapped) {
      if (!isPlaceOfServiceCode(code)) report(path, 'pack.unknown-place-of-service', 'Must be an assigned code of the CMS place of service code set');
    }
    const age = pack.rules.age;
    if (age?.minAge !== undefined && age.maxAge !== undefined && age.maxAge < age.minAge) {
      report(['rules', 'age', 'maxAge'], 'pack.age-range', 'maxAge must not be below minAge');
    }
  });

/** A validated payer rule pack. */
export type PayerPack = z.output<typeof payerPackSchema>;
/** A payer rule pack as written (defaults may be left out). */
export type PayerPackInput = z.input<typeof payerPackSchema>;
/** A timed service of a pack. */
export type TimedService = z.output<typeof timedServiceSchema>;
/** A cap of a pack. */
export type PackCap = z.output<typeof capSchema>;
/** A cap's window. */
export type CapWindow = z.output<typeof windowSchema>;
/** The rules of a pack. */
export type PackRules = z.output<typeof rulesSchema>;

/**
 * Validates a payer rule pack (for example one a user loaded from JSON).
 *
 * @param input - any value, typically `JSON.parse` of a pack file
 * @returns the pack with defaults filled in, or issues naming each invalid field (`schema.*` for the
 *   shape, `pack.*` for cross-field rules such as `pack.unknown-source`)
 * @example
 * const result = parsePayerPack(JSON.parse(text));
 * if (!result.ok) for (const i of result.issues) console.log(i.path.join('.'), i.message);
 * See: packages/billing/README.md (pack format)
 */
export function parsePayerPack(input: unknown): Result<PayerPack> {
  const parsed = payerPackSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(fromZodIssues(parsed.error.issues, input));
}
