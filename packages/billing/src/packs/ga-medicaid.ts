/**
 * Georgia Medicaid peer support (DBHDD): the first state to reimburse peer support under Medicaid
 * (July 1999); Certified Peer Specialists certified in Georgia, with rates that vary by practitioner
 * level and by in-clinic or out-of-clinic location (state plan Attachment 4.19-B).
 *
 * See: reference/billing.md §3 Georgia (S9)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import {
  ANY_MODALITY,
  CERTIFIED_CREDENTIALS,
  DEFAULT_PLACE_OF_SERVICE,
  FEDERAL_SUPERVISION,
  H0038_UNIT_MINUTES,
  NO_OVERLAP,
  unverifiedH0038Services,
  unverifiedModifiers,
  unverifiedTimedUnits,
} from './common';
import { sourcesOf } from './sources';

/** The `ga-medicaid` pack. */
export const GA_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'ga-medicaid',
  version: '1.0.0',
  name: 'Georgia Medicaid peer support (DBHDD Certified Peer Specialists)',
  description: 'Georgia-certified peer specialists; rates by practitioner level and in-clinic or out-of-clinic location (set them from Att. 4.19-B).',
  state: 'GA',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S9', 'S11', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    ...unverifiedTimedUnits('S9'),
    unitMinutes: H0038_UNIT_MINUTES,
    services: unverifiedH0038Services('Georgia codes and modifiers are UNVERIFIED (billing.md §3); H0038 is the national peer code. Set them from the DBHDD provider manual.'),
  },
  modifiers: unverifiedModifiers('S9'),
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [],
  mue: [],
  rules: {
    credential: {
      accepted: CERTIFIED_CREDENTIALS,
      stateCertification: true,
      enforcement: 'hold',
      source: 'S9',
      status: 'verified',
      note: 'Georgia Certified Peer Specialist (DBHDD); specialty certifications: substance use, youth, parent, whole health, forensic.',
    },
    supervision: FEDERAL_SUPERVISION,
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'Rates vary by practitioner level and by in-clinic or out-of-clinic location (state plan Att. 4.19-B): set rates per service.', source: 'S9', status: 'verified' },
    { text: 'Georgia was the first state with Medicaid-reimbursed peer support (July 1999); about 3,000 CPSs.', source: 'S9', status: 'verified' },
  ],
};
