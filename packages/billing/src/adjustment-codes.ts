/**
 * The claim adjustment group codes, Claim Adjustment Reason Codes (CARC) and Remittance Advice Remark
 * Codes (RARC) PeerKit explains when it reads an 835: the ones a peer support line meets (authorization,
 * units and frequency, place of service, modifiers, provider type, eligibility, duplicates). Meanings
 * are short paraphrases; the code lists belong to X12 and change several times a year, so a code not
 * listed here is reported with its code alone.
 *
 * See: https://x12.org/codes/claim-adjustment-reason-codes; https://x12.org/codes/remittance-advice-remark-codes
 */

/** What one adjustment or remark code means, and where that was checked. */
export interface AdjustmentCodeInfo {
  /** A short paraphrase of the X12 description. */
  readonly meaning: string;
  /** Source id in {@link ADJUSTMENT_CODE_SOURCES}. */
  readonly source: keyof typeof ADJUSTMENT_CODE_SOURCES;
}

/** Where the code meanings were checked (2026-12-07). */
export const ADJUSTMENT_CODE_SOURCES = {
  'X12-CARC':
    'X12 Claim Adjustment Reason Codes, https://x12.org/codes/claim-adjustment-reason-codes (descriptions as mirrored from the WPC list in OpenEMR interface/billing/adjustment_reason_codes.php; checked 2026-12-07)',
  'X12-RARC':
    'X12 Remittance Advice Remark Codes, https://x12.org/codes/remittance-advice-remark-codes (descriptions as mirrored in OpenEMR interface/billing/remark_codes.php; checked 2026-12-07)',
  'X12-835':
    'ASC X12N 835 005010X221A1, CAS01 claim adjustment group code (element 1033) and CLP02 claim status code (element 1029)',
} as const;

/**
 * Claim adjustment group codes (CAS01): who bears the adjusted amount.
 *
 * @example
 * CLAIM_ADJUSTMENT_GROUPS.CO.meaning; // 'Contractual obligation: the provider may not bill the patient'
 */
export const CLAIM_ADJUSTMENT_GROUPS: Readonly<Record<string, AdjustmentCodeInfo>> = {
  CO: { meaning: 'Contractual obligation: the provider may not bill the patient', source: 'X12-835' },
  PR: { meaning: 'Patient responsibility', source: 'X12-835' },
  OA: { meaning: 'Other adjustment', source: 'X12-835' },
  PI: { meaning: 'Payer-initiated reduction', source: 'X12-835' },
  CR: { meaning: 'Correction or reversal of a prior decision', source: 'X12-835' },
};

/**
 * The Claim Adjustment Reason Codes PeerKit explains, by code.
 *
 * @example
 * CARC_CODES['197']?.meaning; // 'Precertification, authorization or notification absent'
 */
export const CARC_CODES: Readonly<Record<string, AdjustmentCodeInfo>> = {
  '1': { meaning: 'Deductible amount', source: 'X12-CARC' },
  '2': { meaning: 'Coinsurance amount', source: 'X12-CARC' },
  '3': { meaning: 'Co-payment amount', source: 'X12-CARC' },
  '4': { meaning: 'Procedure code inconsistent with the modifier, or a required modifier is missing', source: 'X12-CARC' },
  '5': { meaning: 'Procedure code inconsistent with the place of service', source: 'X12-CARC' },
  '6': { meaning: "Procedure inconsistent with the patient's age", source: 'X12-CARC' },
  '8': { meaning: 'Procedure code inconsistent with the provider type or specialty (taxonomy)', source: 'X12-CARC' },
  '11': { meaning: 'Diagnosis inconsistent with the procedure', source: 'X12-CARC' },
  '15': { meaning: 'Authorization number missing, invalid, or not for the billed services or provider', source: 'X12-CARC' },
  '16': { meaning: 'Claim or service lacks information or has a billing error (a remark code says which)', source: 'X12-CARC' },
  '18': { meaning: 'Exact duplicate claim or service', source: 'X12-CARC' },
  '22': { meaning: 'May be covered by another payer (coordination of benefits)', source: 'X12-CARC' },
  '26': { meaning: 'Expenses incurred before coverage', source: 'X12-CARC' },
  '27': { meaning: 'Expenses incurred after coverage ended', source: 'X12-CARC' },
  '29': { meaning: 'The time limit for filing has expired', source: 'X12-CARC' },
  '31': { meaning: "Patient cannot be identified as the payer's insured", source: 'X12-CARC' },
  '45': { meaning: 'Charge exceeds the fee schedule, maximum allowable or contracted fee', source: 'X12-CARC' },
  '50': { meaning: 'Not deemed a medical necessity by the payer', source: 'X12-CARC' },
  '58': { meaning: 'Rendered in an inappropriate or invalid place of service', source: 'X12-CARC' },
  '96': { meaning: 'Non-covered charge (a remark code says why)', source: 'X12-CARC' },
  '97': { meaning: 'Included in the payment for another service already adjudicated', source: 'X12-CARC' },
  '109': { meaning: 'Not covered by this payer: send the claim to the correct payer', source: 'X12-CARC' },
  '119': { meaning: 'Benefit maximum for this time period or occurrence reached', source: 'X12-CARC' },
  '150': { meaning: 'Information submitted does not support this level of service', source: 'X12-CARC' },
  '151': { meaning: 'Information submitted does not support this many services or this frequency', source: 'X12-CARC' },
  '170': { meaning: 'Denied when performed or billed by this type of provider', source: 'X12-CARC' },
  '177': { meaning: 'Patient has not met the eligibility requirements', source: 'X12-CARC' },
  '181': { meaning: 'Procedure code invalid on the date of service', source: 'X12-CARC' },
  '182': { meaning: 'Procedure modifier invalid on the date of service', source: 'X12-CARC' },
  '185': { meaning: 'The rendering provider is not eligible to perform the service billed', source: 'X12-CARC' },
  '197': { meaning: 'Precertification, authorization or notification absent', source: 'X12-CARC' },
  '198': { meaning: 'Precertification or authorization exceeded', source: 'X12-CARC' },
  '204': { meaning: "Service not covered under the patient's current benefit plan", source: 'X12-CARC' },
  '206': { meaning: 'National Provider Identifier missing', source: 'X12-CARC' },
  '222': { meaning: 'Exceeds the contracted maximum hours, days or units by this provider for the period', source: 'X12-CARC' },
  '242': { meaning: 'Services not provided by network or primary care providers', source: 'X12-CARC' },
  '272': { meaning: 'Coverage or program guidelines were not met', source: 'X12-CARC' },
  '273': { meaning: 'Coverage or program guidelines were exceeded', source: 'X12-CARC' },
  A1: { meaning: 'Claim or service denied (a remark code says why)', source: 'X12-CARC' },
  B7: { meaning: 'Provider not certified or eligible to be paid for this service on this date', source: 'X12-CARC' },
};

/**
 * The Remittance Advice Remark Codes PeerKit explains, by code.
 *
 * @example
 * RARC_CODES.M77?.meaning; // 'Place of service missing, incomplete, invalid or inappropriate'
 */
export const RARC_CODES: Readonly<Record<string, AdjustmentCodeInfo>> = {
  M76: { meaning: 'Diagnosis or condition missing, incomplete or invalid', source: 'X12-RARC' },
  M77: { meaning: 'Place of service missing, incomplete, invalid or inappropriate', source: 'X12-RARC' },
  M79: { meaning: 'Charge missing, incomplete or invalid', source: 'X12-RARC' },
  M80: { meaning: 'Not covered in the same session or on the same date as a service already processed', source: 'X12-RARC' },
  N3: { meaning: 'Consent form missing', source: 'X12-RARC' },
  N20: { meaning: 'Not payable with another service rendered on the same date', source: 'X12-RARC' },
  N28: { meaning: 'Consent form requirements not fulfilled', source: 'X12-RARC' },
  N29: { meaning: 'Documentation, orders, notes or report missing', source: 'X12-RARC' },
  N30: { meaning: 'Patient ineligible for this service', source: 'X12-RARC' },
  N54: { meaning: 'Claim information inconsistent with the pre-certified or authorized services', source: 'X12-RARC' },
  N56: { meaning: 'Procedure code not correct or valid for the services or date billed', source: 'X12-RARC' },
  N79: { meaning: 'Service billed not compatible with the patient location information', source: 'X12-RARC' },
  N95: { meaning: 'This provider type or specialty may not bill this service', source: 'X12-RARC' },
  N130: { meaning: 'Consult plan benefit documents for restrictions on this service', source: 'X12-RARC' },
};
