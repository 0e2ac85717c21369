import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_FINDING_CODES, hostFinding } from './findings';

describe('HOST_FINDING_CODES', () => {
  it('is the findings table of docs/reading-host-fhir.md, code for code and severity for severity', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../../docs/reading-host-fhir.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(host\.[a-z-]+)` \| (error|warning|information) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(HOST_FINDING_CODES).map(([code, { severity }]) => [code, severity]));
  });

  it('uses the host. prefix for every code', () => {
    for (const code of Object.keys(HOST_FINDING_CODES)) expect(code).toMatch(/^host\.[a-z-]+$/);
  });
});

describe('hostFinding', () => {
  it.each([
    ['a Bundle entry', { path: ['entry', 2] }, ['subject'], { path: ['entry', 2, 'subject'] }],
    ['an NDJSON line of a file', { path: ['Encounter.ndjson'], line: 7 }, [], { path: ['Encounter.ndjson'], line: 7 }],
    ['a resource read alone', { path: [] }, ['status'], { path: ['status'] }],
  ])('places the finding at %s', (_name, position, element, expected) => {
    expect(hostFinding('host.required-missing', position, element, 'm')).toMatchObject({ ...expected, severity: 'error', code: 'host.required-missing' });
  });
});
