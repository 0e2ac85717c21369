/**
 * DS4P security labels for FHIR resources and Bundles: confidentiality (exactly one), sensitivity,
 * the 42 CFR Part 2 policy (on the confidentiality code through `extension-sec-label-basis`, and as
 * its own tag), and the NORDSCLCD refrain. A Bundle carries the high-water mark of its entries,
 * without the privacy-revealing refrain and sensitivity tags. The label set itself comes from
 * `@peerkit/fhir`'s `createSecurityLabels`, the one DS4P builder; this module decides what a context
 * needs, merges labels into resources and computes high-water marks.
 *
 * See: reference/fhir-mapping.md §2.4 (DS4P IG 1.0.0; THO v3-ActCode usage note for 42CFRPart2:
 * "assign the HL7 Confidentiality code R")
 */
import { createSecurityLabels, SYSTEMS, type SensitivityCode } from '@peerkit/fhir';
import type { DataCategory, ProgramType } from '@peerkit/model';
import type { Bundle, Coding, Extension, Resource } from 'fhir/r4';
import {
  ACT_CODES,
  CONFIDENTIALITY_ORDER,
  normalizeSystem,
  PRIVACY_REVEALING_HANDLING,
  SUD_SENSITIVITY,
  type ConfidentialityCode,
} from '../internal/codes';

/** What a resource is about, for labeling. */
export interface LabelContext {
  /** Type of the program the data comes from. */
  programType?: ProgramType;
  /**
   * The program is a 42 CFR Part 2 program. Default: `true` for substance-use and co-occurring
   * programs (PeerKit policy default, conservative), `false` otherwise.
   */
  part2?: boolean;
  /** Categories of information in the resource (e.g. `hiv`). */
  dataCategories?: readonly DataCategory[];
}

/** Options of {@link securityLabelsFor} and {@link labelResource}. */
export interface LabelOptions {
  /** Sensitivity code for substance-use data: `SUD` (DS4P's example) or `ETH` (older). Default `SUD`. */
  sudSensitivity?: 'SUD' | 'ETH';
  /**
   * Confidentiality when no Part 2 rule sets one. Default: `R` when the data carries a sensitivity
   * tag (PeerKit policy default), else `N`.
   */
  confidentiality?: ConfidentialityCode;
  /** Also add `42CFRPart2` as a tag of its own, besides the basis extension. Default `true`. */
  policyTag?: boolean;
}

function isPart2Program(context: LabelContext): boolean {
  if (context.part2 !== undefined) return context.part2;
  return context.programType === 'substance-use' || context.programType === 'co-occurring';
}

/**
 * The DS4P labels for data in a context, built by `@peerkit/fhir`'s `createSecurityLabels`.
 *
 * @param context - program type, Part 2 flag, data categories
 * @param options - SUD code, default confidentiality, policy tag
 * @returns `meta.security` codings: one confidentiality code, sensitivity, policy and handling tags
 * @example
 * securityLabelsFor({ programType: 'substance-use' }).map((c) => c.code); // ['R', 'SUD', '42CFRPart2', 'NORDSCLCD']
 * See: reference/fhir-mapping.md §2.4
 */
export function securityLabelsFor(context: LabelContext, options: LabelOptions = {}): Coding[] {
  const part2 = isPart2Program(context);
  const categories = context.dataCategories ?? [];
  const sensitivity: SensitivityCode[] = [];
  if (part2 || context.programType === 'substance-use' || context.programType === 'co-occurring' || categories.includes('substance-use')) {
    sensitivity.push(options.sudSensitivity ?? 'SUD');
  }
  if (context.programType === 'mental-health' || context.programType === 'co-occurring' || categories.includes('mental-health')) {
    sensitivity.push('MH');
  }
  if (categories.includes('hiv')) sensitivity.push('HIV');
  return createSecurityLabels({ part2, sensitivity, confidentiality: options.confidentiality, policyTag: options.policyTag });
}

function confidentialityOf(c: Coding): ConfidentialityCode | undefined {
  if (normalizeSystem(c.system) !== SYSTEMS.confidentiality) return undefined;
  return (CONFIDENTIALITY_ORDER as readonly string[]).includes(c.code ?? '') ? (c.code as ConfidentialityCode) : undefined;
}

const rank = (code: ConfidentialityCode): number => CONFIDENTIALITY_ORDER.indexOf(code);

const key = (c: Coding): string => `${normalizeSystem(c.system) ?? ''}|${c.code ?? ''}`;

/** Merges label sets: one confidentiality code (the highest, with every basis), other tags once each. */
function mergeLabels(sets: readonly (readonly Coding[])[]): Coding[] {
  let top: Coding | undefined;
  const bases = new Map<string, Extension>();
  const others = new Map<string, Coding>();
  for (const set of sets) {
    for (const c of set) {
      const level = confidentialityOf(c);
      if (level === undefined) {
        if (!others.has(key(c))) others.set(key(c), c);
        continue;
      }
      const current = top === undefined ? undefined : confidentialityOf(top);
      if (current === undefined || rank(level) > rank(current)) {
        top = c;
        bases.clear();
      }
      if (current === undefined || rank(level) >= rank(current)) {
        for (const ext of c.extension ?? []) {
          if (ext.url === SYSTEMS.securityLabelBasisExtension) bases.set(JSON.stringify(ext.valueCoding), ext);
        }
      }
    }
  }
  const out: Coding[] = [];
  if (top) {
    const { extension: _dropped, ...rest } = top;
    const extensions = [...(top.extension ?? []).filter((e) => e.url !== SYSTEMS.securityLabelBasisExtension), ...bases.values()];
    out.push(extensions.length > 0 ? { ...rest, extension: extensions } : rest);
  }
  out.push(...others.values());
  return out;
}

/**
 * Returns a copy of a resource with DS4P labels merged into `meta.security`: existing labels are
 * kept, the confidentiality code becomes the higher of the existing and the computed one.
 *
 * @param resource - any FHIR resource (not changed)
 * @param context - what the resource is about
 * @param options - see {@link LabelOptions}
 * @returns the labeled copy
 * @example
 * const labeled = labelResource(documentReference, { programType: 'substance-use' });
 * See: reference/fhir-mapping.md §2.4
 */
export function labelResource<T extends Resource>(resource: T, context: LabelContext, options: LabelOptions = {}): T {
  const security = mergeLabels([resource.meta?.security ?? [], securityLabelsFor(context, options)]);
  return { ...resource, meta: { ...resource.meta, security } };
}

/** `true` when a coding is a privacy-revealing refrain/obligation or a sensitivity tag (not for a HWM). */
function revealing(c: Coding, keepSensitivity: boolean): boolean {
  if (normalizeSystem(c.system) !== SYSTEMS.actCode) return false;
  const code = c.code ?? '';
  if (PRIVACY_REVEALING_HANDLING.includes(code)) return true;
  const sensitivity = [...SUD_SENSITIVITY, 'MH', 'BH', 'PSY', 'PSYTHPN', 'HIV', 'STD', 'SEX', 'SDV', 'ETHUD', 'OPIOIDUD'];
  return !keepSensitivity && sensitivity.includes(code);
}

/** Options of {@link highWaterMark}. */
export interface HighWaterMarkOptions {
  /** Keep sensitivity tags (SUD, MH…) in the mark. Default `false`: they reveal what is inside. */
  includeSensitivity?: boolean;
}

/**
 * The high-water mark of several label sets: the highest confidentiality code (with the bases of
 * every set at that level) and the policy tags; never privacy-revealing refrain or obligation tags
 * (NORDSCLCD, NODSCLCD, MASK…) and, by default, no sensitivity tags.
 *
 * @param sets - the `meta.security` of each entry
 * @param options - see {@link HighWaterMarkOptions}
 * @example
 * highWaterMark([[N], [R + basis 42CFRPart2, SUD, NORDSCLCD]]); // [R + basis 42CFRPart2, 42CFRPart2]
 * See: reference/fhir-mapping.md §2.4 (DS4P conceptual structure: confidentiality order V > R > N > M > L > U)
 */
export function highWaterMark(sets: readonly (readonly Coding[])[], options: HighWaterMarkOptions = {}): Coding[] {
  return mergeLabels(sets).filter((c) => !revealing(c, options.includeSensitivity ?? false));
}

/**
 * Labels each entry of a Bundle (where `contextOf` returns a context) and sets the Bundle's
 * `meta.security` to the high-water mark of its entries.
 *
 * @param bundle - the Bundle (not changed)
 * @param contextOf - the label context of an entry's resource, or `undefined` to leave it as it is
 * @param options - see {@link LabelOptions} and {@link HighWaterMarkOptions}
 * @returns the labeled copy
 * @example
 * labelBundle(bundle, (r) => (r.resourceType === 'Encounter' ? { programType: 'substance-use' } : undefined));
 * See: reference/fhir-mapping.md §2.4
 */
export function labelBundle(
  bundle: Bundle,
  contextOf: (resource: Resource) => LabelContext | undefined,
  options: LabelOptions & HighWaterMarkOptions = {},
): Bundle {
  const entry = (bundle.entry ?? []).map((e) => {
    if (!e.resource) return e;
    const context = contextOf(e.resource);
    return context === undefined ? e : { ...e, resource: labelResource(e.resource, context, options) };
  });
  return withHighWaterMark({ ...bundle, entry }, options);
}

/** A copy of a Bundle whose `meta.security` is the high-water mark of its entries. */
export function withHighWaterMark(bundle: Bundle, options: HighWaterMarkOptions = {}): Bundle {
  const sets = (bundle.entry ?? []).map((e) => e.resource?.meta?.security ?? []);
  const mark = highWaterMark(sets, options);
  const meta = { ...bundle.meta };
  if (mark.length > 0) meta.security = mark;
  else delete meta.security;
  return Object.keys(meta).length > 0 ? { ...bundle, meta } : (({ meta: _m, ...rest }) => rest as Bundle)(bundle);
}

/** `true` when a resource's labels mark 42 CFR Part 2 data (the tag, or the basis on its confidentiality code). */
export function isPart2Labeled(resource: Resource): boolean {
  return (resource.meta?.security ?? []).some(
    (c) =>
      (normalizeSystem(c.system) === SYSTEMS.actCode && c.code === ACT_CODES.part2) ||
      (c.extension ?? []).some((e) => e.url === SYSTEMS.securityLabelBasisExtension && e.valueCoding?.code === ACT_CODES.part2),
  );
}
