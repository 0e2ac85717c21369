import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../package.json';
import type { CliIo } from './cli-io';
import { main } from './index';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');

function fakeIo(cwd = FIXTURES): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd,
    out: () => out,
    err: () => err,
  };
}

describe('main', () => {
  it('prints the version from package.json', async () => {
    const io = fakeIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`${version}\n`);
  });

  it('lists only the verbs that exist in --help', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^ {2}generate {2}/m);
    expect(io.out()).toMatch(/^ {2}validate {2}/m);
    expect(io.out()).toMatch(/^ {2}serve {2}/m);
    expect(io.out()).toMatch(/^ {2}sync {2}/m);
    expect(io.out()).toMatch(/^ {2}bill {2}/m);
    expect(io.out()).toMatch(/^ {2}units {2}/m);
    expect(io.out()).toMatch(/^ {2}consent {2}/m);
    expect(io.out()).toMatch(/^ {2}check {2}/m);
    expect(io.out()).toMatch(/^ {2}lint-note {2}/m);
    expect(io.out()).toMatch(/^ {2}import {2}/m);
    for (const future of ['map']) {
      expect(io.out()).not.toMatch(new RegExp(`^\\s+${future}\\s`, 'm'));
    }
  });

  it.each([[[]], [['frobnicate']], [['--verbose']], [['validate']], [['generate', '--seed']], [['validate', 'missing.ndjson']]])(
    'resolves to 2 without throwing for %j',
    async (argv) => {
      const io = fakeIo();
      await expect(main(argv, io)).resolves.toBe(2);
      expect(io.err()).toMatch(/^peerkit: /);
      expect(io.out()).toBe('');
    },
  );

  it('names the unknown command and prints the usage line', async () => {
    const io = fakeIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err()).toBe("peerkit: unknown command 'frobnicate'\nusage: peerkit <command> [options]   (peerkit --help lists the commands)\n");
  });

  it('resolves relative paths against io.cwd', async () => {
    const io = fakeIo();
    expect(await main(['validate', 'clinic.ndjson', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ file: 'clinic.ndjson', lines: 8, valid: 8, invalid: 0, exitCode: 0 });
  });
});

describe('main generate', () => {
  it('writes NDJSON to io.stdout and the summary to io.stderr', async () => {
    const io = fakeIo();
    expect(await main(['generate', '--seed', '3', '--peers', '4', '--weeks', '1'], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { kind: string }).kind)[0]).toBe('organization');
    expect(io.err()).toContain(`peerkit: wrote ${lines.length} records to standard output`);
  });
});
