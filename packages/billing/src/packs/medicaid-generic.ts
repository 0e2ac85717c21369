/**
 * Generic Medicaid peer support (H0038): a starting point for a Medicaid or Medicaid MCO payer with no
 * state pack. Only the code, its unit and the federal baseline are sourced; everything else is an
 * UNVERIFIED default to set from the payer's manual.
 *
 * See: reference/billing.md §1 (H0038), §3 (federal Medicaid baseline)
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
  NO_OVERLAP,
} from './common';
import { sourcesOf } from './sources';

/** The `medicaid-generic` pack. */
export const MEDICAID_GENERIC_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'medicaid-generic',
  version: '1.0.0',
  name: 'Generic Medicaid peer support (H0038)',
  description:
    'H0038 per 15 minutes with HQ for groups, the federal supervision and credentialing baseline, and no caps. ' +
    'Copy it and set the unverified figures from your Medicaid payer manual.',
  coveragePayerIds: [],
  sources: sourcesOf('S1', 'S8', 'S11', 'S12b', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: {
      value: 'MIDPOINT',
      source: 'PK',
      status: 'unverified',
      note: 'H0038 has no national unit rule (billing.md §0.1); MIDPOINT is the per-service rule of S12b, FULL_UNIT the Michigan rule of S8.',
    },
    unitMinutes: H0038_UNIT_MINUTES,
    sumSameDay: {
      value: false,
      source: 'PK',
      status: 'unverified',
      note: 'Whether same-day sessions are added up before converting is payer-specific (billing.md §1.2 D).',
    },
    services: [
      { id: 'individual', code: 'H0038', display: H0038_DISPLAY, session: 'individual', modifiers: [], source: 'S1', status: 'verified' },
      { id: 'group', code: 'H0038', display: H0038_DISPLAY, session: 'group', modifiers: [], source: 'S1', status: 'verified' },
    ],
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    group: {
      value: 'HQ',
      source: 'S14',
      status: 'unverified',
      note: 'HQ means "Group setting" [S14]; that this payer requires it is not verified.',
    },
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
      enforcement: 'warn',
      source: 'PK',
      status: 'unverified',
      note: 'Most state rules ask for a current recovery or service plan; warn only until the payer says.',
    },
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    {
      text: 'H-series codes are generally not Medicare-payable; bill Medicare peer support as PIN (medicare-pin pack).',
      source: 'PK',
      status: 'unverified',
    },
  ],
};
