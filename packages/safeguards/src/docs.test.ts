import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from './rules/catalog';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README.md', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('lists %s with its category, severity and source', (_id, rule) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${rule.id}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${rule.category} | ${rule.severity} |`);
    expect(row).toContain(rule.source.replace(/\|/g, '\\|'));
  });
});
