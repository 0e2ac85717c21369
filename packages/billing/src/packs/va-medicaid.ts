/**
 * Virginia Medicaid peer recovery support services (12VAC30-130-5160 to -5210): 16 units a day,
 * 900 hours a calendar year, groups of 10 per peer recovery specialist, service authorization first.
 *
 * See: reference/billing.md §3 Virginia (S4)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import {
  ANY_MODALITY,
  CERTIFIED_CREDENTIALS,
  DEFAULT_MODIFIER_ORDER,
  DEFAULT_PLACE_OF_SERVICE,
  DEFAULT_TELEHEALTH_MODIFIERS,
  H0038_DISPLAY,
  NO_OVERLAP,
} from './common';
import { sourcesOf } from './sources';

const CODE_NOTE = 'Virginia codes are UNVERIFIED (billing.md §3; S9445 and H0024 are also cited). Set the code from the DMAS manual.';

/** The `va-medicaid` pack. */
export const VA_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'va-medicaid',
  version: '1.0.0',
  name: 'Virginia Medicaid peer recovery support services',
  description: '16 units a day, 900 hours a year, groups of 10 per PRS, prior service authorization, ARTS members 21+.',
  state: 'VA',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S4', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: { value: 'MIDPOINT', source: 'PK', status: 'unverified', note: 'No unit rounding rule in S4.' },
    unitMinutes: { value: 15, source: 'S4', status: 'verified', note: '1 unit = 15 minutes.' },
    sumSameDay: { value: false, source: 'PK', status: 'unverified', note: 'Not stated in S4.' },
    services: [
      { id: 'individual', code: 'H0038', display: H0038_DISPLAY, session: 'individual', modifiers: [], source: 'PK', status: 'unverified', note: CODE_NOTE },
      { id: 'group', code: 'H0038', display: H0038_DISPLAY, session: 'group', modifiers: [], source: 'PK', status: 'unverified', note: CODE_NOTE },
    ],
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    group: { value: 'HQ', source: 'S14', status: 'unverified', note: 'HQ "Group setting" [S14]; not stated in S4.' },
    program: {},
    telehealth: DEFAULT_TELEHEALTH_MODIFIERS,
  },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [
    {
      id: 'daily',
      units: { value: 16, source: 'S4', status: 'verified', note: 'Up to 4 hours (16 units) per calendar day.' },
      window: { value: { kind: 'day' }, source: 'S4', status: 'verified' },
      priorAuthorizationExtends: false,
      enforcement: 'hold',
    },
    {
      id: 'yearly',
      units: { value: 3600, source: 'S4', status: 'verified', note: '900 hours per calendar year = 3,600 15-minute units.' },
      window: { value: { kind: 'calendar-year' }, source: 'S4', status: 'verified' },
      priorAuthorizationExtends: false,
      enforcement: 'hold',
    },
  ],
  mue: [],
  rules: {
    age: {
      minAge: 21,
      programs: ['substance-use', 'co-occurring'],
      enforcement: 'hold',
      source: 'S4',
      status: 'verified',
      note: 'ARTS (addiction and recovery treatment services): adults 21+ with SUD and functional impairment.',
    },
    credential: {
      accepted: CERTIFIED_CREDENTIALS,
      stateCertification: true,
      enforcement: 'hold',
      source: 'S4',
      status: 'verified',
      note: 'Peer recovery specialist certified and registered with the Board of Counseling (from 12/18/2017).',
    },
    supervision: {
      exemptRoleLevels: ['supervisor'],
      enforcement: 'hold',
      source: 'S4',
      status: 'verified',
      note: '"Direct supervisor" qualifications are defined; PeerKit asks for a supervisor of record.',
    },
    plan: {
      statuses: ['active', 'completed'],
      enforcement: 'hold',
      source: 'S4',
      status: 'secondary',
      note: 'A "recovery, resiliency and wellness plan" (2017 draft definition).',
    },
    orderAuth: {
      serviceOrder: false,
      assessment: false,
      priorAuthorization: true,
      enforcement: 'hold',
      source: 'S4',
      status: 'verified',
      note: 'Service authorization required before delivery. (ARTS: an assessment by a credentialed addiction treatment professional comes first; not checked.)',
    },
    groupSize: {
      max: 10,
      per: 'facilitator',
      enforcement: 'hold',
      source: 'S4',
      status: 'verified',
      note: 'At most 10 individuals per peer recovery specialist.',
    },
    activities: {
      nonBillable: ['transport-logistics', 'outreach-engagement'],
      enforcement: 'hold',
      source: 'S4',
      status: 'verified',
      note: 'Not billable: transport, documentation time, volunteers, chores, case management, outreach.',
    },
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'Services start within 30 days of the recommendation.', source: 'S4', status: 'verified' },
    { text: 'A progress note goes in each group member\'s record.', source: 'S4', status: 'verified' },
  ],
};
