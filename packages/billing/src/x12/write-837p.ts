/**
 * Writes professional claims as X12 837P 005010X222A1 files, one interchange per payer, with the
 * `node-x12` library: it builds the envelopes, counts the segments of each transaction (SE01), closes
 * GS/ISA with their control numbers (GE/IEA) and checks the ISA/GS/ST element lengths. Nothing is sent.
 *
 * See: ASC X12N 837P 005010X222A1; https://github.com/aaronhuggins/node-x12
 */
import { fail, ok, type Result } from '@peerkit/model';
import { JSEDINotation, X12Generator, type JSEDITransaction } from 'node-x12';
import type {
  ClaimMember,
  PostalAddress,
  ProfessionalClaim,
  ProfessionalClaimBatch,
  ProfessionalClaims,
  ProfessionalSubscriber,
  RenderingProvider,
} from '../professional-claim';

/** The implementation guide this writer follows (GS08, ST03). */
export const X12_837P_VERSION = '005010X222A1';

/** An interchange sender or receiver id (ISA05/06, ISA07/08). */
export interface InterchangeId {
  /** ISA05/ISA07 qualifier, e.g. `ZZ` (mutually defined), `30` (federal tax id). */
  qualifier: string;
  /** At most 15 characters. */
  id: string;
}

/** Options of {@link toX12Professional}. */
export interface X12ProfessionalOptions {
  /** ISA13 of the first file (1–999999999); each further file takes the next number. */
  interchangeControlNumber: number;
  /** GS06 of the first file. Default the interchange control number. */
  groupControlNumber?: number;
  /** When the files are created, `YYYY-MM-DDTHH:MM…` (its digits are used as given: ISA09/10, GS04/05, BHT04/05). */
  createdAt: string;
  /** ISA15: `T` test (default) or `P` production. */
  usage?: 'T' | 'P';
  /** ISA05/06. Default qualifier `ZZ` and the submitter id. */
  sender?: InterchangeId;
  /** ISA07/08. Default qualifier `ZZ` and the receiver id. */
  receiver?: InterchangeId;
  /** Most claims in one ST/SE transaction; more start another. Default 5000 (the guide's recommendation). */
  maxClaimsPerTransaction?: number;
  /** A line break after each segment terminator. Default `true`. */
  lineBreaks?: boolean;
}

/** One 837P file: one interchange, one functional group, one or more transactions, for one payer. */
export interface X12File {
  payerId: string;
  packId: string;
  /** ISA13 (= IEA02), nine digits. */
  interchangeControlNumber: string;
  /** GS06 (= GE02). */
  groupControlNumber: string;
  /** ST02 (= SE02) of each transaction. */
  transactionControlNumbers: string[];
  /** CLM01 of each claim in the file. */
  claimControlNumbers: string[];
  /** The claim line ids in the file, in order. */
  lineIds: string[];
  /** The 837P text. */
  text: string;
}

const SEPARATORS = { elementDelimiter: '*', segmentTerminator: '~', subElementDelimiter: ':', repetitionDelimiter: '^' } as const;

/** Text as X12 carries it: upper case, no delimiter or control characters, at most `max` characters. */
function x12(value: string, max: number): string {
  return value
    .toUpperCase()
    .replaceAll(/[*~:^\r\n\t]/g, ' ')
    .replaceAll(/[^\x20-\x7E]/g, '')
    .replaceAll(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

const digits = (value: string): string => value.replaceAll(/\D/g, '');
const amount = (n: number): string => String(Math.round(n * 100) / 100);
const ccyymmdd = (date: string): string => date.slice(0, 10).replaceAll('-', '');

function clock(createdAt: string): { date: string; time: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(createdAt);
  if (!m) throw new RangeError('createdAt must be an ISO date-time (YYYY-MM-DDTHH:MM)');
  return { date: `${m[1]}${m[2]}${m[3]}`, time: `${m[4]}${m[5]}` };
}

function address(tx: JSEDITransaction, a: PostalAddress): void {
  tx.addSegment('N3', a.line2 === undefined ? [x12(a.line1, 55)] : [x12(a.line1, 55), x12(a.line2, 55)]);
  tx.addSegment('N4', [x12(a.city, 30), x12(a.state, 2), digits(a.postalCode)]);
}

function person(tx: JSEDITransaction, entity: string, last: string, first: string, qualifier: string, id: string, middle = ''): void {
  tx.addSegment('NM1', [entity, '1', x12(last, 60), x12(first, 35), x12(middle, 25), '', '', qualifier, x12(id, 80)]);
}

function rendering(tx: JSEDITransaction, r: RenderingProvider): void {
  person(tx, '82', r.lastName, r.firstName, 'XX', r.npi);
  tx.addSegment('PRV', ['PE', 'PXC', r.taxonomy]);
}

function subscriber(tx: JSEDITransaction, s: ProfessionalSubscriber, filing: string): void {
  tx.addSegment('SBR', ['P', '18', '', '', '', '', '', '', filing]);
  const m: ClaimMember = s.member;
  person(tx, 'IL', m.lastName, m.firstName, 'MI', s.memberId, m.middleName);
  address(tx, m.address);
  tx.addSegment('DMG', ['D8', ccyymmdd(m.birthDate), m.gender]);
}

function claim(tx: JSEDITransaction, c: ProfessionalClaim): void {
  tx.addSegment('CLM', [c.controlNumber, amount(c.totalCharge), '', '', `${c.placeOfService}:B:${c.frequency ?? '1'}`, 'Y', 'A', 'Y', c.releaseOfInformation]);
  if (c.priorAuthorization !== undefined) tx.addSegment('REF', ['G1', x12(c.priorAuthorization, 50)]);
  // A replacement (7) or void (8) names the claim it corrects (REF*F8, after REF*G1 in loop 2300).
  if (c.originalReference !== undefined && c.frequency !== undefined && c.frequency !== '1') tx.addSegment('REF', ['F8', x12(c.originalReference, 50)]);
  tx.addSegment('HI', c.diagnoses.map((d, i) => `${i === 0 ? 'ABK' : 'ABF'}:${d}`));
  if (c.rendering) rendering(tx, c.rendering);
  c.lines.forEach((line, i) => {
    tx.addSegment('LX', [String(i + 1)]);
    tx.addSegment('SV1', [
      ['HC', line.code, ...line.modifiers].join(':'),
      amount(line.charge),
      'UN',
      String(line.units),
      line.placeOfService === c.placeOfService ? '' : line.placeOfService,
      '',
      line.diagnosisPointers.join(':'),
    ]);
    tx.addSegment(
      'DTP',
      line.from === line.to ? ['472', 'D8', ccyymmdd(line.from)] : ['472', 'RD8', `${ccyymmdd(line.from)}-${ccyymmdd(line.to)}`],
    );
    tx.addSegment('REF', ['6R', line.controlNumber]);
    if (line.rendering) rendering(tx, line.rendering);
  });
}

/** Subscribers split into transactions of at most `max` claims (a subscriber is never split). */
function chunks(subscribers: readonly ProfessionalSubscriber[], max: number): ProfessionalSubscriber[][] {
  const out: ProfessionalSubscriber[][] = [];
  let current: ProfessionalSubscriber[] = [];
  let count = 0;
  for (const s of subscribers) {
    if (current.length > 0 && count + s.claims.length > max) {
      out.push(current);
      current = [];
      count = 0;
    }
    current.push(s);
    count += s.claims.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function transaction(tx: JSEDITransaction, claims: ProfessionalClaims, batch: ProfessionalClaimBatch, part: readonly ProfessionalSubscriber[], bht: string[]): void {
  const { submitter, receiver, billingProvider: bp } = claims;
  tx.addSegment('BHT', bht);
  tx.addSegment('NM1', ['41', '2', x12(submitter.name, 60), '', '', '', '', '46', x12(submitter.id, 80)]);
  tx.addSegment('PER', ['IC', x12(submitter.contactName, 60), 'TE', digits(submitter.phone)]);
  tx.addSegment('NM1', ['40', '2', x12(receiver.name, 60), '', '', '', '', '46', x12(receiver.id, 80)]);
  tx.addSegment('HL', ['1', '', '20', '1']);
  if (bp.taxonomy !== undefined) tx.addSegment('PRV', ['BI', 'PXC', bp.taxonomy]);
  tx.addSegment('NM1', ['85', '2', x12(bp.name, 60), '', '', '', '', 'XX', digits(bp.npi)]);
  address(tx, bp.address);
  tx.addSegment('REF', ['EI', digits(bp.taxId)]);
  if (claims.payToAddress) {
    tx.addSegment('NM1', ['87', '2']);
    address(tx, claims.payToAddress);
  }
  part.forEach((s, i) => {
    tx.addSegment('HL', [String(i + 2), '1', '22', '0']);
    subscriber(tx, s, batch.payer.claimFilingIndicator);
    tx.addSegment('NM1', ['PR', '2', x12(batch.payer.name, 60), '', '', '', '', 'PI', x12(batch.payer.id, 80)]);
    for (const c of s.claims) claim(tx, c);
  });
}

/**
 * Writes each payer's claims as one 837P file (ISA/GS/ST…SE/GE/IEA), with control numbers that
 * follow on from `interchangeControlNumber`. Node only: `node-x12` loads Node's `stream` and `crypto`.
 *
 * @param claims - from `toProfessionalClaims`
 * @param options - control numbers, clock, usage and interchange ids; see {@link X12ProfessionalOptions}
 * @returns one file per payer batch, or an issue when the billing provider has no name or NPI
 * @example
 * const files = toX12Professional(toProfessionalClaims(run, claimOptions), { interchangeControlNumber: 1, createdAt: '2025-04-01T09:00' });
 * if (files.ok) for (const f of files.value) writeFileSync(`837p-${f.payerId}-${f.interchangeControlNumber}.x12`, f.text);
 * See: ASC X12N 837P 005010X222A1
 */
export function toX12Professional(claims: ProfessionalClaims, options: X12ProfessionalOptions): Result<X12File[]> {
  if (claims.billingProvider.name === '' || digits(claims.billingProvider.npi).length !== 10) {
    return fail([
      { severity: 'error', code: 'billing.x12-billing-provider', path: ['billingProvider'], message: 'The billing provider needs a name and a ten-digit NPI (2010AA NM1)' },
    ]);
  }
  const { date, time } = clock(options.createdAt);
  const sender = options.sender ?? { qualifier: 'ZZ', id: claims.submitter.id };
  const receiver = options.receiver ?? { qualifier: 'ZZ', id: claims.receiver.id };
  const max = options.maxClaimsPerTransaction ?? 5000;
  const serialization = { ...SEPARATORS, endOfLine: '\n', format: options.lineBreaks ?? true };
  const files: X12File[] = [];
  claims.batches.forEach((batch, b) => {
    const icn = String(options.interchangeControlNumber + b).padStart(9, '0');
    const gcn = String((options.groupControlNumber ?? options.interchangeControlNumber) + b);
    const isa = [
      '00', ' '.repeat(10), '00', ' '.repeat(10),
      sender.qualifier, x12(sender.id, 15).padEnd(15), receiver.qualifier, x12(receiver.id, 15).padEnd(15),
      date.slice(2), time, SEPARATORS.repetitionDelimiter, '00501', icn, '0', options.usage ?? 'T', SEPARATORS.subElementDelimiter,
    ];
    const notation = new JSEDINotation(isa, serialization);
    const group = notation.addFunctionalGroup(['HC', x12(sender.id, 15), x12(receiver.id, 15), date, time, gcn, 'X', X12_837P_VERSION]);
    const stNumbers: string[] = [];
    chunks(batch.subscribers, max).forEach((part, t) => {
      const st = String(t + 1).padStart(4, '0');
      stNumbers.push(st);
      const tx = group.addTransaction(['837', st, X12_837P_VERSION]);
      transaction(tx, claims, batch, part, ['0019', '00', `${icn}${st}`, date, time, 'CH']);
    });
    const all = batch.subscribers.flatMap((s) => s.claims);
    files.push({
      payerId: batch.payerId,
      packId: batch.packId,
      interchangeControlNumber: icn,
      groupControlNumber: gcn,
      transactionControlNumbers: stNumbers,
      claimControlNumbers: all.map((c) => c.controlNumber),
      lineIds: all.flatMap((c) => c.lines.map((l) => l.lineId)),
      text: new X12Generator(notation, serialization).toString(),
    });
  });
  return ok(files);
}
