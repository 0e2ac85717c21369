import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesOf, RECORD_KINDS } from './codes';
import { parseRecord } from './record';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'clinic-export.md'), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => match[1] ?? '');

describe('docs/clinic-export.md', () => {
  it('has one example line per record kind', () => {
    const kinds = examples.map((text) => (JSON.parse(text) as { kind: string }).kind);
    expect(kinds.sort()).toEqual([...codesOf(RECORD_KINDS)].sort());
  });

  it.each(examples.map((text) => [(JSON.parse(text) as { kind: string }).kind, text] as const))(
    'shows a valid %s line',
    (_kind, text) => {
      expect(text).not.toContain('\n');
      const result = parseRecord(JSON.parse(text));
      expect(result.issues).toEqual([]);
      expect(result.ok).toBe(true);
    },
  );
});
