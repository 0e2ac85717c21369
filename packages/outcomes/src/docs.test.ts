import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME_CODES } from './codes';
import * as html from './html';
import * as outcomes from './index';
import { OUTCOME_SOURCES } from './sources';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const guide = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'outcomes.md'), 'utf8');
const cell = (text: string): string => text.replace(/\|/g, '\\|');

describe('README.md', () => {
  it('names every runtime export of the root and of ./html', () => {
    expect(Object.keys({ ...outcomes, ...html }).filter((name) => !readme.includes(name))).toEqual([]);
  });

  it.each(Object.entries(OUTCOME_CODES))('lists %s with its meaning', (code, meaning) => {
    expect(readme).toContain(`| \`${code}\` | ${cell(meaning)} |`);
  });
});

describe('docs/outcomes.md', () => {
  it.each(Object.entries(OUTCOME_SOURCES))('cites %s with how it was verified', (id, source) => {
    expect(guide).toContain(`| \`${id}\` | ${source.verification} | ${cell(source.citation)} | ${cell(source.note)} |`);
  });
});
