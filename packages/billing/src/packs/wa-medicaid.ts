/**
 * Washington Apple Health behavioral health peer support: billable by behavioral health agencies for
 * mental health and substance use since July 1, 2019; the rendering peer must hold HCA certified peer
 * counselor status until December 31, 2026, and be a DOH Certified Peer Specialist (or trainee) from
 * January 1, 2027.
 *
 * See: reference/billing.md §3 Washington (S6)
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

/** The `wa-medicaid` pack. */
export const WA_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'wa-medicaid',
  version: '1.0.0',
  name: 'Washington Apple Health peer support (HCA certified peer counselors; DOH Certified Peer Specialists from 2027)',
  description: 'State-certified peers only: HCA certified peer counselor status through 2026, the DOH Certified Peer Specialist credential (or trainee) from 2027.',
  state: 'WA',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S6', 'S11', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    ...unverifiedTimedUnits('S6'),
    unitMinutes: H0038_UNIT_MINUTES,
    services: unverifiedH0038Services('The Washington code is UNVERIFIED (billing.md §3); H0038 is the national peer code. Set it from the HCA Service Encounter Reporting Instructions.'),
  },
  modifiers: unverifiedModifiers('S6'),
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [],
  mue: [],
  rules: {
    credential: {
      accepted: [...CERTIFIED_CREDENTIALS, 'training-completed'],
      stateCertification: true,
      enforcement: 'hold',
      source: 'S6',
      status: 'verified',
      note: 'HCA certified peer counselor until 12/31/2026; from 1/1/2027 a DOH Certified Peer Specialist or trainee. PeerKit accepts a current state credential; record trainees as training-completed.',
    },
    supervision: FEDERAL_SUPERVISION,
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'Behavioral health agencies have billed peer support for mental health and substance use since 7/1/2019.', source: 'S6', status: 'verified' },
    {
      text: 'DOH Certified Peer Specialist: at least 1 year of recovery (attestation), the HCA course, written and oral exams, 1,000 hours of supervised experience (trainees bill while completing them).',
      source: 'S6',
      status: 'verified',
    },
  ],
};
