/**
 * Synthetic 835 remittance advice (005010X221A1) for the claims of `claims.ts`: the text a payer would
 * return, written segment by segment so the parser under test reads what a payer sends. Every number
 * is made up.
 */
import type { ProfessionalClaim } from '../professional-claim';

/** What the payer decided about one service line. */
export interface LineDecision {
  paid: number;
  /** CAS triplets: group, reason, amount. */
  adjustments?: [string, string, number][];
  remarks?: string[];
  /** Leave out REF*6R (the matcher then falls back to code, modifiers and date). */
  withoutControlNumber?: boolean;
}

/** What the payer decided about one claim. */
export interface ClaimDecision {
  claim: ProfessionalClaim;
  /** CLP02; default `1` (processed as primary). */
  status?: string;
  /** Claim-level CAS. */
  adjustments?: [string, string, number][];
  /** By line index; a claim without `lines` is remitted without SVC loops. */
  lines?: LineDecision[];
}

const d8 = (date: string): string => date.replaceAll('-', '');

function cas(adjustments: readonly [string, string, number][] | undefined): string[] {
  const byGroup = new Map<string, string[]>();
  for (const [group, reason, amount] of adjustments ?? []) {
    const list = byGroup.get(group) ?? [];
    list.push(reason, String(amount), '');
    byGroup.set(group, list);
  }
  return [...byGroup].map(([group, rest]) => `CAS*${group}*${rest.join('*').replace(/\*+$/, '')}`);
}

/**
 * An 835 interchange paying (or denying) the given claims, plus claims with unknown control numbers.
 *
 * @param decisions - one per claim
 * @param unknown - CLP01 values that match no claim
 */
export function era(decisions: readonly ClaimDecision[], unknown: readonly string[] = []): string {
  const body: string[] = [];
  let total = 0;
  for (const decision of decisions) {
    const { claim } = decision;
    const paid = decision.lines ? decision.lines.reduce((s, l) => s + l.paid, 0) : 0;
    total += paid;
    body.push(`CLP*${claim.controlNumber}*${decision.status ?? '1'}*${claim.totalCharge}*${paid}*0*MC*PAYER${claim.controlNumber.slice(2, 8)}*11*1`);
    body.push(...cas(decision.adjustments));
    body.push('NM1*QC*1*TEST*MEMBER****MI*M0000000');
    decision.lines?.forEach((d, i) => {
      const line = claim.lines[i];
      if (!line) return;
      body.push(`SVC*${['HC', line.code, ...line.modifiers].join(':')}*${line.charge}*${d.paid}**${line.units}`);
      body.push(`DTM*472*${d8(line.from)}`);
      body.push(...cas(d.adjustments));
      if (!d.withoutControlNumber) body.push(`REF*6R*${line.controlNumber}`);
      for (const r of d.remarks ?? []) body.push(`LQ*HE*${r}`);
    });
  }
  for (const pcn of unknown) body.push(`CLP*${pcn}*1*100*100*0*MC*PAYERX*11*1`);
  const transaction = [
    'ST*835*0001*005010X221A1',
    `BPR*I*${Math.round(total * 100) / 100}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20250520`,
    'TRN*1*EFT0000001*1512345678',
    'DTM*405*20250520',
    'N1*PR*EXAMPLE MEDICAID PLAN',
    'N3*1 PAYER PLAZA',
    'N4*RALEIGH*NC*27601',
    'REF*2U*NCMCD',
    'PER*BL*PROVIDER SERVICES*TE*5550100001',
    'N1*PE*TEST PEER CENTER*XX*1234567893',
    'LX*1',
    ...body,
  ];
  const segments = [
    'ISA*00*          *00*          *ZZ*NCMCD          *ZZ*SUB123         *250520*1200*^*00501*000000777*0*T*:',
    'GS*HP*NCMCD*SUB123*20250520*1200*777*X*005010X221A1',
    ...transaction,
    `SE*${transaction.length + 1}*0001`,
    'GE*1*777',
    'IEA*1*000000777',
  ];
  return `${segments.join('~\n')}~\n`;
}
