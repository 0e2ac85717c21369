/**
 * Michigan Medicaid behavioral health (PIHP/CMHSP encounter reporting): H0038 for peer support, with
 * HF for substance use programs, and the full-unit rounding of codes defined as "15 minutes" (1–14
 * minutes are not reported).
 *
 * See: reference/billing.md §1.2 C and §3 Michigan (S8)
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

/** The `mi-medicaid` pack. */
export const MI_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'mi-medicaid',
  version: '1.0.0',
  name: 'Michigan Medicaid: PIHP/CMHSP peer support (H0038, HF for substance use)',
  description: 'H0038 per 15 minutes under the PIHP/CMHSP full-unit rounding rule; HF on substance use peer recovery lines.',
  state: 'MI',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S8', 'S11', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    strategy: {
      value: 'FULL_UNIT',
      source: 'S8',
      status: 'verified',
      note: 'Codes defined as "15 minutes": 1-14 min = 0 (do not report), 15-29 = 1, 30-44 = 2 …',
    },
    unitMinutes: H0038_UNIT_MINUTES,
    sumSameDay: {
      value: false,
      source: 'PK',
      status: 'unverified',
      note: 'S8: an encounter interrupted during a day is reported as one encounter; whether separate sessions add up is not stated.',
    },
    services: [
      {
        id: 'mh-individual',
        code: 'H0038',
        display: H0038_DISPLAY,
        session: 'individual',
        programs: ['mental-health'],
        modifiers: [],
        source: 'S8',
        status: 'verified',
        note: 'H0038 peer support (PIHP/CMHSP encounter code).',
      },
      {
        id: 'sud-individual',
        code: 'H0038',
        display: H0038_DISPLAY,
        session: 'individual',
        programs: ['substance-use', 'co-occurring'],
        modifiers: ['HF'],
        source: 'S8',
        status: 'verified',
        note: 'H0038 HF for substance use peer recovery (Gratiot IHN also lists T1012 for "Peer Support/Recovery Coach"). Co-occurring as HF is PeerKit\'s reading.',
      },
    ],
  },
  modifiers: { order: DEFAULT_MODIFIER_ORDER, program: {}, telehealth: DEFAULT_TELEHEALTH_MODIFIERS },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [],
  mue: [],
  rules: {
    credential: FEDERAL_CREDENTIAL,
    supervision: FEDERAL_SUPERVISION,
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'Do not report an encounter whose units are 0 (the full-unit table).', source: 'S8', status: 'verified' },
    { text: 'A Certified Peer Support Specialist counts as a qualified mental health professional (policy analysis).', source: 'S8', status: 'secondary' },
    { text: 'No group code is given; group sessions are not billed under this pack.', source: 'PK', status: 'unverified' },
  ],
};
