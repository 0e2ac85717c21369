import type { PayerPack } from '../pack-schema';
import { CA_MEDI_CAL_PACK } from './ca-medi-cal';
import { CO_MEDICAID_PACK } from './co-medicaid';
import { GA_MEDICAID_PACK } from './ga-medicaid';
import { MEDICAID_GENERIC_PACK } from './medicaid-generic';
import { MEDICARE_PIN_PACK } from './medicare-pin';
import { MI_MEDICAID_PACK } from './mi-medicaid';
import { NC_MEDICAID_PACK } from './nc-medicaid';
import { NJ_MEDICAID_PACK } from './nj-medicaid';
import { PA_MEDICAID_PACK } from './pa-medicaid';
import { TX_MEDICAID_PACK } from './tx-medicaid';
import { VA_MEDICAID_PACK } from './va-medicaid';
import { WA_MEDICAID_PACK } from './wa-medicaid';

/**
 * The payer packs PeerKit ships, generic ones first. When several packs bill the same coverage payer
 * id, the first one listed wins unless the caller maps the payer explicitly.
 *
 * @example
 * PAYER_PACKS.map((p) => p.id); // ['medicaid-generic', 'medicare-pin', 'nj-medicaid', …]
 * See: reference/billing.md §2, §3
 */
export const PAYER_PACKS: readonly PayerPack[] = [
  MEDICAID_GENERIC_PACK,
  MEDICARE_PIN_PACK,
  NJ_MEDICAID_PACK,
  NC_MEDICAID_PACK,
  TX_MEDICAID_PACK,
  VA_MEDICAID_PACK,
  PA_MEDICAID_PACK,
  MI_MEDICAID_PACK,
  CA_MEDI_CAL_PACK,
  WA_MEDICAID_PACK,
  CO_MEDICAID_PACK,
  GA_MEDICAID_PACK,
];

/**
 * A shipped pack by id.
 *
 * @param id - a pack id, e.g. `medicare-pin`
 * @returns the pack, or `undefined`
 * @example
 * getPayerPack('nj-medicaid')?.caps[0]?.units.value; // 16
 */
export function getPayerPack(id: string): PayerPack | undefined {
  return PAYER_PACKS.find((pack) => pack.id === id);
}

export {
  CA_MEDI_CAL_PACK,
  CO_MEDICAID_PACK,
  GA_MEDICAID_PACK,
  MEDICAID_GENERIC_PACK,
  MEDICARE_PIN_PACK,
  MI_MEDICAID_PACK,
  NC_MEDICAID_PACK,
  NJ_MEDICAID_PACK,
  PA_MEDICAID_PACK,
  TX_MEDICAID_PACK,
  VA_MEDICAID_PACK,
  WA_MEDICAID_PACK,
};
