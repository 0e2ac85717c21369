/**
 * CMS place of service codes PeerKit knows, with their names where reference/billing.md verified them.
 *
 * See: reference/billing.md §4 (S19, S20, S24)
 */
import type { FigureStatus } from './pack-schema';

/** One place of service code. */
export interface PlaceOfServiceCode {
  /** The CMS name, where a source gave it; unverified codes carry none. */
  readonly name?: string;
  readonly status: FigureStatus;
  readonly source: string;
}

/**
 * Place of service codes by code. Codes marked `unverified` were not checked against the CMS code set
 * (billing.md §4 lists 03, 15, 18, 55, 56 as not checked; 09, 21 and 23 are not in it at all): a pack
 * that maps a setting to one of them says so.
 *
 * @example
 * PLACE_OF_SERVICE_CODES['10'].name; // "Telehealth Provided in Patient's Home"
 * See: https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set
 */
export const PLACE_OF_SERVICE_CODES: Readonly<Record<string, PlaceOfServiceCode>> = {
  '02': { name: 'Telehealth Provided Other than in Patient\'s Home', status: 'verified', source: 'S20' },
  '03': { status: 'unverified', source: 'PK' },
  '04': { name: 'Homeless Shelter', status: 'verified', source: 'S20' },
  '09': { status: 'unverified', source: 'PK' },
  '10': { name: "Telehealth Provided in Patient's Home", status: 'verified', source: 'S20' },
  '11': { name: 'Office', status: 'verified', source: 'S19' },
  '12': { name: 'Home', status: 'verified', source: 'S20' },
  '13': { name: 'Assisted Living Facility', status: 'verified', source: 'S20' },
  '14': { name: 'Group Home', status: 'verified', source: 'S20' },
  '15': { status: 'unverified', source: 'PK' },
  '16': { name: 'Temporary Lodging', status: 'verified', source: 'S20' },
  '21': { status: 'unverified', source: 'PK' },
  '23': { status: 'unverified', source: 'PK' },
  '27': { name: 'Outreach Site/ Street', status: 'verified', source: 'S20' },
  '49': { name: 'Independent Clinic', status: 'verified', source: 'S20' },
  '50': { name: 'Federally Qualified Health Center', status: 'verified', source: 'S20' },
  '52': { name: 'Psychiatric Facility-Partial Hospitalization', status: 'verified', source: 'S20' },
  '53': { name: 'Community Mental Health Center', status: 'verified', source: 'S20' },
  '57': { name: 'Non-residential Substance Abuse Treatment Facility', status: 'verified', source: 'S20' },
  '58': { name: 'Non-residential Opioid Treatment Facility', status: 'verified', source: 'S20' },
  '71': { name: 'Public Health Clinic', status: 'verified', source: 'S20' },
  '72': { name: 'Rural Health Clinic', status: 'verified', source: 'S20' },
  '99': { name: 'Other Place of Service', status: 'verified', source: 'S24' },
};
