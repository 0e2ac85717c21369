import { describe, expect, it } from 'vitest';
import { context, encounter, peer } from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import { parsePayerPack, type PayerPack } from './pack-schema';
import { MEDICAID_GENERIC_PACK, MEDICARE_PIN_PACK } from './packs';
import {
  isPlaceOfServiceCode,
  parsePlaceOfServiceMap,
  PLACE_OF_SERVICE_CODES,
  resolvePlaceOfService,
  type PlaceOfServiceMap,
  type PlaceOfServiceQuery,
} from './place-of-service';

const GENERIC = MEDICAID_GENERIC_PACK;

describe('PLACE_OF_SERVICE_CODES', () => {
  it('holds every code 01-99, 52 of them assigned', () => {
    // Integer-like keys ('10'…'99') come before '01'…'09' in property order: sort to read in code order.
    const codes = Object.keys(PLACE_OF_SERVICE_CODES).sort();
    expect(codes).toHaveLength(99);
    expect(codes[0]).toBe('01');
    expect(codes.at(-1)).toBe('99');
    expect(Object.values(PLACE_OF_SERVICE_CODES).filter((c) => c.status === 'active')).toHaveLength(52);
    for (const c of Object.values(PLACE_OF_SERVICE_CODES)) expect(c.name === undefined).toBe(c.status === 'unassigned');
  });

  it.each([
    ['02', "Telehealth Provided Other than in Patient's Home"],
    ['10', "Telehealth Provided in Patient's Home"],
    ['11', 'Office'],
    ['27', 'Outreach Site/ Street'],
    ['50', 'Federally Qualified Health Center'],
    ['52', 'Psychiatric Facility-Partial Hospitalization'],
    ['53', 'Community Mental Health Center'],
    ['55', 'Residential Substance Abuse Treatment Facility'],
    ['57', 'Non-residential Substance Abuse Treatment Facility'],
    ['58', 'Non-residential Opioid Treatment Facility'],
    ['66', 'Programs of All-Inclusive Care for the Elderly (PACE) Center'],
    ['72', 'Rural Health Clinic'],
    ['99', 'Other Place of Service'],
  ])('names %s "%s"', (code, name) => {
    expect(PLACE_OF_SERVICE_CODES[code]).toEqual({ code, name, status: 'active', source: 'CMS-POS' });
    expect(isPlaceOfServiceCode(code)).toBe(true);
  });

  it.each([['28'], ['30'], ['35'], ['40'], ['43'], ['48'], ['59'], ['63'], ['64'], ['67'], ['70'], ['73'], ['80'], ['82'], ['98']])(
    'marks %s unassigned',
    (code) => {
      expect(PLACE_OF_SERVICE_CODES[code]?.status).toBe('unassigned');
      expect(isPlaceOfServiceCode(code)).toBe(false);
    },
  );

  it.each([['00'], ['100'], ['5'], ['']])('knows no code %j', (code) => {
    expect(isPlaceOfServiceCode(code)).toBe(false);
  });
});

describe('resolvePlaceOfService', () => {
  const cmhc: PlaceOfServiceMap = {
    bySetting: { clinic: '53' },
    telehealthOther: '02',
    programs: { 'prog-otp': { bySetting: { clinic: '58' }, telehealthHome: '10' }, 'prog-php': { bySetting: { clinic: '52' } } },
  };
  it.each<[string, PlaceOfServiceQuery, PlaceOfServiceMap | undefined, string]>([
    ['in person at the clinic, no map: the pack', { setting: 'clinic', modality: 'in-person' }, undefined, '11'],
    ['in person at home, no map', { setting: 'home', modality: 'in-person' }, undefined, '12'],
    ['video at home, no map: 10', { setting: 'home', modality: 'video' }, undefined, '10'],
    ['audio-only at a shelter, no map: 02', { setting: 'shelter', modality: 'audio-only' }, undefined, '02'],
    ['CMHC clinic', { setting: 'clinic', modality: 'in-person', programId: 'prog-mh' }, cmhc, '53'],
    ['CMHC, a setting the map leaves out: the pack', { setting: 'street-outreach', modality: 'in-person' }, cmhc, '27'],
    ['opioid treatment program at the clinic: its program entry', { setting: 'clinic', modality: 'in-person', programId: 'prog-otp' }, cmhc, '58'],
    ['partial hospitalization program', { setting: 'clinic', modality: 'in-person', programId: 'prog-php' }, cmhc, '52'],
    ['program entry without the field: the map', { setting: 'clinic', modality: 'video', programId: 'prog-php' }, cmhc, '02'],
    ['non-residential SUD site', { setting: 'clinic', modality: 'in-person' }, { bySetting: { clinic: '57' } }, '57'],
    ['telehealth home code set by the host', { setting: 'home', modality: 'audio-only' }, { telehealthHome: '12' }, '12'],
    ['a remote service ignores bySetting', { setting: 'clinic', modality: 'video' }, { bySetting: { clinic: '53' } }, '02'],
  ])('%s -> %s', (_what, service, map, expected) => {
    expect(resolvePlaceOfService(service, GENERIC.placeOfService, map)).toBe(expected);
  });

  it('does not mutate its input', () => {
    const map = structuredClone(cmhc);
    resolvePlaceOfService({ setting: 'clinic', modality: 'in-person', programId: 'prog-otp' }, GENERIC.placeOfService, map);
    expect(map).toEqual(cmhc);
  });
});

describe('parsePlaceOfServiceMap', () => {
  it('accepts a map of settings and programs to assigned codes', () => {
    const result = parsePlaceOfServiceMap({ bySetting: { clinic: '53', school: '03' }, telehealthHome: '10', programs: { 'prog-1': { bySetting: { clinic: '57' } } } });
    expect(result.ok).toBe(true);
  });

  it.each([
    ['an unassigned code', { bySetting: { clinic: '30' } }, 'bySetting.clinic'],
    ['a one-digit code', { telehealthOther: '2' }, 'telehealthOther'],
    ['an unknown setting', { bySetting: { cafe: '99' } }, 'bySetting.cafe'],
    ['an unknown field', { facility: '53' }, 'facility'],
    ['an unassigned code in a program', { programs: { p: { bySetting: { home: '00' } } } }, 'programs.p.bySetting.home'],
  ])('rejects %s', (_what, input, path) => {
    const result = parsePlaceOfServiceMap(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('billEncounters: place of service', () => {
  const withAllowed = (pack: PayerPack, allowed: string[]): PayerPack => ({
    ...pack,
    placeOfService: { ...pack.placeOfService, allowed: { value: allowed, source: 'PK', status: 'unverified' } },
  });

  it('bills a community mental health center at 53 from the host map, without a pack copy', () => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(GENERIC, { placeOfService: { bySetting: { clinic: '53' } } }));
    expect(run.lines[0]).toMatchObject({ placeOfService: '53', status: 'billable' });
  });

  it('bills a program at its own site (57) and telehealth at 02 / 10', () => {
    const map: PlaceOfServiceMap = { bySetting: { clinic: '53' }, programs: { 'prog-sud': { bySetting: { clinic: '57' } } } };
    const run = billEncounters(
      [
        encounter('2025-03-03T10:00:00', 30),
        encounter('2025-03-04T10:00:00', 30, { modality: 'video', setting: 'home' }),
        encounter('2025-03-05T10:00:00', 30, { modality: 'video', setting: 'community' }),
      ],
      context(GENERIC, { placeOfService: map }),
    );
    expect(run.lines.map((l) => l.placeOfService)).toEqual(['57', '10', '02']);
  });

  it("holds a line whose place of service the pack's allowed list leaves out, citing the pack", () => {
    const pack = withAllowed(GENERIC, ['11', '12', '02', '10']);
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), encounter('2025-03-04T10:00:00', 30, { setting: 'shelter' })],
      context(pack),
    );
    expect(run.lines.map((l) => l.status)).toEqual(['billable', 'held']);
    const finding = run.lines[1]?.findings[0];
    expect(finding).toMatchObject({ check: 'PLACE_OF_SERVICE', code: 'billing.place-of-service', severity: 'error', path: ['encounters', 1, 'setting'] });
    expect(finding?.source).toContain('[PK]');
  });

  it('holds a line the host mapped to an unassigned code', () => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(GENERIC, { placeOfService: { bySetting: { clinic: '30' } } }));
    expect(run.lines[0]?.status).toBe('held');
    expect(run.lines[0]?.findings.map((f) => f.check)).toEqual(['PLACE_OF_SERVICE']);
  });

  it('keeps the Medicare PIN facility rule on a mapped facility code', () => {
    const pinPeer = peer({ coverage: [{ payerId: 'medicare-pin', memberId: 'MBI0000001', start: '2024-01-01' }] });
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 60)],
      context(MEDICARE_PIN_PACK, { peers: [pinPeer], evidence: { initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-01' }] }, placeOfService: { bySetting: { clinic: '52' } } }),
    );
    expect(run.lines[0]?.placeOfService).toBe('52');
    expect(run.lines[0]?.findings.map((f) => f.check)).toContain('PIN_PREREQS');
  });
});

describe('parsePayerPack: place of service', () => {
  const json = (): Record<string, unknown> => JSON.parse(JSON.stringify(GENERIC)) as Record<string, unknown>;

  it.each([
    ['an unassigned code for a setting', (p: { placeOfService: Record<string, { value: unknown }> & { bySetting: Record<string, { value: unknown }> } }) => { (p.placeOfService.bySetting.clinic as { value: unknown }).value = '30'; }, 'placeOfService.bySetting.clinic.value'],
    ['an unassigned telehealth code', (p: { placeOfService: Record<string, { value: unknown }> & { bySetting: Record<string, { value: unknown }> } }) => { (p.placeOfService.telehealthHome as { value: unknown }).value = '59'; }, 'placeOfService.telehealthHome.value'],
  ])('rejects %s (pack.unknown-place-of-service)', (_what, patch, path) => {
    const pack = json() as never;
    patch(pack);
    const result = parsePayerPack(pack);
    expect(result.ok).toBe(false);
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'pack.unknown-place-of-service', path: path.split('.') }));
  });

  it('accepts an allowed list and rejects an unassigned code in it', () => {
    const pack = json() as { placeOfService: Record<string, unknown> };
    pack.placeOfService.allowed = { value: ['11', '53'], source: 'PK', status: 'unverified' };
    expect(parsePayerPack(pack).ok).toBe(true);
    pack.placeOfService.allowed = { value: ['11', '45'], source: 'PK', status: 'unverified' };
    expect(parsePayerPack(pack).issues).toContainEqual(
      expect.objectContaining({ code: 'pack.unknown-place-of-service', path: ['placeOfService', 'allowed', 'value', 1] }),
    );
  });
});
