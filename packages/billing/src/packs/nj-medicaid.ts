/**
 * New Jersey: Horizon NJ Health self-help/peer support billing guidelines (eff. 7/1/2020), H0038-HF
 * under the 1115 SUD waiver.
 *
 * See: reference/billing.md §3 New Jersey (S1)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import {
  ANY_MODALITY,
  DEFAULT_MODIFIER_ORDER,
  DEFAULT_PLACE_OF_SERVICE,
  DEFAULT_TELEHEALTH_MODIFIERS,
  FEDERAL_CREDENTIAL,
  FEDERAL_SUPERVISION,
  H0038_DISPLAY,
  H0038_UNIT_MINUTES,
} from './common';
import { sourcesOf } from './sources';

/** The `nj-medicaid` pack. */
export const NJ_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'nj-medicaid',
  version: '1.0.0',
  name: 'New Jersey Medicaid: Horizon NJ Health H0038-HF (1115 SUD waiver)',
  description: 'H0038 with HF, 16 units a day, members 18 and over with a SUD diagnosis.',
  state: 'NJ',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S11', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: {
      value: 'FULL_UNIT',
      source: 'PK',
      status: 'unverified',
      note: 'S1: "one (1) unit for every fifteen (15) minutes with the member"; how a partial unit rounds is not stated.',
    },
    unitMinutes: H0038_UNIT_MINUTES,
    sumSameDay: {
      value: false,
      source: 'PK',
      status: 'unverified',
      note: 'Whether same-day sessions are added up before converting is payer-specific (billing.md §1.2 D).',
    },
    services: [
      {
        id: 'sud-individual',
        code: 'H0038',
        display: H0038_DISPLAY,
        session: 'individual',
        programs: ['substance-use', 'co-occurring'],
        modifiers: ['HF'],
        source: 'S1',
        status: 'verified',
        note: 'H0038 + HF (substance abuse program) under the 1115 SUD waiver. Billing co-occurring programs as HF is PeerKit\'s reading; the SUD diagnosis check applies to both.',
      },
    ],
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    program: {},
    telehealth: DEFAULT_TELEHEALTH_MODIFIERS,
  },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [
    {
      id: 'daily',
      units: { value: 16, source: 'S1', status: 'verified', note: 'Max 16 units per day (4 hours).' },
      window: { value: { kind: 'day' }, source: 'S1', status: 'verified' },
      codes: ['H0038'],
      priorAuthorizationExtends: false,
      enforcement: 'hold',
    },
  ],
  mue: [],
  rules: {
    age: { minAge: 18, enforcement: 'hold', source: 'S1', status: 'verified', note: 'Members 18 and over.' },
    credential: FEDERAL_CREDENTIAL,
    supervision: FEDERAL_SUPERVISION,
    diagnosis: {
      codePrefixes: {
        value: ['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17', 'F18', 'F19'],
        source: 'PK',
        status: 'unverified',
        note: 'ICD-10-CM F10-F19 (disorders due to psychoactive substance use) taken as "SUD diagnosis"; set the payer\'s list.',
      },
      enforcement: 'hold',
      source: 'S1',
      status: 'verified',
      note: 'SUD diagnosis required on the claim.',
    },
    duplicateService: {
      overlappingPeerServices: true,
      otherBehavioralHealth: false,
      peerInclusivePrograms: true,
      enforcement: 'hold',
      source: 'S1',
      status: 'verified',
      note: 'Not payable if the member is in another service that already includes peer recovery. (Overlapping peer services: PeerKit.)',
    },
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'The provider must be an outpatient drug & alcohol clinic.', source: 'S1', status: 'verified' },
    { text: 'The record must support the diagnosis, the time spent and medical necessity.', source: 'S1', status: 'verified' },
    { text: 'No group code is given; group sessions are not billed under this pack.', source: 'PK', status: 'unverified' },
  ],
};
