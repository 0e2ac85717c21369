/**
 * The instruments PeerKit ships, by id.
 */
import type { InstrumentDefinition } from '../instrument';
import { BARC_10 } from './barc-10';
import { GAD_7 } from './gad-7';
import { PHQ_9 } from './phq-9';

/**
 * BARC-10, PHQ-9 and GAD-7. MIRC and REC-CAP are not shipped (their wording is not licensed for
 * redistribution, or the licence could not be checked): define them with `defineInstrument`.
 */
export const INSTRUMENTS: readonly InstrumentDefinition[] = [BARC_10, PHQ_9, GAD_7];

/**
 * A shipped instrument by id.
 *
 * @param id - `barc-10`, `phq-9` or `gad-7`
 * @returns the instrument, or `undefined`
 * @example
 * getInstrument('phq-9')?.totalCode.code; // '44261-6'
 */
export function getInstrument(id: string): InstrumentDefinition | undefined {
  return INSTRUMENTS.find((instrument) => instrument.id === id);
}
