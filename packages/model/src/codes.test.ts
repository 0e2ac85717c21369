import { describe, expect, it } from 'vitest';
import * as codes from './codes';
import { codesOf, labelOf, MODALITIES, RECORD_KINDS, type CodeEntry } from './codes';

const LISTS = (Object.entries(codes) as [string, unknown][]).filter(
  (entry): entry is [string, readonly CodeEntry[]] => Array.isArray(entry[1]),
);

describe('codesOf', () => {
  it('returns the codes of a list in order', () => {
    expect(codesOf(MODALITIES)).toEqual(['in-person', 'video', 'audio-only']);
  });

  it('lists the nine record kinds', () => {
    expect(codesOf(RECORD_KINDS)).toEqual([
      'organization',
      'specialist',
      'peer',
      'recovery-plan',
      'encounter',
      'group-session',
      'consent',
      'referral',
      'service-consent',
    ]);
  });
});

describe('labelOf', () => {
  it.each([
    ['audio-only', 'Audio only (telephone)'],
    ['video', 'Video (audio and video)'],
    ['fax', undefined],
    ['', undefined],
  ])('labels %j as %j', (code, label) => {
    expect(labelOf(MODALITIES, code)).toBe(label);
  });
});

describe('code lists', () => {
  it('exports code lists', () => {
    expect(LISTS.length).toBeGreaterThan(30);
  });

  it.each(LISTS)('%s has unique kebab-case codes and labels', (_, list) => {
    const listCodes = list.map((entry) => entry.code);
    expect(new Set(listCodes).size).toBe(listCodes.length);
    for (const entry of list) {
      expect(entry.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(entry.label.trim()).not.toBe('');
    }
  });
});
