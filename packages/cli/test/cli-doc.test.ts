import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_MEANINGS, EXIT_CODES } from '../src/exit-codes';
import { main } from '../src/index';

// docs/cli.md is the CLI reference generated from the commands' own --help, so it cannot drift.
// UPDATE_DOCS=1 npx vitest run test/cli-doc.test.ts rewrites it.
const docFile = join(__dirname, '..', '..', '..', 'docs', 'cli.md');

async function helpOf(args: string[]): Promise<string> {
  let out = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: __dirname };
  expect(await main(args, io)).toBe(0);
  return out.replace(/^peerkit \d+\.\d+\.\d+\S*:/m, 'peerkit:');
}

async function generate(): Promise<string> {
  const top = await helpOf(['--help']);
  const names = [...top.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1] ?? '');
  const out = [
    '# The `peerkit` command',
    '',
    '<!-- Generated from each command\'s --help by packages/cli/test/cli-doc.test.ts. Do not edit:',
    '     run `UPDATE_DOCS=1 npx vitest run test/cli-doc.test.ts` in packages/cli. -->',
    '',
    'Installed with `@peerkit/cli` (in this repository: `npx peerkit …` after `npm install`). Every',
    'command exits 0 on success, 1 when the data it checked has problems (and still does what it can),',
    '2 for a usage error or input it cannot read, with one `peerkit: ` line naming the problem — never',
    'a stack trace, never a value from your records.',
    '',
    '```',
    top.trimEnd(),
    '```',
    '',
    '## Exit codes',
    '',
    '| code | `EXIT_CODES` | meaning |',
    '|---|---|---|',
    ...Object.entries(EXIT_CODES).map(([name, code]) => `| ${code} | \`${name}\` | ${EXIT_CODE_MEANINGS[name as keyof typeof EXIT_CODES]} |`),
    '',
    "Each command's `--help` ends with what 0, 1 and 2 mean for it. In-process, `main` resolves to 0, 1",
    "or 2 (`import { EXIT_CODES } from '@peerkit/cli'`); a bug rejects its promise instead of giving 70.",
    '',
    '## `--json`',
    '',
    'Every command takes `--json`: one JSON object on standard output instead of the report, and nothing',
    'else there (progress and messages stay on standard error). Its lists are never cut short: where the',
    'text report lists the first issues or findings (`--max-issues`, `--max-findings`), the JSON lists',
    'all of them. A command whose standard output is the data itself needs `--out` with `--json`',
    '(`generate`, `import`); `serve --json` prints `{ "baseUrl", "host", "port" }` as its first line.',
  ];
  for (const name of names) {
    out.push('', `## peerkit ${name}`, '', '```', (await helpOf([name, '--help'])).trimEnd(), '```');
  }
  return `${out.join('\n')}\n`;
}

describe('docs/cli.md', () => {
  it('matches the commands\' --help', async () => {
    const text = await generate();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docFile, text);
    expect(existsSync(docFile), 'docs/cli.md is missing: UPDATE_DOCS=1 npx vitest run test/cli-doc.test.ts').toBe(true);
    expect(readFileSync(docFile, 'utf8'), 'docs/cli.md is stale: UPDATE_DOCS=1 npx vitest run test/cli-doc.test.ts').toBe(text);
  });
});
