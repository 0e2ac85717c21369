/**
 * @peerkit/billing/x12 — X12 files for clearinghouses: 837P (005010X222A1) claims out and 835
 * (005010X221A1) remittance in, built and parsed with the `node-x12` library. **Node only**: node-x12
 * loads Node's `stream`, `string_decoder` and `crypto` modules, so this entry is kept out of the pure
 * main entry (which builds the claim content, `toProfessionalClaims`, and matches remittances,
 * `matchRemittance`, in any runtime).
 *
 * @packageDocumentation
 */
export { toX12Professional, X12_837P_VERSION } from './write-837p';
export type { InterchangeId, X12File, X12ProfessionalOptions } from './write-837p';
export { parseX12Remittance } from './read-835';
