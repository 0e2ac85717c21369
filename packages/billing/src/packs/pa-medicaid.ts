/**
 * Pennsylvania Medical Assistance peer support services (OMHSAS-09-07, eff. 1/1/2010): a
 * recovery-focused Individual Service Plan within a month of enrollment, reviewed every 6 months and
 * signed by the individual, the peer specialist and a mental health professional; telephone contact
 * is reimbursable.
 *
 * See: reference/billing.md §3 Pennsylvania (S5)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import {
  DEFAULT_MODIFIER_ORDER,
  DEFAULT_PLACE_OF_SERVICE,
  DEFAULT_TELEHEALTH_MODIFIERS,
  FEDERAL_CREDENTIAL,
  FEDERAL_SUPERVISION,
  H0038_DISPLAY,
  NO_OVERLAP,
} from './common';
import { sourcesOf } from './sources';

const CODE_NOTE = 'The Pennsylvania code is UNVERIFIED (billing.md §3); H0038 is the national peer code. Set it from the PA MA handbook.';

/** The `pa-medicaid` pack. */
export const PA_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'pa-medicaid',
  version: '1.0.0',
  name: 'Pennsylvania Medical Assistance peer support services (OMHSAS)',
  description: 'Individual Service Plan within a month of enrollment, reviewed every 6 months, three signatures; telephone allowed.',
  state: 'PA',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S5', 'S11', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: { value: 'MIDPOINT', source: 'PK', status: 'unverified', note: 'No unit rounding rule in S5.' },
    unitMinutes: { value: 15, source: 'S1', status: 'verified', note: 'H0038 "per 15 minutes"; the PA unit is UNVERIFIED.' },
    sumSameDay: { value: false, source: 'PK', status: 'unverified', note: 'Not stated in S5.' },
    services: [
      { id: 'individual', code: 'H0038', display: H0038_DISPLAY, session: 'individual', modifiers: [], source: 'PK', status: 'unverified', note: CODE_NOTE },
      { id: 'group', code: 'H0038', display: H0038_DISPLAY, session: 'group', modifiers: [], source: 'PK', status: 'unverified', note: CODE_NOTE },
    ],
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    group: { value: 'HQ', source: 'S14', status: 'unverified', note: 'HQ "Group setting" [S14]; not stated in S5.' },
    program: {},
    telehealth: DEFAULT_TELEHEALTH_MODIFIERS,
  },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [],
  mue: [],
  rules: {
    credential: FEDERAL_CREDENTIAL,
    supervision: FEDERAL_SUPERVISION,
    plan: {
      statuses: ['active', 'completed'],
      graceMonthsAfterEnrollment: { value: 1, source: 'S5', status: 'verified', note: 'Individual Service Plan within 1 month of enrollment.' },
      reviewEveryMonths: { value: 6, source: 'S5', status: 'verified', note: 'Reviewed every 6 months.' },
      signatures: {
        value: ['peer', 'specialist', 'clinician'],
        source: 'S5',
        status: 'verified',
        note: 'Signed by the individual, the peer specialist and a mental health professional (PeerKit role: clinician).',
      },
      enforcement: 'hold',
      source: 'S5',
      status: 'verified',
      note: 'Recovery-focused Individual Service Plan with measurable goals.',
    },
    duplicateService: NO_OVERLAP,
    telehealth: {
      modalities: {
        value: ['in-person', 'audio-only'],
        source: 'S5',
        status: 'verified',
        note: 'Telephone contact is reimbursable PSS from 1/1/2010. Video is not stated in S5: add it if your agreement allows.',
      },
      enforcement: 'hold',
    },
  },
  notes: [
    {
      text: 'Provider licensed or approved by OMHSAS (PSS, clinic, partial hospitalization, crisis or case-management provider types).',
      source: 'S5',
      status: 'verified',
    },
    { text: 'Plan goals are measurable.', source: 'S5', status: 'verified' },
  ],
};
