import { describe, expect, it } from 'vitest';
import { LOINC } from './codes';
import { bandOf, defineInstrument, scoreRange, type InstrumentInput } from './instrument';
import { BARC_10 } from './instruments/barc-10';
import { GAD_7 } from './instruments/gad-7';
import { PHQ_9 } from './instruments/phq-9';
import { getInstrument, INSTRUMENTS } from './instruments';
import { OUTCOME_SOURCES } from './sources';

/** LOINC's mod-10 check digit (the digit after the hyphen). */
function loincCheckDigitOk(code: string): boolean {
  const [body, check] = code.split('-');
  if (!body || check === undefined || !/^\d+$/.test(body)) return false;
  let sum = 0;
  [...body].reverse().forEach((ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return (10 - (sum % 10)) % 10 === Number(check);
}

describe('the shipped instruments', () => {
  it.each(INSTRUMENTS.map((i) => [i.id, i] as const))('%s is a valid definition', (_, instrument) => {
    const result = defineInstrument(instrument);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['barc-10', 10, 10, 60],
    ['phq-9', 9, 0, 27],
    ['gad-7', 7, 0, 21],
  ] as const)('%s scores %i items from %i to %i', (id, items, min, max) => {
    const instrument = getInstrument(id);
    expect(instrument?.items.filter((i) => i.scored)).toHaveLength(items);
    expect(instrument && scoreRange(instrument)).toEqual({ min, max });
  });

  it('every LOINC term code (items, panels, totals) passes the mod-10 check digit', () => {
    const codes = INSTRUMENTS.flatMap((i) => [
      i.panelCode,
      i.totalCode,
      ...i.items.map((it) => it.code),
    ]).filter((c) => c?.system === LOINC);
    expect(codes.length).toBe(21);
    for (const c of codes) expect(loincCheckDigitOk(c?.code ?? ''), c?.code).toBe(true);
  });

  it('uses the verified LOINC codes: PHQ-9 total 44261-6, GAD-7 total 70274-6, item 9 44260-8', () => {
    expect(PHQ_9.totalCode.code).toBe('44261-6');
    expect(GAD_7.totalCode.code).toBe('70274-6');
    expect(PHQ_9.items.find((i) => i.crisisAtOrAbove !== undefined)?.code?.code).toBe('44260-8');
  });

  it('ships the BARC-10 as paraphrased labels with PeerKit codes (no LOINC), and PHQ-9 / GAD-7 as published wording', () => {
    expect(BARC_10.items.every((i) => i.textSource === 'paraphrase')).toBe(true);
    expect(BARC_10.totalCode.system).not.toBe(LOINC);
    expect([...PHQ_9.items, ...GAD_7.items].every((i) => i.textSource === 'published')).toBe(true);
    expect(PHQ_9.copyright).toContain('No permission required to reproduce, translate, display or distribute');
  });

  it('cites only sources that exist', () => {
    for (const instrument of INSTRUMENTS) for (const id of instrument.sources) expect(OUTCOME_SOURCES, id).toHaveProperty(id);
  });

  it('maps every BARC-10 item to an ARC domain and a recovery-plan domain', () => {
    expect(new Set(BARC_10.items.map((i) => i.domain)).size).toBe(10);
    expect(BARC_10.items.every((i) => i.recoveryDomain !== undefined)).toBe(true);
  });
});

describe('bandOf', () => {
  it.each([
    ['phq-9', 0, 'minimal'],
    ['phq-9', 4, 'minimal'],
    ['phq-9', 5, 'mild'],
    ['phq-9', 9, 'mild'],
    ['phq-9', 10, 'moderate'],
    ['phq-9', 14, 'moderate'],
    ['phq-9', 15, 'moderately-severe'],
    ['phq-9', 19, 'moderately-severe'],
    ['phq-9', 20, 'severe'],
    ['phq-9', 27, 'severe'],
    ['gad-7', 4, 'minimal'],
    ['gad-7', 5, 'mild'],
    ['gad-7', 10, 'moderate'],
    ['gad-7', 14, 'moderate'],
    ['gad-7', 15, 'severe'],
    ['gad-7', 21, 'severe'],
    ['barc-10', 10, 'below-cutoff'],
    ['barc-10', 46, 'below-cutoff (one under the published cut-off)'],
    ['barc-10', 47, 'at-or-above-cutoff'],
    ['barc-10', 60, 'at-or-above-cutoff'],
  ] as const)('%s total %i is %s', (id, total, band) => {
    const instrument = getInstrument(id);
    expect(instrument && bandOf(instrument, total)?.code).toBe(band.split(' ')[0]);
  });

  it('is undefined outside the range', () => {
    expect(bandOf(PHQ_9, 28)).toBeUndefined();
    expect(bandOf(BARC_10, 9)).toBeUndefined();
  });
});

/** A small valid program instrument (3 items, 0–2), for the definition rules. */
const program = (): InstrumentInput => ({
  id: 'program-3',
  title: 'Program check-in',
  name: 'ProgramCheckIn',
  version: '1',
  totalCode: { system: 'https://example.org/codes', code: 'checkin-total' },
  answers: [
    { value: 0, display: 'No' },
    { value: 1, display: 'Sometimes' },
    { value: 2, display: 'Yes' },
  ],
  items: ['a', 'b', 'c'].map((linkId) => ({ linkId, text: `Item ${linkId}`, textSource: 'published' as const, label: linkId })),
  higherIsBetter: true,
  bands: [
    { code: 'low', label: 'Low', min: 0, max: 2 },
    { code: 'high', label: 'High', min: 3, max: 6 },
  ],
  licence: 'The program owns it.',
  sources: ['Program manual, 2026'],
});

describe('defineInstrument', () => {
  it('accepts a program instrument and fills the defaults', () => {
    const result = defineInstrument(program());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.items[0]).toMatchObject({ scored: true, aliases: [] });
  });

  it.each([
    ['two items share a linkId', (p: InstrumentInput) => ({ ...p, items: [...p.items, { ...p.items[0] }] }), 'outcomes.instrument-duplicate-item'],
    ['an alias repeats a linkId', (p: InstrumentInput) => ({ ...p, items: p.items.map((it, i) => (i === 1 ? { ...it, aliases: ['a'] } : it)) }), 'outcomes.instrument-duplicate-item'],
    ['two answers share a value', (p: InstrumentInput) => ({ ...p, answers: [...p.answers, { value: 2, display: 'Always' }] }), 'outcomes.instrument-duplicate-answer'],
    ['no item is scored', (p: InstrumentInput) => ({ ...p, items: p.items.map((it) => ({ ...it, scored: false })) }), 'outcomes.instrument-no-scored-item'],
    ['the bands leave a gap', (p: InstrumentInput) => ({ ...p, bands: [{ code: 'low', label: 'Low', min: 0, max: 1 }, { code: 'high', label: 'High', min: 3, max: 6 }] }), 'outcomes.instrument-bands'],
    ['the bands overlap', (p: InstrumentInput) => ({ ...p, bands: [{ code: 'low', label: 'Low', min: 0, max: 3 }, { code: 'high', label: 'High', min: 3, max: 6 }] }), 'outcomes.instrument-bands'],
    ['the bands stop short of the maximum', (p: InstrumentInput) => ({ ...p, bands: [{ code: 'low', label: 'Low', min: 0, max: 5 }] }), 'outcomes.instrument-bands'],
    ['a crisis threshold is above the scale', (p: InstrumentInput) => ({ ...p, items: p.items.map((it, i) => (i === 0 ? { ...it, crisisAtOrAbove: 3 } : it)) }), 'outcomes.instrument-value-outside-scale'],
    ['prorating may drop every item', (p: InstrumentInput) => ({ ...p, scoring: { prorate: { maxMissing: 3, source: 'Manual' } } }), 'outcomes.instrument-value-outside-scale'],
    ['prorating has no source', (p: InstrumentInput) => ({ ...p, scoring: { prorate: { maxMissing: 1 } } }), 'schema.required'],
    ['the id is not an id', (p: InstrumentInput) => ({ ...p, id: 'Program 3' }), 'schema.invalid-format'],
    ['a field is unknown', (p: InstrumentInput) => ({ ...p, colour: 'blue' }), 'schema.unknown-field'],
  ])('rejects a definition where %s', (_, change, code) => {
    const result = defineInstrument(change(program()));
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toContain(code);
  });

  it('never throws, whatever the input', () => {
    for (const input of [null, 1, 'x', [], {}, { items: 'x' }]) expect(defineInstrument(input).ok).toBe(false);
  });
});
