import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adjustmentCodeTable, checkTable, codeSetTable, csvTable, packTable, placeOfServiceTable } from './__fixtures__/pack-docs';
import * as billing from './index';
import { PAYER_PACKS } from './packs';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README.md', () => {
  it('lists every check, the default place of service table, the CMS code set, the CSV columns and the adjustment codes, as the code has them', () => {
    expect(readme).toContain(checkTable());
    expect(readme).toContain(placeOfServiceTable());
    expect(readme).toContain(codeSetTable());
    expect(readme).toContain(adjustmentCodeTable());
    expect(readme).toContain(csvTable());
  });

  it.each(PAYER_PACKS.map((p) => [p.id, p] as const))('holds the figure table of %s, as the pack has it', (id, pack) => {
    expect(readme).toContain(`### \`${id}\`: ${pack.name}\n\n${packTable(pack)}`);
  });

  it('names every runtime export', () => {
    const missing = Object.keys(billing).filter((name) => !readme.includes(name) && !name.endsWith('_PACK'));
    expect(missing).toEqual([]);
  });
});
