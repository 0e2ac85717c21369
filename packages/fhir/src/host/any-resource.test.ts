// Property tests over every resource type a host reader reads: any shape of such a resource (its
// elements any JSON value) never makes a reader throw, whole or streamed, and is never lost in silence:
// it becomes (part of) a record, is context, or has a finding at its position.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { R4_RESOURCE_TYPES } from './internal/r4-resource-types';
import { readHostFhir } from './read-host';
import { streamHostFhir } from './stream-host';
import type { HostReadResult } from './types';

/** The resource types with a reader (`readHostFhir`'s reader list; the last test keeps this in step). */
const READ_TYPES = [
  'Organization',
  'Practitioner',
  'Patient',
  'Group',
  'Encounter',
  'CarePlan',
  'ServiceRequest',
  'Consent',
  'HealthcareService',
  'PractitionerRole',
  'DocumentReference',
  'Goal',
  'Task',
  'Coverage',
  'Condition',
  'ClaimResponse',
] as const;

/** Elements the readers look at (and some they do not), each drawn as any JSON value or left out. */
const ELEMENTS = [
  'id', 'meta', 'identifier', 'status', 'lifecycleStatus', 'intent', 'class', 'type', 'serviceType', 'code', 'category',
  'subject', 'patient', 'for', 'focus', 'beneficiary', 'payor', 'insurer', 'request', 'owner', 'requester', 'performer',
  'participant', 'period', 'length', 'authoredOn', 'lastModified', 'dateTime', 'date', 'created', 'description', 'target',
  'goal', 'activity', 'author', 'provision', 'policyRule', 'scope', 'organization', 'practitioner', 'providedBy',
  'qualification', 'name', 'member', 'actual', 'content', 'context', 'docStatus', 'securityLabel', 'contained',
  'modifierExtension', 'extension', 'subscriberId', 'clinicalStatus', 'verificationStatus', 'onsetDateTime',
  'outcome', 'preAuthRef', 'addItem', 'item', 'birthDate', 'communication', 'telecom', 'specialty', 'executionPeriod',
] as const;

/** A valid-looking value for some elements, so shapes get past the first checks more often. */
const LIKELY: Partial<Record<(typeof ELEMENTS)[number], unknown>> = {
  status: 'finished',
  subject: { reference: 'Patient/p1' },
  patient: { reference: 'Patient/p1' },
  period: { start: '2025-03-04T14:00:00-05:00', end: '2025-03-04T14:30:00-05:00' },
  type: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }] }],
  code: { coding: [{ system: 'http://snomed.info/sct', code: '461481000124109' }] },
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  contained: [{ resourceType: 'Practitioner', id: 'c1', name: [{ family: 'F', given: ['G'] }] }],
};

const element = (name: (typeof ELEMENTS)[number]) =>
  LIKELY[name] === undefined ? fc.jsonValue() : fc.oneof(fc.constant(LIKELY[name]), fc.jsonValue());

/** A resource of a read type with any of the elements, each any JSON value. */
const anyResource = fc
  .tuple(fc.constantFrom(...READ_TYPES), fc.record(Object.fromEntries(ELEMENTS.map((name) => [name, element(name)])), { requiredKeys: [] }))
  .map(([resourceType, elements]) => ({ ...elements, resourceType }) as Record<string, unknown>);

/** `true` when the input item at `index` is a record's source, a context item's source, or has a finding. */
function accountedFor(results: readonly HostReadResult[], index: number): boolean {
  for (const { records, context, findings } of results) {
    if (records.some((r) => r.sources.some((s) => s.path[0] === index))) return true;
    if (context.some((c) => 'source' in c && c.source.path[0] === index)) return true;
    if (findings.some((f) => f.path[0] === index)) return true;
  }
  return false;
}

const SAFETY_NET = 'a shape PeerKit cannot read';

describe('any resource of a type PeerKit reads', () => {
  it('never makes a reader throw nor hit its safety net, and is never lost in silence', () => {
    fc.assert(
      fc.property(anyResource, (resource) => {
        const result = readHostFhir([resource], { asOf: '2025-04-01' });
        expect(result.findings.filter((f) => f.message.includes(SAFETY_NET))).toEqual([]);
        expect(accountedFor([result], 0)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('reads the same way streamed, a window of one resource at a time, beside a Patient', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyResource, { minLength: 1, maxLength: 4 }), async (resources) => {
        const input = [{ resourceType: 'Patient', id: 'p1' }, ...resources];
        const results: HostReadResult[] = [];
        for await (const result of streamHostFhir(input, { asOf: '2025-04-01', windowSize: 1 })) results.push(result);
        expect(results.flatMap((r) => r.findings).filter((f) => f.message.includes(SAFETY_NET))).toEqual([]);
        for (let i = 0; i < input.length; i++) expect(accountedFor(results, i), `item ${i}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  // Values JSON.parse can produce that break naive code: String() of `{"toString": 1}` throws, and a
  // plain lookup table answers "constructor" or "__proto__" with Object's own members.
  it.each([[{ toString: 1 }], ['constructor'], ['__proto__'], ['toString']])('reads a status of %j as an unknown code, never throwing', (value) => {
    for (const resource of [
      { resourceType: 'Goal', id: 'g1', lifecycleStatus: value, description: { text: 'Goal' }, subject: { reference: 'Patient/p1' } },
      { resourceType: 'CarePlan', id: 'c1', status: value, intent: 'plan', subject: { reference: 'Patient/p1' } },
      { resourceType: 'Consent', id: 'k1', status: value, scope: { coding: [{ code: 'patient-privacy' }] }, category: [], patient: { reference: 'Patient/p1' } },
      { resourceType: 'ServiceRequest', id: 's1', status: value, intent: 'order', subject: { reference: 'Patient/p1' } },
    ]) {
      const result = readHostFhir([resource], { asOf: '2025-04-01' });
      expect(accountedFor([result], 0)).toBe(true);
      expect(result.findings.filter((f) => f.message.includes(SAFETY_NET))).toEqual([]);
      for (const { record } of result.records) expect(typeof (record as { status?: unknown }).status).not.toBe('function');
    }
  });

  it('covers every type with a reader: exactly the R4 types that are not host.type-not-used', () => {
    const read = [...R4_RESOURCE_TYPES].filter((resourceType) => {
      if (resourceType === 'Bundle') return false;
      const { findings } = readHostFhir([{ resourceType, id: 'x1' }], { asOf: '2025-04-01' });
      return !findings.some((f) => f.code === 'host.type-not-used');
    });
    expect(read.sort()).toEqual([...READ_TYPES].sort());
  });
});
