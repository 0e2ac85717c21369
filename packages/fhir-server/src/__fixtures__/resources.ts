import type { Encounter } from 'fhir/r4';

/** A finished ambulatory Encounter with one identifier, about `subject` (synthetic, for tests). */
export function encounterOf(system: string, value: string, subject: string): Encounter {
  return {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    identifier: [{ system, value }],
    subject: { reference: subject },
  };
}
