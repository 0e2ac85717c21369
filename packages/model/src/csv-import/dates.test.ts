import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormat, readIsoDateTime, readWithFormat, toIsoDateTime, type CsvCompiledFormat } from './dates';

function compiled(format: string, needs = { date: true, time: false }): CsvCompiledFormat {
  const c = compileFormat(format, needs);
  if (typeof c === 'string') throw new Error(`format ${format}: ${c}`);
  return c;
}

describe('compileFormat', () => {
  it.each([
    ['MM/DD/YYYY', { date: true, time: false }],
    ['M/D/YYYY', { date: true, time: false }],
    ['DD.MM.YYYY', { date: true, time: false }],
    ['h:mm A', { date: false, time: true }],
    ['HH:mm:ss', { date: false, time: true }],
    ['YYYY-MM-DD HH:mm', { date: true, time: true }],
    ['M/D/YYYY h:mm a', { date: true, time: true }],
  ])('accepts %s', (format, needs) => {
    expect(typeof compileFormat(format, needs)).toBe('object');
  });

  it.each([
    ['MM/YYYY', { date: true, time: false }, 'needs YYYY'],
    ['MM/DD/YYYY HH:mm', { date: true, time: false }, 'cannot hold a time'],
    ['h:mm', { date: false, time: true }, 'without A'],
    ['HH:mm A', { date: false, time: true }, 'A with a 24-hour hour'],
    ['HH', { date: false, time: true }, 'needs an hour'],
    ['YYYY-MM-DD', { date: false, time: true }, 'cannot hold a date'],
    ['DD/DD/YYYY', { date: true, time: false }, 'twice'],
  ])('rejects %s', (format, needs, rule) => {
    expect(compileFormat(format, needs)).toContain(rule);
  });
});

describe('readWithFormat', () => {
  it.each([
    ['MM/DD/YYYY', '03/14/2026', { year: 2026, month: 3, day: 14 }],
    ['M/D/YYYY', '3/4/2026', { year: 2026, month: 3, day: 4 }],
    ['M/D/YYYY', ' 12/31/2025 ', { year: 2025, month: 12, day: 31 }],
    ['DD.MM.YYYY', '29.02.2024', { year: 2024, month: 2, day: 29 }],
  ])('reads %s %j', (format, text, date) => {
    expect(readWithFormat(text, compiled(format))?.date).toEqual(date);
  });

  it.each([
    ['MM/DD/YYYY', '3/14/2026'],
    ['MM/DD/YYYY', '02/30/2026'],
    ['DD.MM.YYYY', '29.02.2025'],
    ['MM/DD/YYYY', '13/01/2026'],
    ['MM/DD/YYYY', '2026-03-14'],
    ['MM/DD/YYYY', ''],
  ])('rejects %s %j', (format, text) => {
    expect(readWithFormat(text, compiled(format))).toBeUndefined();
  });

  it.each([
    ['h:mm A', '12:05 AM', { hour: 0, minute: 5, second: 0 }],
    ['h:mm A', '12:05 PM', { hour: 12, minute: 5, second: 0 }],
    ['h:mm A', '1:30 pm', { hour: 13, minute: 30, second: 0 }],
    ['HH:mm:ss', '23:59:59', { hour: 23, minute: 59, second: 59 }],
    ['H:mm', '7:00', { hour: 7, minute: 0, second: 0 }],
  ])('reads the time %s %j', (format, text, time) => {
    expect(readWithFormat(text, compiled(format, { date: false, time: true }))?.time).toEqual(time);
  });

  it.each([
    ['h:mm A', '13:00 PM'],
    ['h:mm A', '0:30 AM'],
    ['HH:mm', '24:00'],
    ['HH:mm', '10:60'],
  ])('rejects the time %s %j', (format, text) => {
    expect(readWithFormat(text, compiled(format, { date: false, time: true }))).toBeUndefined();
  });

  it('never throws and only returns real calendar dates, whatever the text', () => {
    const format = compiled('M/D/YYYY');
    fc.assert(
      fc.property(fc.string(), (text) => {
        const read = readWithFormat(text, format);
        if (read?.date === undefined) return;
        const { year, month, day } = read.date;
        const back = new Date(Date.UTC(year, month - 1, day));
        expect([back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate()]).toEqual([year, month, day]);
      }),
    );
  });

  it('reads back every date it is given in the format', () => {
    const format = compiled('MM/DD/YYYY');
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (d) => {
        const text = `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
        expect(readWithFormat(text, format)?.date).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
      }),
    );
  });
});

describe('toIsoDateTime', () => {
  const at = (date: string, time: string) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    return [{ year, month, day }, { hour, minute, second: 0 }] as const;
  };

  it.each([
    ['-05:00', '2026-01-12', '10:00', '2026-01-12T10:00:00-05:00'],
    ['+05:30', '2026-01-12', '10:00', '2026-01-12T10:00:00+05:30'],
    ['Z', '2026-01-12', '10:00', '2026-01-12T10:00:00Z'],
  ])('applies the fixed offset %s', (offset, date, time, expected) => {
    expect(toIsoDateTime(...at(date, time), { offset })).toBe(expected);
  });

  it.each([
    // America/New_York: EST -05:00; EDT -04:00 from 2026-03-08 02:00 to 2026-11-01 02:00.
    ['America/New_York', '2026-01-12', '10:00', '2026-01-12T10:00:00-05:00'],
    ['America/New_York', '2026-03-07', '23:00', '2026-03-07T23:00:00-05:00'],
    ['America/New_York', '2026-03-08', '03:30', '2026-03-08T03:30:00-04:00'],
    ['America/New_York', '2026-07-04', '12:00', '2026-07-04T12:00:00-04:00'],
    // 01:30 happens twice on 2026-11-01: the earlier (EDT) is taken.
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T01:30:00-04:00'],
    ['America/New_York', '2026-11-01', '03:00', '2026-11-01T03:00:00-05:00'],
    // 02:30 does not exist on 2026-03-08: read with the offset before the change.
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T02:30:00-05:00'],
    ['America/Phoenix', '2026-07-04', '12:00', '2026-07-04T12:00:00-07:00'],
    ['Asia/Kolkata', '2026-07-04', '12:00', '2026-07-04T12:00:00+05:30'],
    ['UTC', '2026-07-04', '12:00', '2026-07-04T12:00:00+00:00'],
  ])('looks up the offset of %s on %s %s', (timeZone, date, time, expected) => {
    expect(toIsoDateTime(...at(date, time), { timeZone })).toBe(expected);
  });
});

describe('readIsoDateTime', () => {
  it.each([
    ['2026-03-14T14:30:00-05:00', undefined, '2026-03-14T14:30:00-05:00'],
    ['2026-03-14 14:30', { offset: '-05:00' }, '2026-03-14T14:30:00-05:00'],
    ['2026-03-14T14:30:00Z', undefined, '2026-03-14T14:30:00Z'],
    ['2026-03-14T14:30:00', undefined, 'no-offset'],
    ['2026-02-30T14:30:00Z', undefined, undefined],
    ['14:30 3/14/2026', { offset: '-05:00' }, undefined],
  ] as const)('reads %j', (text, zone, expected) => {
    expect(readIsoDateTime(text, zone)).toBe(expected);
  });
});
