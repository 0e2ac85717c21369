/**
 * Texas Medicaid peer specialist services (benefit since 1/1/2019): H0038 for members 21 and over,
 * 104 units per rolling 6 months, groups of at most 12, in person only per the 2020 alert.
 *
 * See: reference/billing.md §3 Texas (S3)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import {
  CERTIFIED_CREDENTIALS,
  DEFAULT_MODIFIER_ORDER,
  DEFAULT_PLACE_OF_SERVICE,
  DEFAULT_TELEHEALTH_MODIFIERS,
  H0038_DISPLAY,
  H0038_UNIT_MINUTES,
} from './common';
import { sourcesOf } from './sources';

/** The `tx-medicaid` pack. */
export const TX_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'tx-medicaid',
  version: '1.0.0',
  name: 'Texas Medicaid peer specialist services (H0038)',
  description: 'H0038 for members 21+, 104 units per rolling 6 months, groups of 12, in person only (2020 alert).',
  state: 'TX',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S3', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: { value: 'MIDPOINT', source: 'PK', status: 'unverified', note: 'No unit rounding rule in S3.' },
    unitMinutes: H0038_UNIT_MINUTES,
    sumSameDay: { value: false, source: 'PK', status: 'unverified', note: 'Not stated in S3.' },
    services: [
      { id: 'individual', code: 'H0038', display: H0038_DISPLAY, session: 'individual', modifiers: [], source: 'S3', status: 'verified' },
      { id: 'group', code: 'H0038', display: H0038_DISPLAY, session: 'group', modifiers: [], source: 'S3', status: 'verified' },
    ],
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    group: { value: 'HQ', source: 'S14', status: 'unverified', note: 'HQ "Group setting" [S14]; not stated in S3.' },
    program: {},
    telehealth: DEFAULT_TELEHEALTH_MODIFIERS,
  },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [
    {
      id: 'rolling-6-months',
      units: {
        value: 104,
        source: 'S3',
        status: 'verified',
        note: '104 units per rolling 6 months; can be exceeded with documented medical necessity.',
      },
      window: {
        value: { kind: 'rolling-months', months: 6 },
        source: 'S3',
        status: 'verified',
        note: 'PeerKit counts the 6 months ending on the date of service.',
      },
      priorAuthorizationExtends: true,
      enforcement: 'hold',
    },
  ],
  mue: [],
  rules: {
    age: { minAge: 21, enforcement: 'hold', source: 'S3', status: 'verified', note: 'Benefit for members 21 and over.' },
    credential: {
      accepted: CERTIFIED_CREDENTIALS,
      stateCertification: true,
      enforcement: 'hold',
      source: 'S3',
      status: 'verified',
      note: 'Certified peer specialist (1 TAC §354.3155 training).',
    },
    supervision: {
      exemptRoleLevels: ['supervisor'],
      enforcement: 'hold',
      source: 'S3',
      status: 'secondary',
      note: 'TAC also certifies peer specialist supervisors; PeerKit asks for a supervisor of record.',
    },
    groupSize: { max: 12, per: 'session', enforcement: 'hold', source: 'S3', status: 'verified', note: 'At most 12 per group session.' },
    duplicateService: {
      overlappingPeerServices: true,
      otherBehavioralHealth: true,
      peerInclusivePrograms: false,
      enforcement: 'hold',
      source: 'S3',
      status: 'verified',
      note: 'Not at the same time as other behavioral health services.',
    },
    telehealth: {
      modalities: {
        value: ['in-person'],
        source: 'S3',
        status: 'unverified',
        note: '2020 alert: in person only, no telecommunications. Whether still current is UNVERIFIED.',
      },
      enforcement: 'hold',
    },
  },
  notes: [],
};
