import { describe, expect, it } from 'vitest';
import { context, encounter, peer, specialist, supervisor } from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import { CLAIM_LINE_CSV_COLUMNS, toClaimLinesCsv } from './csv';
import { MEDICAID_GENERIC_PACK, MEDICARE_PIN_PACK, NC_MEDICAID_PACK, NJ_MEDICAID_PACK } from './packs';

/** A small RFC 4180 reader, to read back what toClaimLinesCsv writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
}

describe('toClaimLinesCsv', () => {
  const day = [encounter('2025-03-03T09:00:00', 240), encounter('2025-03-03T14:00:00', 60, { modality: 'video', setting: 'home' })];
  const run = billEncounters(day, context(NJ_MEDICAID_PACK, { evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }, { peerId: 'peer-1', code: 'F10.10' }], otherServices: [] } }));

  it('writes the documented header and one row per billable line, CRLF-terminated', () => {
    const csv = toClaimLinesCsv(run, { specialists: [specialist(), supervisor()] });
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)[0]).toEqual(CLAIM_LINE_CSV_COLUMNS.map((c) => c.name));
    const rows = records(csv);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'billable',
      pack_id: 'nj-medicaid',
      payer_id: 'medicaid-generic',
      member_id: 'M000000001',
      patient_reference: 'Patient/ehr-1',
      service_date_from: '2025-03-03',
      service_date_to: '2025-03-03',
      place_of_service: '11',
      procedure_code: 'H0038',
      modifier_1: 'HF',
      modifier_2: '',
      units: '16',
      diagnosis_codes: 'F11.20;F10.10',
      rendering_specialist_id: 'sp-1',
      rendering_npi: '1999999984',
      part2: 'true',
      hold_reasons: '',
    });
  });

  it('adds held lines with their reasons on request', () => {
    const rows = records(toClaimLinesCsv(run, { includeHeld: true }));
    expect(rows.map((r) => [r.status, r.units, r.modifier_1, r.modifier_2, r.hold_reasons])).toEqual([
      ['billable', '16', 'HF', '', ''],
      ['held', '4', 'HF', 'GT', 'DAILY_CAP'],
    ]);
  });

  it('quotes fields with commas and quotes, and reads back unchanged', () => {
    const odd = peer({ patient: { identifier: { system: 'urn:x,"y"', value: 'MRN,1' } } });
    const rows = records(toClaimLinesCsv(billEncounters([encounter('2025-03-03T10:00:00', 30)], context(MEDICAID_GENERIC_PACK, { peers: [odd] }))));
    expect(rows[0]?.patient_reference).toBe('urn:x,"y"|MRN,1');
  });

  it('prices lines when the pack has rates and dates month lines by their period', () => {
    const nc = records(toClaimLinesCsv(billEncounters([encounter('2025-03-03T10:00:00', 38)], context(NC_MEDICAID_PACK))));
    expect(nc[0]).toMatchObject({ units: '3', unit_price: '11.97', line_charge: '35.91' });
    const pinPeer = peer({ coverage: [{ payerId: 'medicare-pin', memberId: 'MBI1', start: '2024-01-01' }] });
    const pin = records(
      toClaimLinesCsv(
        billEncounters([encounter('2025-02-03T10:00:00', 40), encounter('2025-02-12T10:00:00', 40)], context(MEDICARE_PIN_PACK, { peers: [pinPeer] })),
      ),
    );
    expect(pin.map((r) => [r.procedure_code, r.units, r.service_date_from, r.service_date_to, r.session, r.warnings])).toEqual([
      ['G0140', '1', '2025-02-03', '2025-02-12', 'month', 'PIN_PREREQS'],
    ]);
  });
});
