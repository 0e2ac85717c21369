import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { peerkit, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('peerkit', () => {
  it('--help lists generate and validate and exits 0', () => {
    const run = peerkit(['--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}generate\s/m);
    expect(run.stdout).toMatch(/^ {2}validate\s/m);
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    const run = peerkit(['--version'], dir);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 with a usage line without a command', () => {
    const run = peerkit([], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('peerkit: no command given\nusage: peerkit <command> [options]   (peerkit --help lists the commands)\n');
  });

  it('exits 2 with a usage line for an unknown command', () => {
    const run = peerkit(['teleport'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("peerkit: unknown command 'teleport'\nusage: peerkit <command> [options]   (peerkit --help lists the commands)\n");
  });
});
