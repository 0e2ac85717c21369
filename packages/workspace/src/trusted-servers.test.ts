import { describe, expect, it } from 'vitest';
import { isTrustedFhirServer, parseWorkspaceConfig } from './trusted-servers';

describe('isTrustedFhirServer', () => {
  const config = { fhirServers: ['http://127.0.0.1:8080/fhir', 'https://ehr.example.org/fhir/r4/'] };
  it.each([
    ['http://127.0.0.1:8080/fhir', true],
    ['http://127.0.0.1:8080/fhir/', true],
    ['https://ehr.example.org/fhir/r4', true],
    ['http://127.0.0.1:8081/fhir', false],
    ['http://127.0.0.1:8080/fhir/Patient', false],
    ['https://ehr.example.org.evil.test/fhir/r4', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isTrustedFhirServer(url, config)).toBe(expected);
  });
});

describe('parseWorkspaceConfig', () => {
  it('reads a list of FHIR servers', () => {
    expect(parseWorkspaceConfig({ fhirServers: ['http://127.0.0.1:8080/fhir'] })).toEqual({ fhirServers: ['http://127.0.0.1:8080/fhir'] });
  });
  it.each([[null], [{}], [{ fhirServers: 'http://x/fhir' }], [{ fhirServers: [1] }], [{ fhirServers: [' '] }]])('refuses %j, naming the field', (json) => {
    expect(parseWorkspaceConfig(json)).toEqual({ problem: expect.stringContaining('fhirServers') });
  });
});
