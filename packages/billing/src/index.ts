/**
 * @peerkit/billing — billing-code helpers for peer support: minutes to units under every strategy in
 * the billing reference, payer rule packs as validated data, the CMS place of service code set,
 * `billEncounters` with the pre-flight checks, and output as FHIR Claim/ChargeItem, 837P-ready CSV and
 * professional claim content; remittance (835) matched back to the lines with CARC/RARC meanings. Pure:
 * no I/O. The X12 files themselves (837P out, 835 in) are in the Node-only subpath `@peerkit/billing/x12`.
 *
 * @packageDocumentation
 */
export {
  allocateUnits,
  isUnitStrategy,
  monthlyUnits,
  UNIT_STRATEGIES,
  UNIT_STRATEGY_NAMES,
  unitsForDay,
  unitsForMinutes,
} from './units';
export type { DayUnitOptions, MonthlyUnitRule, UnitOptions, UnitStrategy, UnitStrategyInfo } from './units';

export { BILLING_CHECKS, SECTION_6_CHECKS } from './checks';
export type { BillingCheck, BillingCheckInfo } from './checks';

export {
  ENFORCEMENTS,
  FIGURE_STATUSES,
  MAX_MODIFIERS,
  MODIFIER_SLOTS,
  PAYER_PACK_FORMAT,
  parsePayerPack,
  payerPackSchema,
} from './pack-schema';
export type {
  CapWindow,
  Enforcement,
  Figure,
  FigureStatus,
  ModifierSlot,
  PackCap,
  PackRules,
  PayerPack,
  PayerPackInput,
  TimedService,
} from './pack-schema';

export {
  CA_MEDI_CAL_PACK,
  CO_MEDICAID_PACK,
  GA_MEDICAID_PACK,
  getPayerPack,
  MEDICAID_GENERIC_PACK,
  MEDICARE_PIN_PACK,
  MI_MEDICAID_PACK,
  NC_MEDICAID_PACK,
  NJ_MEDICAID_PACK,
  PA_MEDICAID_PACK,
  PAYER_PACKS,
  TX_MEDICAID_PACK,
  VA_MEDICAID_PACK,
  WA_MEDICAID_PACK,
} from './packs';
export { BILLING_SOURCES } from './packs/sources';
export type { BillingSourceId } from './packs/sources';
export {
  isPlaceOfServiceCode,
  parsePlaceOfServiceMap,
  PLACE_OF_SERVICE_CODE_SET,
  PLACE_OF_SERVICE_CODES,
  placeOfServiceMapSchema,
  resolvePlaceOfService,
} from './place-of-service';
export type {
  PlaceOfServiceCode,
  PlaceOfServiceDefaults,
  PlaceOfServiceMap,
  PlaceOfServicePlaces,
  PlaceOfServiceQuery,
  PlaceOfServiceStatus,
} from './place-of-service';

export { billingEvidenceSchema, collectBillingRecords, parseBillingEvidence } from './billing-context';
export type { BilledUnits, BillingContext, BillingEvidence, BillingRecords } from './billing-context';
export { DEFAULT_ORDER_CODES, ICD10CM_SYSTEM, mergeBillingEvidence, toBillingFacts } from './host-facts';
export type { HostBillingFacts, HostBillingOptions, HostBillingSummary } from './host-facts';
export { billEncounters } from './bill-encounters';
export type { BillingFinding, BillingRun, ClaimLine, NotBilled, ServiceRef } from './claim-line';
export { summarizeBilling } from './summary';
export type { BillingSummary } from './summary';

export {
  CHARGE_ITEM_MODIFIER_EXTENSION,
  CHARGE_ITEM_PLACE_OF_SERVICE_EXTENSION,
  claimKeyOf,
  toFhirChargeItems,
  toFhirClaims,
} from './claim';
export type { FhirBillingOptions } from './claim';
export { CLAIM_LINE_CSV_COLUMNS, toClaimLinesCsv } from './csv';
export type { ClaimLinesCsvOptions, CsvColumn } from './csv';

export {
  claimControlNumber,
  lineControlNumber,
  toProfessionalClaims,
} from './professional-claim';
export type {
  BillingProvider,
  ClaimFrequency,
  ClaimMember,
  ClaimParty,
  ClaimPayer,
  ClaimSubmitter,
  OmittedClaim,
  PostalAddress,
  ProfessionalClaim,
  ProfessionalClaimBatch,
  ProfessionalClaimOptions,
  ProfessionalClaims,
  ProfessionalServiceLine,
  ProfessionalSubscriber,
  RenderingProvider,
} from './professional-claim';
export { billedUnitsOf, createMemoryBillingLedger, isBillingLedgerEntry, readBillingLedger } from './ledger';
export type { BillingLedger, BillingLedgerEntry, BillingLedgerState, LedgerClaimEntry, LedgerPayerNumberEntry } from './ledger';
export { planLedgerClaims } from './ledger-plan';
export type { LedgerPlan, LedgerPlanOptions } from './ledger-plan';
export { claimsConfigSchema, parseClaimsConfig } from './claims-config';
export type { ClaimsConfig } from './claims-config';
export { matchRemittance, summarizeDenials } from './remittance';
export type {
  DenialReason,
  ExplainedAdjustment,
  ExplainedRemark,
  LineRemittance,
  Remittance,
  RemittanceAdjustment,
  RemittanceClaim,
  RemittanceMatch,
  RemittanceService,
} from './remittance';
export { ADJUSTMENT_CODE_SOURCES, CARC_CODES, CLAIM_ADJUSTMENT_GROUPS, RARC_CODES } from './adjustment-codes';
export type { AdjustmentCodeInfo } from './adjustment-codes';
