/**
 * California Medi-Cal peer support services: the CalMHSA procedure list's "Self-help/peer service …
 * (Utilized by Certified Peer Specialists only). Per 15 minutes" (H0038's descriptor), delivered by
 * Medi-Cal Peer Support Specialists certified through CalMHSA and supervised under BHIN 22-018.
 *
 * See: reference/billing.md §3 California (S10)
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
  unverifiedTimedUnits,
} from './common';
import { sourcesOf } from './sources';

/** The `ca-medi-cal` pack. */
export const CA_MEDI_CAL_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'ca-medi-cal',
  version: '1.0.0',
  name: 'California Medi-Cal peer support services (CalMHSA certified peer specialists)',
  description: 'H0038 per 15 minutes, rendered by CalMHSA-certified Medi-Cal Peer Support Specialists only, under a supervisor (BHIN 22-018).',
  state: 'CA',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S10', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    ...unverifiedTimedUnits('S10'),
    unitMinutes: { value: 15, source: 'S10', status: 'verified', note: 'CalMHSA: "Per 15 minutes".' },
    services: [
      {
        id: 'individual',
        code: 'H0038',
        display: H0038_DISPLAY,
        session: 'individual',
        modifiers: [],
        source: 'S10',
        status: 'verified',
        note: 'CalMHSA: "Self-help/peer service … (Utilized by Certified Peer Specialists only). Per 15 minutes" (the H0038 descriptor).',
      },
    ],
  },
  modifiers: { order: DEFAULT_MODIFIER_ORDER, program: {}, telehealth: DEFAULT_TELEHEALTH_MODIFIERS },
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [],
  mue: [],
  rules: {
    credential: {
      accepted: CERTIFIED_CREDENTIALS,
      stateCertification: true,
      enforcement: 'hold',
      source: 'S10',
      status: 'verified',
      note: 'Medi-Cal Peer Support Specialist certification only through CalMHSA (certified peer specialists only).',
    },
    supervision: {
      exemptRoleLevels: ['supervisor'],
      enforcement: 'hold',
      source: 'S10',
      status: 'verified',
      note: 'Supervisor rules in BHIN 22-018; PeerKit asks for a supervisor of record.',
    },
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'Peer Support Specialists are 18 or older with a GED or equivalent (a certification requirement, not a member limit).', source: 'S10', status: 'verified' },
    {
      text: 'Groups: CalMHSA lists a "Behavioral Health Prevention Education service: skill building groups conducted by a Certified Peer Support Specialist" (H0025, code inferred from the name); it is per service, so this timed pack does not bill groups.',
      source: 'S10',
      status: 'secondary',
    },
  ],
};
