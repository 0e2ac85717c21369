/**
 * The made-up clinic: names, phone numbers, identifiers, its programs and the organization record.
 */
import type { ProgramType } from '../codes';
import type { Random } from '../internal/random';
import type { Organization } from '../organization';

/** Made-up given and family names. */
export const GIVEN_NAMES = [
  'Avery', 'Jordan', 'Riley', 'Casey', 'Morgan', 'Quinn', 'Rowan', 'Skyler', 'Emerson', 'Finley',
  'Harper', 'Jamie', 'Kendall', 'Logan', 'Parker', 'Reese', 'Sage', 'Taylor', 'Dakota', 'Elliot',
  'Blake', 'Cameron', 'Drew', 'Hayden', 'Jesse', 'Kai', 'Lane', 'Marley', 'Noel', 'Peyton', 'Robin', 'Shay',
] as const;
const FAMILY_NAMES = [
  'Testperson', 'Sampleton', 'Exampleton', 'Mockwell', 'Demoson', 'Fixturely', 'Placeholder',
  'Synthwood', 'Dummington', 'Testwright', 'Samplewood', 'Fakeley',
] as const;

/** The synthetic organization, its identifier base and the NPI system. */
export const ORG_NAME = 'Riverbend Peer Recovery Collective (synthetic)';
export const ID_BASE = 'https://example.org/peerkit-demo';
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

/** The programs: mental health, and two 42 CFR Part 2 programs. */
export const PROGRAMS: readonly { id: string; name: string; type: ProgramType; part2: boolean; start: string }[] = [
  { id: 'prog-mh', name: 'Mental Health Peer Support', type: 'mental-health', part2: false, start: '2016-07-01' },
  { id: 'prog-sud', name: 'Recovery Coaching (substance use)', type: 'substance-use', part2: true, start: '2018-01-02' },
  { id: 'prog-cod', name: 'Co-occurring Recovery Supports', type: 'co-occurring', part2: true, start: '2020-03-02' },
];

/** Languages other than English and Spanish. */
export const OTHER_LANGUAGES = ['vi', 'zh', 'ht', 'ru', 'ar'] as const;

/** Zero-pads a number for ids and identifiers. */
export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A made-up given and family name. */
export function personName(rng: Random): { given: string; family: string } {
  return { given: rng.pick(GIVEN_NAMES), family: rng.pick(FAMILY_NAMES) };
}

/** A phone number in the fictional 555-0100 to 555-0199 range. */
export function phone(rng: Random): string {
  return `215-555-01${pad(rng.int(0, 99), 2)}`;
}

/** A synthetic 10-digit NPI-shaped number with a valid check digit (Luhn over the 80840 prefix). */
export function npi(rng: Random): string {
  const body = `${rng.int(1, 2)}${rng.digits(8)}`;
  const digits = `80840${body}`;
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** The organization record with its programs and synthetic identifiers. */
export function buildOrganization(rng: Random): Organization {
  return {
    kind: 'organization',
    id: 'org-riverbend',
    name: ORG_NAME,
    identifiers: [
      { system: NPI_SYSTEM, value: npi(rng) },
      { system: `${ID_BASE}/tin`, value: `00-${rng.digits(7)}` },
      { system: `${ID_BASE}/state-license`, value: `PSS-${rng.digits(5)}` },
    ],
    identifierSystem: `${ID_BASE}/id`,
    state: 'PA',
    phone: '215-555-0100',
    programs: PROGRAMS.map((p) => ({ id: p.id, name: p.name, type: p.type, part2: p.part2, start: p.start })),
  };
}
