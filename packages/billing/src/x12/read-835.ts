/**
 * Reads X12 835 (005010X221A1) remittance advice with the `node-x12` parser into PeerKit's
 * {@link Remittance} shape, one per 835 transaction: the payment (BPR, TRN), the payer and payee (N1),
 * each claim (CLP, claim-level CAS and MOA) and each service line (SVC, DTM*472, CAS, REF*6R, LQ*HE).
 *
 * See: ASC X12N 835 005010X221A1
 */
import { fail, ok, type Result } from '@peerkit/model';
import { X12Parser, type X12Interchange, type X12Segment } from 'node-x12';
import type { Remittance, RemittanceAdjustment, RemittanceClaim, RemittanceService } from '../remittance';

const num = (value: string | undefined): number => {
  const n = Number(value);
  return value === undefined || value === '' || Number.isNaN(n) ? 0 : n;
};

const isoDate = (ccyymmdd: string | undefined): string | undefined =>
  ccyymmdd !== undefined && /^\d{8}$/.test(ccyymmdd) ? `${ccyymmdd.slice(0, 4)}-${ccyymmdd.slice(4, 6)}-${ccyymmdd.slice(6, 8)}` : undefined;

/** CAS01 and up to six reason/amount/quantity triplets. */
function adjustments(el: (i: number) => string | undefined): RemittanceAdjustment[] {
  const group = el(1) ?? '';
  const out: RemittanceAdjustment[] = [];
  for (let i = 2; i <= 17; i += 3) {
    const reason = el(i);
    if (reason === undefined || reason === '') continue;
    const a: RemittanceAdjustment = { group, reason, amount: num(el(i + 1)) };
    const quantity = el(i + 2);
    if (quantity !== undefined && quantity !== '') a.quantity = num(quantity);
    out.push(a);
  }
  return out;
}

function interchanges(parsed: X12Interchange | X12Interchange[]): X12Interchange[] {
  return Array.isArray(parsed) ? parsed : [parsed];
}

function readTransaction(segments: readonly X12Segment[], component: string): Remittance {
  const remittance: Remittance = { totalPaid: 0, claims: [] };
  let claim: RemittanceClaim | undefined;
  let service: RemittanceService | undefined;
  let party = '';
  for (const segment of segments) {
    const el = (i: number): string | undefined => segment.elements[i - 1]?.value;
    switch (segment.tag) {
      case 'BPR': {
        remittance.totalPaid = num(el(2));
        const date = isoDate(el(16));
        if (date !== undefined) remittance.paymentDate = date;
        break;
      }
      case 'TRN': {
        const trace = el(2);
        if (trace !== undefined) remittance.traceNumber = trace;
        const payerId = el(3);
        if (payerId !== undefined && payerId !== '' && remittance.payerId === undefined) remittance.payerId = payerId;
        break;
      }
      case 'N1': {
        party = el(1) ?? '';
        const name = el(2);
        if (party === 'PR' && name !== undefined) remittance.payerName = name;
        if (party === 'PE' && el(3) === 'XX' && el(4) !== undefined) remittance.payeeNpi = el(4) as string;
        break;
      }
      case 'REF':
        if (claim === undefined && party === 'PR' && el(1) === '2U' && el(2) !== undefined) remittance.payerId = el(2) as string;
        else if (service && el(1) === '6R' && el(2) !== undefined) service.controlNumber = el(2) as string;
        break;
      case 'CLP': {
        claim = {
          controlNumber: el(1) ?? '',
          status: el(2) ?? '',
          charge: num(el(3)),
          paid: num(el(4)),
          patientResponsibility: num(el(5)),
          adjustments: [],
          remarks: [],
          services: [],
        };
        const payerClaim = el(7);
        if (payerClaim !== undefined && payerClaim !== '') claim.payerClaimNumber = payerClaim;
        remittance.claims.push(claim);
        service = undefined;
        break;
      }
      case 'CAS':
        if (service) service.adjustments.push(...adjustments(el));
        else if (claim) claim.adjustments.push(...adjustments(el));
        break;
      case 'MOA':
        if (claim) for (let i = 3; i <= 7; i += 1) if (el(i)) claim.remarks.push(el(i) as string);
        break;
      case 'SVC': {
        if (!claim) break;
        const [, code = '', ...modifiers] = (el(1) ?? '').split(component);
        service = { code, modifiers: modifiers.filter((m) => m !== ''), charge: num(el(2)), paid: num(el(3)), adjustments: [], remarks: [] };
        if (el(5) !== undefined && el(5) !== '') service.units = num(el(5));
        claim.services.push(service);
        break;
      }
      case 'DTM':
        if (service && (el(1) === '472' || el(1) === '150')) {
          const date = isoDate(el(2));
          if (date !== undefined) service.date = date;
        }
        break;
      case 'LQ':
        if (service && el(1) === 'HE' && el(2) !== undefined) service.remarks.push(el(2) as string);
        break;
      default:
        break;
    }
  }
  return remittance;
}

/**
 * Parses 835 remittance advice: every 835 transaction of every interchange in the text. Never throws:
 * text that is not X12, or holds no 835, gives an issue.
 *
 * @param text - the 835 file's text
 * @returns one {@link Remittance} per 835 transaction, or issues (`billing.x12-parse`, `billing.x12-no-835`)
 * @example
 * const parsed = parseX12Remittance(readFileSync('era.835', 'utf8'));
 * if (parsed.ok) console.log(summarizeDenials(matchRemittance(parsed.value, run)));
 * See: ASC X12N 835 005010X221A1
 */
export function parseX12Remittance(text: string): Result<Remittance[]> {
  let parsed: X12Interchange | X12Interchange[];
  try {
    parsed = new X12Parser(true).parse(text.trim()) as X12Interchange | X12Interchange[];
  } catch {
    return fail([{ severity: 'error', code: 'billing.x12-parse', path: [], message: 'The text is not a well-formed X12 interchange (ISA…IEA)' }]);
  }
  const out: Remittance[] = [];
  for (const interchange of interchanges(parsed)) {
    const component = interchange.header.elements[15]?.value || ':';
    for (const group of interchange.functionalGroups) {
      for (const tx of group.transactions) {
        if (tx.header.elements[0]?.value !== '835') continue;
        out.push(readTransaction(tx.segments, component));
      }
    }
  }
  if (out.length === 0) {
    return fail([{ severity: 'error', code: 'billing.x12-no-835', path: [], message: 'The interchange holds no 835 transaction (ST01)' }]);
  }
  return ok(out);
}
