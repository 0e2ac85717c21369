/**
 * North Carolina: Alliance Health on Clinical Coverage Policy 8G (eff. 11/1/2019): H0038 individual,
 * H0038 HQ group, 24 unmanaged units per episode per state fiscal year.
 *
 * See: reference/billing.md §3 North Carolina (S2)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import {
  ANY_MODALITY,
  CERTIFIED_CREDENTIALS,
  DEFAULT_MODIFIER_ORDER,
  DEFAULT_PLACE_OF_SERVICE,
  DEFAULT_TELEHEALTH_MODIFIERS,
  H0038_DISPLAY,
  H0038_UNIT_MINUTES,
  NO_OVERLAP,
} from './common';
import { sourcesOf } from './sources';

/** The `nc-medicaid` pack. */
export const NC_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'nc-medicaid',
  version: '1.0.0',
  name: 'North Carolina Medicaid: Alliance Health peer support (CCP 8G)',
  description: 'H0038 and H0038 HQ with Alliance rates, 24 unmanaged units per fiscal year, groups of 12 per facilitator.',
  state: 'NC',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S2', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: { value: 'MIDPOINT', source: 'PK', status: 'unverified', note: 'No unit rounding rule in S2.' },
    unitMinutes: H0038_UNIT_MINUTES,
    sumSameDay: { value: false, source: 'PK', status: 'unverified', note: 'Not stated in S2.' },
    services: [
      {
        id: 'individual',
        code: 'H0038',
        display: H0038_DISPLAY,
        session: 'individual',
        modifiers: [],
        rate: { amount: 11.97, currency: 'USD', source: 'S2', status: 'verified', note: 'Alliance rate per unit' },
        source: 'S2',
        status: 'verified',
      },
      {
        id: 'group',
        code: 'H0038',
        display: H0038_DISPLAY,
        session: 'group',
        modifiers: [],
        rate: { amount: 2.88, currency: 'USD', source: 'S2', status: 'verified', note: 'Alliance rate per unit (H0038 HQ)' },
        source: 'S2',
        status: 'verified',
        note: 'H0038 HQ; U4/HQU4 retired 10/31/2019.',
      },
    ],
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    group: { value: 'HQ', source: 'S2', status: 'verified', note: 'H0038 HQ for group peer support.' },
    program: {},
    telehealth: DEFAULT_TELEHEALTH_MODIFIERS,
  },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [
    {
      id: 'unmanaged-sfy',
      units: {
        value: 24,
        source: 'S2',
        status: 'verified',
        note: '24 unmanaged units once per episode of care per state fiscal year; prior approval beyond that.',
      },
      window: {
        value: { kind: 'fiscal-year', startMonth: 7 },
        source: 'PK',
        status: 'unverified',
        note: 'The state fiscal year is taken to start July 1, and the episode of care to be the fiscal year.',
      },
      priorAuthorizationExtends: true,
      enforcement: 'hold',
    },
  ],
  mue: [],
  rules: {
    credential: {
      accepted: CERTIFIED_CREDENTIALS,
      stateCertification: true,
      enforcement: 'hold',
      source: 'S2',
      status: 'verified',
      note: 'NC Peer Support Specialist certification.',
    },
    supervision: {
      exemptRoleLevels: ['supervisor'],
      enforcement: 'hold',
      source: 'S2',
      status: 'verified',
      note: 'A full-time Qualified Professional supervises; the QP : CPSS 1:8 ratio is not checked.',
    },
    plan: {
      statuses: ['active', 'completed'],
      enforcement: 'hold',
      source: 'S2',
      status: 'verified',
      note: 'Clinical information in the Person-Centered Plan.',
    },
    orderAuth: {
      serviceOrder: true,
      assessment: true,
      priorAuthorization: false,
      enforcement: 'hold',
      source: 'S2',
      status: 'verified',
      note: 'Service order signed by a physician or licensed clinician before or on day 1; Comprehensive Clinical Assessment before the initial authorization.',
    },
    groupSize: {
      max: 12,
      per: 'facilitator',
      enforcement: 'hold',
      source: 'S2',
      status: 'verified',
      note: 'CPSS group facilitator : beneficiaries 1:12.',
    },
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [{ text: 'CPSS : beneficiary caseload 1:15 (not checked).', source: 'S2', status: 'verified' }],
};
