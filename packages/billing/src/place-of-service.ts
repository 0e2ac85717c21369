/**
 * The CMS place of service (POS) code set, every two-digit code 01–99 with its name and whether it is
 * assigned, and the map a host sets from PeerKit settings and modalities to POS (a community mental
 * health center's clinic bills 53, a partial hospitalization program 52, a non-residential
 * substance use facility 57) without copying a payer pack.
 *
 * See: https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set;
 * reference/billing.md §4 (S18, S20)
 */
import { codesOf, fail, fromZodIssues, ok, SETTINGS, type Result, type Setting } from '@peerkit/model';
import { z } from 'zod';

/**
 * The code set's citation: the CMS page, the version read and the day it was checked. The names are
 * CMS's, with typographic quotes and dashes written as ASCII (`Patient's`, `Emergency Room - Hospital`).
 */
export const PLACE_OF_SERVICE_CODE_SET = {
  url: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  version: '20240502',
  checked: '2026-12-07',
  citation:
    'CMS Place of Service Code Set (cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set), version 20240502 ' +
    'with POS 66 (effective August 1, 2024), as published in HL7 THO CodeSystem CMSPlaceofServiceCodes (52 assigned codes); checked 2026-12-07',
} as const;

/** Whether CMS has assigned a two-digit code (`unassigned` codes must not appear on a claim). */
export type PlaceOfServiceStatus = 'active' | 'unassigned';

/** One code of the CMS place of service code set. */
export interface PlaceOfServiceCode {
  /** The two-digit code. */
  readonly code: string;
  /** The CMS name; unassigned codes have none. */
  readonly name?: string;
  readonly status: PlaceOfServiceStatus;
  /** Source id: `CMS-POS` ({@link PLACE_OF_SERVICE_CODE_SET}). */
  readonly source: string;
}

/** The 52 assigned codes and their CMS names. */
const ASSIGNED: Readonly<Record<string, string>> = {
  '01': 'Pharmacy',
  '02': "Telehealth Provided Other than in Patient's Home",
  '03': 'School',
  '04': 'Homeless Shelter',
  '05': 'Indian Health Service Free-standing Facility',
  '06': 'Indian Health Service Provider-based Facility',
  '07': 'Tribal 638 Free-standing Facility',
  '08': 'Tribal 638 Provider-based Facility',
  '09': 'Prison/ Correctional Facility',
  '10': "Telehealth Provided in Patient's Home",
  '11': 'Office',
  '12': 'Home',
  '13': 'Assisted Living Facility',
  '14': 'Group Home',
  '15': 'Mobile Unit',
  '16': 'Temporary Lodging',
  '17': 'Walk-in Retail Health Clinic',
  '18': 'Worksite',
  '19': 'Off Campus-Outpatient Hospital',
  '20': 'Urgent Care Facility',
  '21': 'Inpatient Hospital',
  '22': 'On Campus-Outpatient Hospital',
  '23': 'Emergency Room - Hospital',
  '24': 'Ambulatory Surgical Center',
  '25': 'Birthing Center',
  '26': 'Military Treatment Facility',
  '27': 'Outreach Site/ Street',
  '31': 'Skilled Nursing Facility',
  '32': 'Nursing Facility',
  '33': 'Custodial Care Facility',
  '34': 'Hospice',
  '41': 'Ambulance - Land',
  '42': 'Ambulance - Air or Water',
  '49': 'Independent Clinic',
  '50': 'Federally Qualified Health Center',
  '51': 'Inpatient Psychiatric Facility',
  '52': 'Psychiatric Facility-Partial Hospitalization',
  '53': 'Community Mental Health Center',
  '54': 'Intermediate Care Facility/ Individuals with Intellectual Disabilities',
  '55': 'Residential Substance Abuse Treatment Facility',
  '56': 'Psychiatric Residential Treatment Center',
  '57': 'Non-residential Substance Abuse Treatment Facility',
  '58': 'Non-residential Opioid Treatment Facility',
  '60': 'Mass Immunization Center',
  '61': 'Comprehensive Inpatient Rehabilitation Facility',
  '62': 'Comprehensive Outpatient Rehabilitation Facility',
  '65': 'End-Stage Renal Disease Treatment Facility',
  '66': 'Programs of All-Inclusive Care for the Elderly (PACE) Center',
  '71': 'Public Health Clinic',
  '72': 'Rural Health Clinic',
  '81': 'Independent Laboratory',
  '99': 'Other Place of Service',
};

function codeSet(): Record<string, PlaceOfServiceCode> {
  const out: Record<string, PlaceOfServiceCode> = {};
  for (let n = 1; n <= 99; n += 1) {
    const code = String(n).padStart(2, '0');
    const name = ASSIGNED[code];
    out[code] = name === undefined ? { code, status: 'unassigned', source: 'CMS-POS' } : { code, name, status: 'active', source: 'CMS-POS' };
  }
  return out;
}

/**
 * Every code 01–99 of the CMS place of service code set, by code: the 52 assigned codes with their
 * names, the rest `unassigned` (28–30, 35–40, 43–48, 59, 63–64, 67–70, 73–80, 82–98).
 *
 * @example
 * PLACE_OF_SERVICE_CODES['53'].name; // 'Community Mental Health Center'
 * PLACE_OF_SERVICE_CODES['30'].status; // 'unassigned'
 * See: {@link PLACE_OF_SERVICE_CODE_SET}
 */
export const PLACE_OF_SERVICE_CODES: Readonly<Record<string, PlaceOfServiceCode>> = codeSet();

/**
 * `true` when `code` is an assigned code of the CMS place of service code set.
 *
 * @param code - a two-digit code
 * @example
 * isPlaceOfServiceCode('53'); // true
 * isPlaceOfServiceCode('30'); // false (unassigned)
 */
export function isPlaceOfServiceCode(code: string): boolean {
  return PLACE_OF_SERVICE_CODES[code]?.status === 'active';
}

const assignedCode = z.string().refine(isPlaceOfServiceCode, { error: 'Must be an assigned CMS place of service code' });

const placesSchema = z.strictObject({
  /** POS by setting for in-person services. */
  bySetting: z.partialRecord(z.enum(codesOf(SETTINGS)), assignedCode).optional(),
  /** POS of a remote (video or audio-only) service with the member at home. */
  telehealthHome: assignedCode.optional(),
  /** POS of a remote service with the member elsewhere. */
  telehealthOther: assignedCode.optional(),
});

/** The zod schema of {@link PlaceOfServiceMap}, for a map loaded from JSON. */
export const placeOfServiceMapSchema = placesSchema.extend({
  /** Overrides for the services of one program (by the organization's program id). */
  programs: z.record(z.string().min(1).max(64), placesSchema).optional(),
});

/** Where the services of one site or program bill, overriding the pack's defaults. */
export type PlaceOfServicePlaces = z.output<typeof placesSchema>;

/**
 * The host's map from PeerKit settings and modalities to place of service, over the pack's: a
 * program's entry first, then the map's own fields, then the pack's `placeOfService`. Settings and
 * modalities left out keep the pack's code.
 *
 * @example
 * // A community mental health center whose opioid treatment program is its own site:
 * const map: PlaceOfServiceMap = { bySetting: { clinic: '53' }, programs: { 'prog-otp': { bySetting: { clinic: '58' } } } };
 */
export type PlaceOfServiceMap = z.output<typeof placeOfServiceMapSchema>;

/**
 * Validates a place of service map (for example from a JSON settings file).
 *
 * @param input - any value
 * @returns the map, or issues naming each field that is not a setting or not an assigned CMS code
 * @example
 * parsePlaceOfServiceMap({ bySetting: { clinic: '53' } }).ok; // true
 * parsePlaceOfServiceMap({ bySetting: { clinic: '30' } }).ok; // false: 30 is unassigned
 */
export function parsePlaceOfServiceMap(input: unknown): Result<PlaceOfServiceMap> {
  const parsed = placeOfServiceMapSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(fromZodIssues(parsed.error.issues, input));
}

/** What decides a service's place of service. */
export interface PlaceOfServiceQuery {
  readonly setting: Setting;
  readonly modality: 'in-person' | 'video' | 'audio-only';
  /** The organization's program id, for the map's `programs`. */
  readonly programId?: string;
}

/** The pack's defaults, as {@link resolvePlaceOfService} reads them. */
export interface PlaceOfServiceDefaults {
  readonly bySetting: Readonly<Record<Setting, { readonly value: string }>>;
  readonly telehealthHome: { readonly value: string };
  readonly telehealthOther: { readonly value: string };
}

/**
 * The place of service of a service: remote services (video, audio-only) bill the telehealth code for
 * where the member was (`home` → the home code, 10 by default; anywhere else → 02), in-person services
 * the code of their setting; the host's map wins over the pack.
 *
 * @param service - setting, modality and program of the service
 * @param pack - the pack's `placeOfService`
 * @param map - the host's map (default none)
 * @returns a two-digit POS code
 * @example
 * resolvePlaceOfService({ setting: 'clinic', modality: 'in-person' }, pack.placeOfService, { bySetting: { clinic: '53' } }); // '53'
 */
export function resolvePlaceOfService(service: PlaceOfServiceQuery, pack: PlaceOfServiceDefaults, map: PlaceOfServiceMap = {}): string {
  const layers: PlaceOfServicePlaces[] = [];
  const program = service.programId === undefined ? undefined : map.programs?.[service.programId];
  if (program) layers.push(program);
  layers.push(map);
  if (service.modality !== 'in-person') {
    const key = service.setting === 'home' ? 'telehealthHome' : 'telehealthOther';
    return layers.find((l) => l[key] !== undefined)?.[key] ?? pack[key].value;
  }
  return layers.find((l) => l.bySetting?.[service.setting] !== undefined)?.bySetting?.[service.setting] ?? pack.bySetting[service.setting].value;
}
