/**
 * Colorado Health First Colorado peer services (HCPF): a covered diagnosis, peers certified or in the
 * certification process from January 1, 2026, and NCCI edits applied by the Regional Accountable
 * Entities from July 1, 2025. HCPF limited the codes peers bill on July 1, 2025 (the list is UNVERIFIED).
 *
 * See: reference/billing.md §3 Colorado (S7)
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

/** The `co-medicaid` pack. */
export const CO_MEDICAID_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'co-medicaid',
  version: '1.0.0',
  name: 'Colorado Health First Colorado peer services (HCPF)',
  description: 'A covered diagnosis on every line; certified (or in-process) peers from 2026; NCCI edits from July 2025.',
  state: 'CO',
  coveragePayerIds: ['medicaid-generic'],
  sources: sourcesOf('S1', 'S7', 'S11', 'S13', 'S14', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'timed',
    ...unverifiedTimedUnits('S7'),
    unitMinutes: H0038_UNIT_MINUTES,
    services: unverifiedH0038Services('HCPF limited the codes peers bill from 7/1/2025; the list is UNVERIFIED (billing.md §3). Set the code from the HCPF billing manual.'),
  },
  modifiers: unverifiedModifiers('S7'),
  placeOfService: DEFAULT_PLACE_OF_SERVICE,
  caps: [],
  mue: [],
  rules: {
    credential: {
      accepted: [...CERTIFIED_CREDENTIALS, 'training-completed'],
      stateCertification: false,
      enforcement: 'hold',
      source: 'S7',
      status: 'verified',
      note: 'From 1/1/2026 peers are certified or in the certification process (record those as training-completed), and credentialed by a nationally recognized organization by 7/1/2026.',
    },
    supervision: FEDERAL_SUPERVISION,
    diagnosis: {
      enforcement: 'hold',
      source: 'S7',
      status: 'verified',
      note: 'A covered diagnosis is required; which codes are covered is not listed here (set codePrefixes from HCPF).',
    },
    duplicateService: NO_OVERLAP,
    telehealth: ANY_MODALITY,
  },
  notes: [
    { text: 'From 7/1/2025 the RAEs apply all NCCI edits: load the Medicaid NCCI MUE values into evidence.mue.', source: 'S7', status: 'verified' },
    { text: 'The agency attests to the RAE that its peers meet the credential rule; a new provider type, the Recovery Support Services Organization (RSSO), may bill.', source: 'S7', status: 'verified' },
  ],
};
