import { describe, expect, it } from 'vitest';
import { US_CORE_IMPORT_PROFILE } from '../import-profile';
import { HostIndex } from '../references';
import { HostReadContext } from './context';
import { dateOf, dateTimeOf, firstPerformerOf, performerOf } from './fields';
import { HostIngest } from './ingest';

describe('dateTimeOf', () => {
  it.each([
    ['a date-time with Z', '2025-03-04T10:00:00Z', '2025-03-04T10:00:00Z'],
    ['a date-time with an offset and fractions', '2025-03-04T10:00:00.250-05:00', '2025-03-04T10:00:00.250-05:00'],
    ['29 February of a leap year', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00Z'],
    ['29 February of 2000 (leap: divisible by 400)', '2000-02-29T10:00:00Z', '2000-02-29T10:00:00Z'],
    ['31 December', '2025-12-31T23:59:59+14:00', '2025-12-31T23:59:59+14:00'],
    ['29 February of a common year', '2025-02-29T10:00:00Z', undefined],
    ['29 February of 1900 (not leap: divisible by 100)', '1900-02-29T10:00:00Z', undefined],
    ['31 April', '2025-04-31T10:00:00Z', undefined],
    ['month 13', '2025-13-01T10:00:00Z', undefined],
    ['month 00', '2025-00-10T10:00:00Z', undefined],
    ['day 00', '2025-03-00T10:00:00Z', undefined],
    ['no time zone', '2025-03-04T10:00:00', undefined],
    ['a date only', '2025-03-04', undefined],
    ['not a string', 20250304, undefined],
  ])('%s', (_name, value, expected) => {
    expect(dateTimeOf(value)).toBe(expected);
  });
});

describe('dateOf', () => {
  it.each([
    ['a date', '2025-03-04', '2025-03-04'],
    ['the date of a date-time', '2025-03-04T10:00:00Z', '2025-03-04'],
    ['a partial date', '2025-03', undefined],
    ['a date that does not exist', '2025-02-30', undefined],
    ['a date followed by something else than a time', '2025-03-04x', undefined],
  ])('%s', (_name, value, expected) => {
    expect(dateOf(value)).toBe(expected);
  });
});

describe('firstPerformerOf', () => {
  const PPRF = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF' }] };
  const contained = [{ resourceType: 'Practitioner', id: 'c', name: [{ family: 'Test', given: ['C'] }] }];
  it.each([
    ['no participant', [], undefined],
    ['one practitioner', [{ individual: { reference: 'Practitioner/a' } }], 'a'],
    ['the primary performer before the first practitioner', [{ individual: { reference: 'Practitioner/a' } }, { type: [PPRF], individual: { reference: 'Practitioner/b' } }], 'b'],
    ['a contained primary performer', [{ individual: { reference: 'Practitioner/a' } }, { type: [PPRF], individual: { reference: '#c' } }], 'e.c'],
    ['a practitioner not in the input (the host id)', [{ individual: { reference: 'Practitioner/z' } }], 'z'],
    ['a participant that is not a practitioner, then one', [{ individual: { reference: 'RelatedPerson/r' } }, { individual: { reference: 'Practitioner/a' } }], 'a'],
  ])('%s: the first of performerOf, with every participant followed', (_name, participant, expected) => {
    const ingest = new HostIngest(undefined);
    ingest.whole([
      { resourceType: 'Encounter', id: 'e', contained, participant },
      { resourceType: 'Practitioner', id: 'a' },
      { resourceType: 'Practitioner', id: 'b' },
    ]);
    const encounter = ingest.entries[0]!;
    const first = new HostReadContext(new HostIndex(ingest.entries), US_CORE_IMPORT_PROFILE, {});
    const all = new HostReadContext(new HostIndex(ingest.entries), US_CORE_IMPORT_PROFILE, {});
    expect(firstPerformerOf(encounter.resource, encounter, first)).toBe(expected);
    expect(performerOf(encounter.resource, encounter, all)[0]).toBe(expected);
    // The same contained practitioners are noted as used (they are listed in the context).
    expect(first.containedUsed().map((e) => e.resource.id)).toEqual(all.containedUsed().map((e) => e.resource.id));
  });
});
