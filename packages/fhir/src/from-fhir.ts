/**
 * FHIR → model: rebuilds PeerKit records from FHIR R4 resources. Lossless for PeerKit's own output
 * (`fromFhir(toFhir(records))` gives back the records, but for what the host EHR owns: the peer's birth
 * date and language). Resources written by other systems map as far as they can, with issues for what
 * could not be read — never an exception.
 *
 * Each concept reads its own resources in its concept file (beside its `toFhir*` mapping); this file
 * only runs the readers and validates what they build.
 */
import { parseRecord, type ClinicRecord, type Issue, type Result } from '@peerkit/model';
import { consentReader } from './consent';
import { encounterReader } from './encounter';
import { groupSessionReader } from './group-session';
import { Reader } from './internal/read';
import { ReadIndex, type Json, type RecordReader } from './internal/record-reader';
import { organizationReader } from './organization';
import { peerReader } from './peer';
import { recoveryPlanReader } from './recovery-plan';
import { referralReader } from './referral';
import { serviceConsentReader } from './service-consent';
import { specialistReader } from './specialist';
import { PEERKIT_CANONICAL } from './systems';

/** Options of {@link fromFhir}. */
export interface FromFhirOptions {
  /** Canonical base of PeerKit's extensions and CodeSystems. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
}

/** Every concept's reader, in the order they run (records come out in input order whatever it is). */
const READERS: readonly RecordReader[] = [
  organizationReader,
  specialistReader,
  peerReader,
  recoveryPlanReader,
  encounterReader,
  groupSessionReader,
  consentReader,
  serviceConsentReader,
  referralReader,
];

interface Built {
  index: number;
  record: Json;
  reader: Reader;
}

/**
 * Rebuilds PeerKit records from FHIR R4 resources (any order; a Bundle's entries or an NDJSON file's
 * lines). Every rebuilt record is validated with the model's `parseRecord`; a record that fails is
 * reported and left out, the others are kept.
 *
 * Issues: `fhir.not-a-resource`, `fhir.missing-element` (error: the record cannot be built),
 * `fhir.unknown-code` (warning), `fhir.unresolved-reference` (error), `fhir.element-ignored`
 * (information: e.g. another system's extension, a contained resource), `fhir.unsupported-resource`
 * (information), `fhir.unreadable` (error: a resource whose shape could not be read), plus the model's
 * own issues. Paths start with the resource's index in the input.
 *
 * @param resources - FHIR resources (plain JSON)
 * @param options - see {@link FromFhirOptions}
 * @returns the records, in the order of their first resource in the input
 * @example
 * const result = fromFhir(bundle.entry.map((e) => e.resource));
 * See: docs/fhir-mapping.md
 */
export function fromFhir(resources: readonly unknown[], options: FromFhirOptions = {}): Result<ClinicRecord[]> {
  const ix = new ReadIndex((options.canonicalBase ?? PEERKIT_CANONICAL).replace(/\/+$/, ''));
  const issues: Issue[] = [];

  resources.forEach((resource, index) => {
    if (resource === null || typeof resource !== 'object' || Array.isArray(resource) || typeof (resource as Json).resourceType !== 'string') {
      issues.push({ severity: 'error', code: 'fhir.not-a-resource', path: [index], message: 'Not a FHIR resource (no resourceType)' });
      return;
    }
    const json = resource as Json;
    ix.add(json, index, json.resourceType as string);
  });

  // Record ids behind resource ids, and peers behind patients, before any reference is resolved.
  for (const { resource } of ix.resources) for (const reader of READERS) reader.index?.(ix, resource);

  const built: Built[] = [];
  for (const reader of READERS) {
    reader.read(ix, (index, build) => {
      const r = new Reader([index]);
      try {
        const record = build(r);
        if (record) built.push({ index, record, reader: r });
        else issues.push(...r.issues);
      } catch {
        issues.push(...r.issues, {
          severity: 'error',
          code: 'fhir.unreadable',
          path: [index],
          message: 'The resource has a shape PeerKit cannot read; it was skipped',
        });
      }
    });
  }
  for (const { resource, index } of ix.resources) {
    if (ix.consumed.has(resource)) continue;
    issues.push({
      severity: 'information',
      code: 'fhir.unsupported-resource',
      path: [index, 'resourceType'],
      message: 'This resource maps to no PeerKit record on its own and was not read',
    });
  }

  built.sort((a, b) => a.index - b.index);
  const records: ClinicRecord[] = [];
  for (const { index, record, reader } of built) {
    issues.push(...reader.issues);
    const parsed = parseRecord(record);
    issues.push(...parsed.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] })));
    if (parsed.ok) records.push(parsed.value);
  }
  const hasError = issues.some((i) => i.severity === 'error');
  return hasError && records.length === 0 ? { ok: false, issues } : { ok: true, value: records, issues };
}
