import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from './issue-codes';

const SRC = new URL('./', import.meta.url);
const README = new URL('../README.md', import.meta.url);

/** The package's source files (not tests, not fixtures), by path relative to src/. */
function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: URL, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== '__fixtures__') walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        files.set(`${prefix}${entry.name}`, readFileSync(new URL(entry.name, dir), 'utf8'));
      }
    }
  };
  walk(SRC, '');
  return files;
}

const CODE = String.raw`[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*`;
/** `code: 'x.y'`, except code-list entries (`{ code: '…', label: … }`). */
const CODE_PROPERTY = new RegExp(String.raw`\bcode:\s*'(${CODE})'(?!\s*,\s*label\b)`, 'g');
/** `lineError(line, 'x.y', …)`: the clinic export reader passes its codes positionally. */
const CODE_ARGUMENT = new RegExp(String.raw`\blineError\([^,]+,\s*'(${CODE})'`, 'g');

function emittedCodes(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [file, text] of sourceFiles()) {
    for (const regex of [CODE_PROPERTY, CODE_ARGUMENT]) {
      for (const match of text.matchAll(regex)) {
        const code = match[1]!;
        found.set(code, [...(found.get(code) ?? []), file]);
      }
    }
  }
  return found;
}

describe('ISSUE_CODES', () => {
  const keys = Object.keys(ISSUE_CODES);

  it('finds the codes the sources emit (the scan works)', () => {
    const found = emittedCodes();
    for (const code of ['record.too-large', 'record.invalid-json', 'schema.required', 'encounter.cosign-missing', 'consent.tpo-purpose']) {
      expect([...found.keys()]).toContain(code);
    }
    expect(found.size).toBeGreaterThan(60);
  });

  it('lists every issue code emitted in packages/model/src', () => {
    const undocumented = [...emittedCodes()]
      .filter(([code]) => !keys.includes(code))
      .map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(undocumented, 'add these codes to ISSUE_CODES in src/issue-codes.ts').toEqual([]);
  });

  it('lists no code that no source file uses', () => {
    const text = [...sourceFiles()].filter(([file]) => file !== 'issue-codes.ts').map(([, t]) => t).join('\n');
    const unused = keys.filter((code) => !text.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('describes every code with one sentence', () => {
    for (const [code, meaning] of Object.entries(ISSUE_CODES)) {
      expect(code).toMatch(new RegExp(`^${CODE}$`));
      expect(meaning, code).toMatch(/^[A-Z`].*\.$/);
    }
  });

  it('is listed in full in packages/model/README.md', () => {
    expect(existsSync(README), 'packages/model/README.md is missing: it must list every issue code').toBe(true);
    const readme = readFileSync(README, 'utf8');
    const missing = keys.filter((code) => !readme.includes(`\`${code}\``));
    expect(missing, 'list these codes (in backticks) in packages/model/README.md').toEqual([]);
  });
});
