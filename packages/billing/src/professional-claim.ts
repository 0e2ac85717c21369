/**
 * The content of a professional claim (CMS-1500 / X12 837P 005010X222A1), built from billable lines:
 * one batch per payer, subscribers under it, one claim per member and month (`claimKeyOf`), service
 * lines with their control numbers. Pure data; `@peerkit/billing/x12` writes it as an 837P file.
 * Claims the host gave too little for (no member demographics, no diagnosis, no charge) are left out
 * and listed with the reason, never sent incomplete.
 *
 * See: ASC X12N 837P 005010X222A1 (loops 1000A/B, 2000A-2010AA/AB, 2000B-2010BA/BB, 2300, 2310B, 2400, 2420A)
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { Issue, Organization, Specialist } from '@peerkit/model';
import type { BillingEvidence } from './billing-context';
import type { BillingRun, ClaimLine } from './claim-line';
import { claimKeyOf } from './claim';
import { controlNumber } from './internal/control-number';

/** A postal address as the 837P's N3/N4 segments carry it. */
export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  /** Two-letter state code. */
  state: string;
  /** Five or nine digits (the billing provider's must be nine). */
  postalCode: string;
}

/** A party named by name and id (receiver; payer). */
export interface ClaimParty {
  name: string;
  /** The id the trading partner assigned (receiver: NM109 with qualifier 46; payer: payer id, qualifier PI). */
  id: string;
}

/** The submitter (loop 1000A): who sends the file, with the EDI contact the payer calls. */
export interface ClaimSubmitter extends ClaimParty {
  contactName: string;
  /** Telephone, digits only (PER04 with TE). */
  phone: string;
}

/** The billing provider (loop 2010AA). */
export interface BillingProvider {
  /** Organization name. Default the organization's name. */
  name?: string;
  /** Ten-digit NPI. Default the organization's NPI identifier. */
  npi?: string;
  /** Employer identification number (REF*EI), nine digits. */
  taxId: string;
  address: PostalAddress;
  /** Provider taxonomy (PRV*BI), when the payer wants one. Default none. */
  taxonomy?: string;
}

/** A payer as the 837P names it (loop 2010BB), and how its claims are filed. */
export interface ClaimPayer extends ClaimParty {
  /**
   * SBR09 claim filing indicator: `MC` Medicaid, `MB` Medicare Part B, `HM` HMO, `CI` commercial…
   * Default `MB` for a monthly (Medicare PIN) pack, else `MC`.
   */
  claimFilingIndicator?: string;
}

/** What the 837P says about the member (the subscriber, who is the patient: loop 2010BA). */
export interface ClaimMember {
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD` (DMG02). */
  birthDate: string;
  /** DMG03: `F`, `M` or `U`. */
  gender: 'F' | 'M' | 'U';
  address: PostalAddress;
}

/** Options of {@link toProfessionalClaims}. */
export interface ProfessionalClaimOptions {
  submitter: ClaimSubmitter;
  receiver: ClaimParty;
  billingProvider: BillingProvider;
  /** The export's organization, for the billing provider's name and NPI. Default none. */
  organization?: Organization;
  /** Pay-to address (loop 2010AB), when it differs from the billing provider's. Default none. */
  payToAddress?: PostalAddress;
  /** Payers by coverage payer id. Default: the payer id as both name and id. */
  payers?: Readonly<Record<string, ClaimPayer>>;
  /** The members' demographics by peer id (the host owns the patient). A member not listed is left out. */
  members: Readonly<Record<string, ClaimMember>>;
  /** Specialists, for the rendering provider's name and NPI (2310B/2420A). Default none: no rendering loop. */
  specialists?: readonly Specialist[];
  /** The host's evidence, for the prior authorization number (REF*G1). Default none. */
  evidence?: BillingEvidence;
  /** Charge per unit by HCPCS code, where the pack has no rate. A line with neither is left out. */
  chargePerUnit?: Readonly<Record<string, number>>;
  /** Taxonomy of the rendering specialist (PRV*PE). Default `175T00000X` (NUCC Peer Specialist). */
  renderingTaxonomy?: string;
}

/** The rendering provider of a claim or a line. */
export interface RenderingProvider {
  specialistId: string;
  lastName: string;
  firstName: string;
  npi: string;
  taxonomy: string;
}

/** One service line (loop 2400). */
export interface ProfessionalServiceLine {
  /** The claim line's id. */
  lineId: string;
  /** Line item control number (REF*6R), stable for the line id; an 835 returns it. */
  controlNumber: string;
  code: string;
  modifiers: string[];
  /** SV102, two decimals. */
  charge: number;
  units: number;
  placeOfService: string;
  /** Service dates, `YYYY-MM-DD`; `to` differs from `from` only for month lines. */
  from: string;
  to: string;
  /** SV107: 1-based pointers into the claim's diagnoses, at most 4. */
  diagnosisPointers: number[];
  /** The line's rendering provider when it differs from the claim's (2420A). */
  rendering?: RenderingProvider;
}

/** CLM05-3 claim frequency: `1` original, `7` replacement of a prior claim, `8` void of a prior claim. */
export type ClaimFrequency = '1' | '7' | '8';

/** One claim (loop 2300). */
export interface ProfessionalClaim {
  /** `claimKeyOf` of its lines. */
  claimKey: string;
  /** CLM01 patient control number, stable for the claim key; an 835's CLP01 returns it. */
  controlNumber: string;
  /** CLM02: the lines' charges added up. */
  totalCharge: number;
  /** CLM05-1: the first line's place of service. */
  placeOfService: string;
  /** CLM09: `I` (informed consent for federally protected records, 42 CFR Part 2) when any line is Part 2, else `Y`. */
  releaseOfInformation: 'Y' | 'I';
  /** ICD-10-CM codes without the dot, principal first, at most 12 (HI). */
  diagnoses: string[];
  /** REF*G1, when a prior authorization with a number covers the claim's lines. */
  priorAuthorization?: string;
  /**
   * CLM05-3 claim frequency: `1` original (default), `7` replacement of a prior claim, `8` void of a
   * prior claim. See: NUBC claim frequency codes (837P 2300 CLM05-3).
   */
  frequency?: ClaimFrequency;
  /** REF*F8 for a replacement or void: the payer's claim control number of the claim it replaces (else its CLM01). */
  originalReference?: string;
  /** 2310B, when the first line's specialist has an NPI. */
  rendering?: RenderingProvider;
  lines: ProfessionalServiceLine[];
}

/** A member and their claims (loops 2000B/2010BA). */
export interface ProfessionalSubscriber {
  peerId: string;
  memberId: string;
  member: ClaimMember;
  claims: ProfessionalClaim[];
}

/** The claims to one payer (one 837P file). */
export interface ProfessionalClaimBatch {
  payerId: string;
  packId: string;
  payer: ClaimPayer & { claimFilingIndicator: string };
  subscribers: ProfessionalSubscriber[];
}

/** A claim left out, and why (the reason names a field, never a value). */
export interface OmittedClaim {
  claimKey: string;
  lineIds: string[];
  reason: 'member' | 'diagnosis' | 'charge';
}

/** What {@link toProfessionalClaims} returns. */
export interface ProfessionalClaims {
  submitter: ClaimSubmitter;
  receiver: ClaimParty;
  billingProvider: BillingProvider & { name: string; npi: string };
  payToAddress?: PostalAddress;
  batches: ProfessionalClaimBatch[];
  omitted: OmittedClaim[];
  /** One warning per omitted claim (`billing.claim-*`) and per other gap found. */
  issues: Issue[];
}

/** The NUCC taxonomy of a Peer Specialist (DESIGN.md: PractitionerRole `175T00000X`). */
const PEER_SPECIALIST_TAXONOMY = '175T00000X';
/** HI holds at most 12 diagnoses; SV107 points at most at 4. */
const MAX_DIAGNOSES = 12;
const MAX_POINTERS = 4;

/**
 * The patient control number (CLM01) of a claim: `PK` and a hash of its key, at most 15 characters.
 *
 * @param claimKey - `claimKeyOf(line)`
 * @example
 * claimControlNumber(claimKeyOf(run.lines[0])); // e.g. 'PK3W5E11264SGSG'
 */
export function claimControlNumber(claimKey: string): string {
  return controlNumber('PK', claimKey);
}

/**
 * The line item control number (REF*6R) of a line: `L` and a hash of its id, at most 14 characters.
 *
 * @param lineId - `ClaimLine.id`
 */
export function lineControlNumber(lineId: string): string {
  return controlNumber('L', lineId);
}

const money = (n: number): number => Math.round(n * 100) / 100;

function npiOf(identifiers: readonly { system?: string | undefined; value: string }[] | undefined): string | undefined {
  return identifiers?.find((i) => i.system === SYSTEMS.npi)?.value;
}

function renderingOf(specialists: ReadonlyMap<string, Specialist>, id: string, taxonomy: string): RenderingProvider | undefined {
  const s = specialists.get(id);
  const npi = npiOf(s?.identifiers);
  if (!s || npi === undefined) return undefined;
  return { specialistId: id, lastName: s.name.family, firstName: s.name.given[0] ?? '', npi, taxonomy };
}

function priorAuthorizationFor(evidence: BillingEvidence | undefined, lines: readonly ClaimLine[]): string | undefined {
  const first = lines[0];
  if (!first) return undefined;
  const auth = evidence?.authorizations?.find(
    (a) =>
      a.kind === 'prior-authorization' &&
      a.reference !== undefined &&
      a.peerId === first.peerId &&
      lines.every((l) => a.start <= l.date && (a.end === undefined || l.date <= a.end) && (a.code === undefined || a.code === l.code)),
  );
  return auth?.reference;
}

function warn(code: string, message: string): Issue {
  return { severity: 'warning', code: `billing.${code}`, path: [], message };
}

/**
 * Builds the content of professional claims from a run's billable lines (held lines never go out):
 * one batch per payer, one claim per member and month, every line once. Deterministic: the same
 * lines and options give the same claims and control numbers.
 *
 * @param input - a billing run or its lines
 * @param options - submitter, receiver, billing provider, payers, members… see {@link ProfessionalClaimOptions}
 * @returns the batches, the claims left out with their reason, and warnings
 * @example
 * const claims = toProfessionalClaims(run, { submitter, receiver, billingProvider, members });
 * claims.batches[0]?.subscribers[0]?.claims[0]?.lines.length;
 * See: ASC X12N 837P 005010X222A1
 */
export function toProfessionalClaims(input: BillingRun | readonly ClaimLine[], options: ProfessionalClaimOptions): ProfessionalClaims {
  const lines = ('lines' in input ? input.lines : input).filter((l) => l.status === 'billable');
  const specialists = new Map((options.specialists ?? []).map((s) => [s.id, s]));
  const taxonomy = options.renderingTaxonomy ?? PEER_SPECIALIST_TAXONOMY;
  const omitted: OmittedClaim[] = [];
  const issues: Issue[] = [];

  const byClaim = new Map<string, ClaimLine[]>();
  for (const line of lines) {
    const key = claimKeyOf(line);
    const list = byClaim.get(key);
    if (list) list.push(line);
    else byClaim.set(key, [line]);
  }

  const batches = new Map<string, ProfessionalClaimBatch>();
  for (const [claimKey, claimLines] of byClaim) {
    const first = claimLines[0] as ClaimLine;
    const lineIds = claimLines.map((l) => l.id);
    const member = options.members[first.peerId];
    if (!member) {
      omitted.push({ claimKey, lineIds, reason: 'member' });
      issues.push(warn('claim-member', 'Claim left out: no member demographics for the peer (members)'));
      continue;
    }
    const diagnoses: string[] = [];
    for (const line of claimLines) {
      for (const code of line.diagnosisCodes) {
        const bare = code.replace('.', '').toUpperCase();
        if (!diagnoses.includes(bare)) diagnoses.push(bare);
      }
    }
    if (diagnoses.length === 0) {
      omitted.push({ claimKey, lineIds, reason: 'diagnosis' });
      issues.push(warn('claim-diagnosis', 'Claim left out: no diagnosis on file for its lines (evidence.diagnoses)'));
      continue;
    }
    if (diagnoses.length > MAX_DIAGNOSES) issues.push(warn('claim-diagnoses', `Claim has more than ${MAX_DIAGNOSES} diagnoses: the first ${MAX_DIAGNOSES} are sent (HI)`));
    const kept = diagnoses.slice(0, MAX_DIAGNOSES);
    const charges = claimLines.map((l) => {
      const price = l.unitPrice ?? options.chargePerUnit?.[l.code];
      return price === undefined ? undefined : money(price * l.units);
    });
    if (charges.some((c) => c === undefined)) {
      omitted.push({ claimKey, lineIds, reason: 'charge' });
      issues.push(warn('claim-charge', 'Claim left out: a line has no rate in the pack and no chargePerUnit for its code'));
      continue;
    }

    const rendering = renderingOf(specialists, first.renderingSpecialistId, taxonomy);
    const serviceLines = claimLines.map((line, i): ProfessionalServiceLine => {
      const pointers = line.diagnosisCodes
        .map((c) => kept.indexOf(c.replace('.', '').toUpperCase()) + 1)
        .filter((p, j, all) => p > 0 && all.indexOf(p) === j)
        .slice(0, MAX_POINTERS);
      const out: ProfessionalServiceLine = {
        lineId: line.id,
        controlNumber: lineControlNumber(line.id),
        code: line.code,
        modifiers: [...line.modifiers],
        charge: charges[i] as number,
        units: line.units,
        placeOfService: line.placeOfService,
        from: line.session === 'month' ? line.period.start : line.date,
        to: line.session === 'month' ? line.period.end : line.date,
        diagnosisPointers: pointers.length > 0 ? pointers : [1],
      };
      const own = renderingOf(specialists, line.renderingSpecialistId, taxonomy);
      if (own && own.specialistId !== rendering?.specialistId) out.rendering = own;
      return out;
    });
    const claim: ProfessionalClaim = {
      claimKey,
      controlNumber: claimControlNumber(claimKey),
      totalCharge: money(serviceLines.reduce((sum, l) => sum + l.charge, 0)),
      placeOfService: first.placeOfService,
      releaseOfInformation: claimLines.some((l) => l.part2) ? 'I' : 'Y',
      diagnoses: kept,
      lines: serviceLines,
    };
    const auth = priorAuthorizationFor(options.evidence, claimLines);
    if (auth !== undefined) claim.priorAuthorization = auth;
    if (rendering) claim.rendering = rendering;

    let batch = batches.get(first.payerId);
    if (!batch) {
      const payer = options.payers?.[first.payerId] ?? { name: first.payerId, id: first.payerId };
      const filing = payer.claimFilingIndicator ?? (first.session === 'month' ? 'MB' : 'MC');
      batch = { payerId: first.payerId, packId: first.packId, payer: { ...payer, claimFilingIndicator: filing }, subscribers: [] };
      batches.set(first.payerId, batch);
    }
    let subscriber = batch.subscribers.find((s) => s.peerId === first.peerId && s.memberId === first.memberId);
    if (!subscriber) {
      subscriber = { peerId: first.peerId, memberId: first.memberId, member, claims: [] };
      batch.subscribers.push(subscriber);
    }
    subscriber.claims.push(claim);
  }

  const name = options.billingProvider.name ?? options.organization?.name;
  const npi = options.billingProvider.npi ?? npiOf(options.organization?.identifiers);
  if (name === undefined || npi === undefined) {
    issues.push(warn('claim-billing-provider', 'The billing provider has no name or NPI (billingProvider, organization identifiers)'));
  }
  const out: ProfessionalClaims = {
    submitter: options.submitter,
    receiver: options.receiver,
    billingProvider: { ...options.billingProvider, name: name ?? '', npi: npi ?? '' },
    batches: [...batches.values()],
    omitted,
    issues,
  };
  if (options.payToAddress) out.payToAddress = options.payToAddress;
  return out;
}
