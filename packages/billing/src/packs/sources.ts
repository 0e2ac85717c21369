import { PLACE_OF_SERVICE_CODE_SET } from '../place-of-service';

/**
 * The sources of reference/billing.md (S1–S27), as the shipped packs cite them; sources PeerKit
 * added and checked since (the CMS place of service code set `CMS-POS`, the state manuals of the
 * packs added for issue 19); and `PK` for PeerKit defaults that no source backs (UNVERIFIED: set them
 * from the payer's contract or manual).
 */
export const BILLING_SOURCES = {
  S1: 'Horizon NJ Health, "Self-Help/Peer Support Billing Guidelines" (eff. 7/1/2020), horizonnjhealth.com',
  S2: 'Alliance Health (NC), "Changes to Medicaid-Funded Peer Support" (Clinical Coverage Policy 8G, eff. 11/1/2019), alliancehealthplan.org',
  S3: "Texas Children's Health Plan provider alert on H0038 (thecheckup.org, 2020); 1 TAC §354.3003, §354.3203; 1 TAC ch. 354 subch. N",
  S4: 'Virginia Administrative Code 12VAC30-130-5160, -5180, -5190, -5210 (law.lis.virginia.gov); DMAS 2017 draft definitions',
  S5: 'PA DPW Supplemental Provider Agreement for Peer Support Services; bulletin OMHSAS-09-07 (eff. 1/1/2010); PA MA Handbook §VII',
  S6: 'WA Legislature bill reports on SB 5555; WSR 25-08-033',
  S7: 'Colorado HCPF, hcpf.colorado.gov/peerservices; Colorado Access provider update, Sept 2025 (NCCI)',
  S8: 'Michigan "PIHP/CMHSP Encounter Reporting" rounding rules; Gratiot IHN peer page; sciforschenonline.org analysis',
  S9: 'GA DBHDD "Certified Peer Specialists"; GA state plan Att. 4.19-B; ASPE handbook Attachment B',
  S10: 'CA DHCS Medi-Cal Peer Support Specialist FAQ; CalMHSA certified peer procedure list',
  S11: 'CMS SMDL #07-011 (Aug 15, 2007), medicaid.gov/federal-policy-guidance/downloads/SMD081507A.pdf',
  S11b: 'rightsandrecovery.org summary of the CMCS FAQ of June 5, 2024',
  S12: 'Medicare Claims Processing Manual (Pub. 100-04) ch. 5 §20.2 (quoted on chirocode.com, aapc.com)',
  S12b: 'Blue Cross of Idaho policy PAP228',
  S13: 'CMS "Medicare NCCI Medically Unlikely Edits" page (cms.gov)',
  S14: 'OHDSI/Vocabulary-v5.0 HCPCS/load_stage.sql (HCPCS modifier descriptions from the CMS file)',
  S15: 'hcpcs.codes G0140 and G0146 pages; healthprovidersdata.com G0140',
  S16: 'paahec.org (CHI/PIN/SDOH table); therybargroup.com and codingintel.com PIN summaries of the CY2024 PFS final rule',
  S17: 'First Coast Service Options, "Telehealth services" (Apr 2025), on the CY2025 PFS final rule',
  S17b: 'cchpca.org telehealth modalities page',
  S18: 'HL7 Terminology (THO): CodeSystem hcpcs-Level-II, NamingSystem and ValueSet CMSPlaceOfServiceCodes',
  S19: 'HL7 CARIN Blue Button IG (GitHub HL7/carin-bb): Aliases.fsh, EOBProfessionalProfile.fsh, AMACPTCMSHCPCSModifiers',
  S20: 'HL7 Da Vinci CRD, input/fsh/codesystems/CRDTempCodes.fsh (commit 498ceba, _cmsLocation codes)',
  S21: 'HL7 Da Vinci PAS FSH examples (PASClaim HomecareAuthorizationExample)',
  S22: 'US Core ValueSet us-core-procedure-code pages (STU5, STU6, 6.1, STU7)',
  S23: 'FHIR R4B ChargeItem page (hl7.org); R4 Claim.item structure',
  S24: 'CMS Blue Button 2.0 sample EOB JSON',
  S25: 'HCPCSValidator.com H0040 page',
  S27: 'wmwtl.com article quoting the AMA modifier 93 descriptor; FQ wording from public code lists',
  'CMS-POS': PLACE_OF_SERVICE_CODE_SET.citation,
  PK: 'PeerKit default: no source found (reference/billing.md marks it UNVERIFIED). Set it from the payer contract or billing manual.',
} as const;

/** A source id of {@link BILLING_SOURCES}. */
export type BillingSourceId = keyof typeof BILLING_SOURCES;

/** The citations of some sources, for a pack's `sources`. */
export function sourcesOf(...ids: readonly BillingSourceId[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = BILLING_SOURCES[id];
  return out;
}
