/**
 * How the consent engine compares a provision's codes with a request's codes, per criterion (action,
 * purpose, security label, class, code): which code systems it knows, which relations it holds
 * between their codes (subsumption, order, overlap, implication), and what it does with a code it
 * does not know. A deny reads every relation except a positive "distinct" as a match; a permit reads
 * only "covers" (the request's code is the provision's code or narrower) as a match. An unknown code
 * on either side is therefore a match for a deny and never one for a permit.
 *
 * See: docs/consent-and-part2.md (semantics table); reference/fhir-mapping.md §2.4, §5.
 */
import { PEERKIT_CANONICAL, SYSTEMS } from '@peerkit/fhir';
import type { Code } from '../internal/codes';

/** A provision criterion that holds codes. */
export type CodeCriterion = 'action' | 'purpose' | 'securityLabel' | 'class' | 'code';

/**
 * How a provision's code relates to a request's code: `covers` (a permit applies: the same code, a
 * confidentiality level at or below, an abstract resource type), `overlaps` (only a deny applies:
 * the request's code is narrower, broader, overlapping, higher, or implies it), `distinct`
 * (positively different concepts: neither applies), `unknown` (the engine cannot tell: a deny
 * applies). A permit lists each code it covers, as LEAP and Consent2Share match codes exactly.
 */
export type CodeRelation = 'covers' | 'overlaps' | 'distinct' | 'unknown';

/**
 * One code system as the engine reads it. `closed`: every code is a known concept (a resource type,
 * a consent action); `listed`: only `codes` (and those in `parents`, `overlaps`, `implies`) are known,
 * any other code of the system is unknown; `ordered`: codes form a total order (`order`, lowest
 * first); `prefix`: a code and the codes it is a prefix of overlap (ICD-10 categories).
 */
export interface CodeSystemRule {
  readonly system: string;
  /** The criteria whose codes may come from this system. */
  readonly criteria: readonly CodeCriterion[];
  readonly kind: 'closed' | 'listed' | 'ordered' | 'prefix';
  readonly codes?: readonly string[];
  /** `ordered`: lowest first. */
  readonly order?: readonly string[];
  /** Subsumption: a code's broader codes (transitive). A deny on either code applies to the other. */
  readonly parents?: Readonly<Record<string, readonly string[]>>;
  /** Clusters of codes that may describe the same data; a deny on one applies to the others. */
  readonly overlaps?: readonly (readonly string[])[];
  /** A request code implies these codes (a deny on them applies to it; a permit of them does not cover it). */
  readonly implies?: Readonly<Record<string, readonly string[]>>;
  /** Codes that cover every code of the system (abstract resource types). */
  readonly universal?: readonly string[];
  /** Where the codes and relations come from. */
  readonly source: string;
}

/** Overlap pairs between one code and each of the others (the others do not overlap each other). */
const hub = (center: string, others: readonly string[]): string[][] => others.map((o) => [center, o]);

const V3_PURPOSE_SOURCE =
  'THO v3-ActReason, PurposeOfUse hierarchy (subsumedBy), read from the CodeSystem content (copy in GinoCanessa/xver-preview CodeSystem-v3-ActReason.json)';

/**
 * The code systems the engine knows by default. Hosts add their own through
 * {@link CompileConsentsOptions.codeSystems}.
 */
export const DEFAULT_CODE_SYSTEMS: readonly CodeSystemRule[] = [
  {
    system: SYSTEMS.consentAction,
    criteria: ['action'],
    kind: 'closed',
    codes: ['collect', 'access', 'use', 'disclose', 'correct'],
    // Each action is defined on "retrieved information" (collect: gather retrieved information;
    // use: utilize the retrieved information; disclose: transfer retrieved information; correct:
    // allow retrieval… to update), so each begins with access: a deny of access applies to all.
    implies: { collect: ['access'], use: ['access'], disclose: ['access'], correct: ['access'] },
    source: 'THO consentaction (R4 valueset-consent-action definitions)',
  },
  {
    system: SYSTEMS.actReason,
    criteria: ['purpose', 'securityLabel'],
    kind: 'listed',
    parents: {
      HMARKT: ['PurposeOfUse'],
      HOPERAT: ['PurposeOfUse'],
      ...Object.fromEntries(
        ['CAREMGT', 'DONAT', 'FRAUD', 'GOV', 'HACCRED', 'HCOMPL', 'HDECD', 'HDIRECT', 'HDM', 'HLEGAL', 'HOUTCOMS', 'HPRGRP', 'HQUALIMP', 'HSYSADMIN', 'MEMADMIN', 'MILCDM', 'PATADMIN', 'PATSFTY', 'PERFMSR', 'RECORDMGT', 'SYSDEV', 'TRAIN'].map(
          (c) => [c, ['HOPERAT']],
        ),
      ),
      LABELING: ['HSYSADMIN'],
      METAMGT: ['HSYSADMIN'],
      HTEST: ['SYSDEV'],
      HPAYMT: ['PurposeOfUse'],
      CLMATTCH: ['HPAYMT'],
      COVAUTH: ['HPAYMT'],
      COVERAGE: ['HPAYMT'],
      REMITADV: ['HPAYMT'],
      ELIGDTRM: ['COVERAGE'],
      ELIGVER: ['COVERAGE'],
      ENROLLM: ['COVERAGE'],
      MILDCRG: ['COVERAGE'],
      HRESCH: ['PurposeOfUse'],
      BIORCH: ['HRESCH'],
      CLINTRCH: ['HRESCH'],
      DSRCH: ['HRESCH'],
      POARCH: ['HRESCH'],
      TRANSRCH: ['HRESCH'],
      CLINTRCHNPC: ['CLINTRCH'],
      CLINTRCHPC: ['CLINTRCH'],
      PRECLINTRCH: ['CLINTRCH'],
      PATRQT: ['PurposeOfUse'],
      FAMRQT: ['PATRQT'],
      PWATRNY: ['PATRQT'],
      SUPNWK: ['PATRQT'],
      PUBHLTH: ['PurposeOfUse'],
      DISASTER: ['PUBHLTH'],
      THREAT: ['PUBHLTH'],
      TREAT: ['PurposeOfUse'],
      CLINTRL: ['TREAT'],
      COC: ['TREAT'],
      ETREAT: ['TREAT'],
      POPHLTH: ['TREAT'],
      BTG: ['ETREAT'],
      ERTREAT: ['ETREAT'],
    },
    source: V3_PURPOSE_SOURCE,
  },
  {
    system: SYSTEMS.confidentiality,
    criteria: ['securityLabel'],
    kind: 'ordered',
    // A label R in a provision "applies to all resources that are labeled R or lower" (R4/R5
    // Consent.provision.securityLabel comment); a deny also applies to higher levels (fail closed).
    order: ['U', 'L', 'M', 'N', 'R', 'V'],
    source: 'THO v3-Confidentiality; DS4P conceptual structure (total order); R5 Consent.provision.securityLabel',
  },
  {
    system: SYSTEMS.actCode,
    criteria: ['securityLabel'],
    kind: 'listed',
    codes: [
      // Sensitivity (_InformationSensitivityPolicy)
      'ETH', 'GDIS', 'HIV', 'MST', 'SCA', 'SDV', 'SEX', 'SPI', 'BH', 'COGN', 'DVD', 'EMOTDIS', 'MH', 'PSY', 'PSYTHPN',
      'SUD', 'ETHUD', 'OPIOIDUD', 'STD', 'TBOO', 'VIO', 'SICKLE', 'IDS', 'DEMO', 'DOB', 'GENDER', 'LIVARG', 'MARST', 'PATLOC', 'RACE', 'REL',
      'ADOL', 'CEL', 'DIA', 'DRGIS', 'EMP', 'PDS', 'PHY', 'PRS', 'COMPT', 'ACOCOMPT', 'CTCOMPT', 'FMCOMPT', 'HRCOMPT', 'LRCOMPT', 'PACOMPT', 'RESCOMPT', 'RMGTCOMPT',
      // Policy (_ActPrivacyLaw and friends)
      '42CFRPart2', 'CommonRule', 'HIPAANOPP', 'HIPAAPsyNotes', 'HIPAASelfPay', 'Title38Section7332',
      // Handling caveats (RefrainPolicy, ObligationPolicy)
      'NORDSCLCD', 'NODSCLCD', 'NOAUTH', 'NOCOLLECT', 'NOINTEGRATE', 'NOLIST', 'NOMOU', 'NOORGPOL', 'NOPAT', 'NOPERSISTP', 'NORDSCLCDS',
      'NORDSCLW', 'NORELINK', 'NOREUSE', 'NOVIP', 'ORCON', 'CPLYCD', 'REDACT', 'MASK', 'PERSISTLABEL', 'PRIVMARK', 'PROCESSINLINELABEL', 'DELAU',
      'ENCRYPT', 'ENCRYPTR', 'ENCRYPTT', 'ENCRYPTU', 'ANONY', 'AOD', 'AUDIT', 'AUDTR', 'CPLYCC', 'CPLYCUI', 'CPLYJPP', 'CPLYOSP', 'CPLYPOL',
      'DECLASSIFYLABEL', 'DEID', 'HUAPRV', 'LABEL', 'MINEC', 'PHYLOC', 'PSEUD', 'REDREIDENT', 'UPGRDLABEL',
    ],
    // Only the one subsumption PeerKit is sure of: alcohol and opioid use disorders are substance use
    // disorders (THO). Other relations are overlaps: they widen a deny, never a permit.
    parents: { ETHUD: ['SUD'], OPIOIDUD: ['SUD'] },
    overlaps: [
      // Substance use information: ETH is the older generic code (C2S, R4 Contract example), 42 CFR
      // Part 2 records are substance use disorder records (reference/fhir-mapping.md §2.4), and
      // 38 U.S.C. §7332 covers substance use, HIV and sickle cell records. Alcohol and opioid use
      // disorders stay distinct from each other.
      ...hub('ETH', ['SUD', 'ETHUD', 'OPIOIDUD']),
      ...hub('42CFRPart2', ['SUD', 'ETH', 'ETHUD', 'OPIOIDUD']),
      ...hub('Title38Section7332', ['SUD', 'ETH', 'ETHUD', 'OPIOIDUD', 'HIV', 'SICKLE']),
      // Behavioral health includes mental health and substance use information.
      ...hub('BH', ['MH', 'PSY', 'PSYTHPN', 'EMOTDIS', 'COGN', 'DVD', 'SUD', 'ETH', 'ETHUD', 'OPIOIDUD', 'HIPAAPsyNotes']),
      ['MH', 'PSY', 'PSYTHPN', 'EMOTDIS', 'HIPAAPsyNotes'],
      ['HIV', 'STD', 'SEX'],
      ['SDV', 'VIO', 'MST'],
    ],
    source: 'THO v3-ActCode (sensitivity, privacy law, refrain and obligation policy codes); reference/fhir-mapping.md §2.4; DS4P',
  },
  {
    system: SYSTEMS.resourceTypes,
    criteria: ['class'],
    kind: 'closed',
    universal: ['Resource', 'DomainResource'],
    source: 'R4 resource types (LEAP content-class system)',
  },
  { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', criteria: ['class'], kind: 'closed', source: 'IHE FormatCode (LEAP content-class system)' },
  { system: 'urn:ietf:bcp:13', criteria: ['class'], kind: 'closed', source: 'MIME types (LEAP content-class system)' },
  { system: 'urn:ietf:rfc:3986', criteria: ['class'], kind: 'closed', source: 'URIs, e.g. profiles (LEAP content-class system)' },
  { system: SYSTEMS.loinc, criteria: ['code', 'class'], kind: 'closed', source: 'LOINC (document and note codes are distinct concepts)' },
  { system: `${PEERKIT_CANONICAL}/CodeSystem/data-category`, criteria: ['code'], kind: 'closed', source: 'PeerKit data-category CodeSystem' },
  { system: SYSTEMS.hcpcs, criteria: ['code'], kind: 'closed', source: 'HCPCS Level II' },
  { system: SYSTEMS.hcpcsHttps, criteria: ['code'], kind: 'closed', source: 'HCPCS Level II' },
  { system: 'http://www.ama-assn.org/go/cpt', criteria: ['code'], kind: 'closed', source: 'CPT' },
  { system: 'http://hl7.org/fhir/sid/icd-10-cm', criteria: ['code'], kind: 'prefix', source: 'ICD-10-CM (a category and its subcodes overlap)' },
  { system: 'http://hl7.org/fhir/sid/icd-10', criteria: ['code'], kind: 'prefix', source: 'ICD-10 (a category and its subcodes overlap)' },
];

/** Codes in different systems are independent facets for labels (DS4P label fields); for the rest the engine cannot tell. */
const ACROSS_SYSTEMS: Readonly<Record<CodeCriterion, CodeRelation>> = {
  action: 'unknown',
  purpose: 'unknown',
  securityLabel: 'distinct',
  class: 'unknown',
  code: 'unknown',
};

/** A code system compiled for comparison. */
export interface CompiledSystem {
  readonly kind: CodeSystemRule['kind'];
  readonly criteria: ReadonlySet<CodeCriterion>;
  readonly known: ReadonlySet<string>;
  /** Code → itself and all its broader codes. */
  readonly ancestors: ReadonlyMap<string, ReadonlySet<string>>;
  readonly overlaps: ReadonlyMap<string, ReadonlySet<string>>;
  readonly implies: ReadonlyMap<string, ReadonlySet<string>>;
  readonly universal: ReadonlySet<string>;
  readonly rank: ReadonlyMap<string, number>;
}

/** The code systems compiled for fast comparison. */
export interface CodeVocabulary {
  readonly systems: ReadonlyMap<string, CompiledSystem>;
}

function compileSystem(rule: CodeSystemRule): CompiledSystem {
  const known = new Set<string>([...(rule.codes ?? []), ...(rule.order ?? []), ...(rule.universal ?? [])]);
  const parents = rule.parents ?? {};
  for (const [code, ps] of Object.entries(parents)) {
    known.add(code);
    for (const p of ps) known.add(p);
  }
  const ancestors = new Map<string, Set<string>>();
  const walk = (code: string, seen: Set<string>): void => {
    for (const p of parents[code] ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      walk(p, seen);
    }
  };
  for (const code of known) {
    const seen = new Set([code]);
    walk(code, seen);
    ancestors.set(code, seen);
  }
  const overlaps = new Map<string, Set<string>>();
  for (const cluster of rule.overlaps ?? []) {
    for (const a of cluster) {
      known.add(a);
      const set = overlaps.get(a) ?? new Set<string>();
      for (const b of cluster) if (b !== a) set.add(b);
      overlaps.set(a, set);
    }
  }
  const implies = new Map<string, Set<string>>();
  for (const [code, targets] of Object.entries(rule.implies ?? {})) {
    known.add(code);
    implies.set(code, new Set(targets));
  }
  return {
    kind: rule.kind,
    criteria: new Set(rule.criteria),
    known,
    ancestors,
    overlaps,
    implies,
    universal: new Set(rule.universal ?? []),
    rank: new Map((rule.order ?? []).map((c, i) => [c, i])),
  };
}

/**
 * Compiles code system rules; later rules for the same system replace earlier ones.
 *
 * @param rules - the systems to know (default {@link DEFAULT_CODE_SYSTEMS})
 * @returns a vocabulary for {@link relateCodes}
 */
export function createCodeVocabulary(rules: readonly CodeSystemRule[] = DEFAULT_CODE_SYSTEMS): CodeVocabulary {
  const systems = new Map<string, CompiledSystem>();
  for (const rule of rules) systems.set(rule.system, compileSystem(rule));
  return { systems };
}

function isKnown(system: CompiledSystem, code: string): boolean {
  return system.kind === 'closed' || system.kind === 'prefix' || system.known.has(code);
}

function relateWithin(system: CompiledSystem, p: string, r: string): CodeRelation {
  switch (system.kind) {
    case 'ordered': {
      const rp = system.rank.get(p);
      const rr = system.rank.get(r);
      if (rp === undefined || rr === undefined) return 'unknown';
      return rr <= rp ? 'covers' : 'overlaps';
    }
    case 'prefix': {
      const a = p.replace(/\./g, '').toUpperCase();
      const b = r.replace(/\./g, '').toUpperCase();
      return b.startsWith(a) || a.startsWith(b) ? 'overlaps' : 'distinct';
    }
    default: {
      if (system.universal.has(p)) return 'covers';
      if (system.universal.has(r)) return 'overlaps';
      // Subsumption either way meets a deny; a permit covers only the codes it lists.
      if (system.ancestors.get(r)?.has(p)) return 'overlaps';
      if (system.ancestors.get(p)?.has(r)) return 'overlaps';
      if (system.overlaps.get(p)?.has(r)) return 'overlaps';
      if (system.implies.get(r)?.has(p)) return 'overlaps';
      return 'distinct';
    }
  }
}

/** A code with its system looked up once: `known` is set only when the code is known for the criterion. */
export interface ResolvedCode {
  readonly code: Code;
  readonly known: CompiledSystem | undefined;
  /** The code as an unambiguous key ({@link codeKey}). */
  readonly key: string;
  /** A small number for `key`, when the caller numbers codes (see {@link CodeVocabulary}); else -1. */
  readonly id: number;
}

/**
 * Looks a code up in the vocabulary for one criterion.
 *
 * @param vocabulary - the known code systems
 * @param criterion - which provision element the code belongs to
 * @param code - the code
 * @returns the code and, when the engine knows it for that criterion, its system
 */
export function resolveCode(vocabulary: CodeVocabulary, criterion: CodeCriterion, code: Code): ResolvedCode {
  const system = code.system === undefined ? undefined : vocabulary.systems.get(code.system);
  const known = system && system.criteria.has(criterion) && isKnown(system, code.code) ? system : undefined;
  return { code, known, key: codeKey(code.system, code.code), id: -1 };
}

/**
 * A code as a key no other code shares: system and code each length-prefixed (no separator can
 * collide, `system` absent differs from empty).
 *
 * @param system - the code's system, when stated
 * @param code - the code
 * @returns the key
 */
export function codeKey(system: string | undefined, code: string): string {
  return `${system === undefined ? '-' : `${system.length}:${system}`}|${code.length}:${code}`;
}

function relateResolved(criterion: CodeCriterion, p: ResolvedCode, r: ResolvedCode): CodeRelation {
  const a = p.code;
  const b = r.code;
  if (a.code === b.code && (a.system === undefined || b.system === undefined || a.system === b.system)) return 'covers';
  if (!p.known || !r.known) return 'unknown';
  if (a.system !== b.system) return ACROSS_SYSTEMS[criterion];
  return relateWithin(p.known, a.code, b.code);
}

/**
 * How a provision's code relates to a request's code for one criterion.
 *
 * @param vocabulary - the known code systems
 * @param criterion - which provision element the codes come from
 * @param p - the provision's code
 * @param r - the request's code
 * @returns `covers`, `overlaps`, `distinct` or `unknown`
 * @example
 * relateCodes(createCodeVocabulary(), 'purpose', { system: V3_REASON, code: 'TREAT' }, { system: V3_REASON, code: 'ETREAT' }); // 'overlaps'
 */
export function relateCodes(vocabulary: CodeVocabulary, criterion: CodeCriterion, p: Code, r: Code): CodeRelation {
  return relateResolved(criterion, resolveCode(vocabulary, criterion, p), resolveCode(vocabulary, criterion, r));
}

/** Bits of {@link relateToList}: a deny applies; the request code is covered (a permit applies). */
export const MATCH_DENY = 2;
export const MATCH_COVERED = 4;

/**
 * How one request code meets a provision's code list.
 *
 * @param criterion - which provision element the codes come from
 * @param provision - the provision's codes, resolved for the criterion
 * @param r - the request's code, resolved for the criterion
 * @returns {@link MATCH_DENY} when a deny applies (some relation is not `distinct`), {@link MATCH_COVERED} when some provision code covers it
 */
export function relateToList(criterion: CodeCriterion, provision: readonly ResolvedCode[], r: ResolvedCode): number {
  let bits = 0;
  for (const p of provision) {
    const relation = relateResolved(criterion, p, r);
    if (relation === 'covers') return MATCH_DENY | MATCH_COVERED;
    if (relation !== 'distinct') bits = MATCH_DENY;
  }
  return bits;
}
