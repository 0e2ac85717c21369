import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const SMALL = ['--seed', '7', '--peers', '12', '--weeks', '2'];

function kinds(ndjson: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of ndjson.trimEnd().split('\n')) {
    const kind = (JSON.parse(line) as { kind: string }).kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

describe('peerkit generate', () => {
  it('writes a clinic that peerkit validate accepts, with the counts it announced', () => {
    const gen = peerkit(['generate', ...SMALL, '--out', 'clinic.ndjson'], dir);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toBe('');
    const text = readFileSync(join(dir, 'clinic.ndjson'), 'utf8');
    const lines = text.trimEnd().split('\n').length;
    expect(gen.stderr).toContain(`peerkit: wrote ${lines} records to clinic.ndjson`);
    expect(gen.stderr).toMatch(/^ {2}peer\s+12$/m);
    expect(gen.stderr).toContain('invalid lines planted: 0');

    const run = peerkit(['validate', 'clinic.ndjson', '--json'], dir);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { lines: number; valid: number; invalid: number; byKind: Record<string, { valid: number }> };
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ lines, valid: lines, invalid: 0 });
    for (const [kind, n] of kinds(text)) expect(report.byKind[kind]?.valid).toBe(n);
  });

  it('plants --invalid broken lines that validate finds, keeping the valid records', () => {
    const gen = peerkit(['generate', ...SMALL, '--invalid', '4', '--out', 'broken.ndjson'], dir);
    expect(gen.code).toBe(0);
    expect(gen.stderr).toContain('invalid lines planted: 4');
    const clean = peerkit(['generate', ...SMALL, '--out', 'clean.ndjson'], dir);
    expect(clean.code).toBe(0);
    const cleanLines = readFileSync(join(dir, 'clean.ndjson'), 'utf8').trimEnd().split('\n').length;

    const run = peerkit(['validate', 'broken.ndjson', '--json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { invalid: number; valid: number; issues: { line: number; severity: string }[] };
    expect(report.invalid).toBe(4);
    expect(report.valid).toBe(cleanLines);
    const human = peerkit(['validate', 'broken.ndjson'], dir);
    expect(human.code).toBe(1);
    for (const issue of report.issues.filter((i) => i.severity === 'error')) {
      expect(human.stdout).toMatch(new RegExp(`^line ${issue.line}\\s`, 'm'));
    }
  });

  it('writes NDJSON to stdout without --out, the same bytes as the file', () => {
    const toStdout = peerkit(['generate', ...SMALL], dir);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stderr).toContain('to standard output');
    for (const line of toStdout.stdout.trimEnd().split('\n')) expect(JSON.parse(line)).toHaveProperty('kind');
    expect(peerkit(['generate', ...SMALL, '--out', 'c.ndjson'], dir).code).toBe(0);
    expect(toStdout.stdout).toBe(readFileSync(join(dir, 'c.ndjson'), 'utf8'));
  });

  it('gives identical files for the same seed and different ones for another', () => {
    peerkit(['generate', ...SMALL, '--invalid', '2', '--out', 'a.ndjson'], dir);
    peerkit(['generate', ...SMALL, '--invalid', '2', '--out', 'b.ndjson'], dir);
    peerkit(['generate', '--seed', '8', '--peers', '12', '--weeks', '2', '--invalid', '2', '--out', 'c.ndjson'], dir);
    const a = readFileSync(join(dir, 'a.ndjson'));
    expect(a.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'b.ndjson')).equals(a)).toBe(true);
    expect(readFileSync(join(dir, 'c.ndjson')).equals(a)).toBe(false);
  });

  it.each([
    [['generate'], /generate needs --seed <n>/],
    [['generate', '--seed', 'seven'], /--seed must be a whole number/],
    [['generate', '--seed', '7', '--peers', '2.5'], /--peers must be a whole number/],
    [['generate', '--seed', '7', '--peers=-3'], /--peers must be at least 0/],
    [['generate', '--seed', '7', '--weeks', ''], /--weeks must be a whole number/],
    [['generate', '--seed', '7', '--invalid', '1e3'], /--invalid must be a whole number/],
    [['generate', '--seed', '7', '--specialists'], /option --specialists needs a value/],
    [['generate', '--seed', '7', '--start', '5 Jan 2026'], /--start must be a date, YYYY-MM-DD/],
    [['generate', '--seed', '7', '--color'], /unknown option --color/],
    [['generate', '--seed', '7', 'clinic.ndjson'], /takes no file argument; use --out <file>/],
  ])('exits 2 naming the option for %j', (args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('    at ');
    const [first, second, ...rest] = run.stderr.trimEnd().split('\n');
    expect(first).toMatch(message);
    expect(second).toMatch(/^usage: peerkit generate --seed <n>/);
    expect(rest).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['--start', '2026-02-30'], /^peerkit: --start must be a calendar date/],
    [['--weeks', '0'], /^peerkit: --weeks must be an integer/],
    [['--specialists', '0'], /^peerkit: --specialists must be an integer/],
  ])('exits 2 for %j, which the generator rejects', (args, message) => {
    const run = peerkit(['generate', '--seed', '7', ...args, '--out', 'x.ndjson'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('    at ');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits 2 with one line and leaves no file when it cannot write', () => {
    const missingDir = peerkit(['generate', ...SMALL, '--out', join('no', 'such', 'dir.ndjson')], dir);
    expect(missingDir.code).toBe(2);
    expect(oneLineError(missingDir)).toMatch(/dir\.ndjson: cannot write: its directory does not exist$/);

    mkdirSync(join(dir, 'taken'));
    const ontoDir = peerkit(['generate', ...SMALL, '--out', 'taken'], dir);
    expect(ontoDir.code).toBe(2);
    expect(oneLineError(ontoDir)).toMatch(/^peerkit: taken: cannot write: it is a directory$/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('--json prints the summary as one JSON object, and needs --out', () => {
    const run = peerkit(['generate', ...SMALL, '--invalid', '2', '--out', 'clinic.ndjson', '--json'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const text = readFileSync(join(dir, 'clinic.ndjson'), 'utf8');
    const out = JSON.parse(run.stdout) as { out: string; records: number; byKind: Record<string, number>; invalidLines: number; exitCode: number };
    expect(out).toMatchObject({ out: 'clinic.ndjson', invalidLines: 2, exitCode: 0 });
    expect(out.records).toBe(text.trimEnd().split('\n').length - 2);
    expect(out.byKind.peer).toBe(12);

    const noOut = peerkit(['generate', ...SMALL, '--json'], dir);
    expect(noOut.code).toBe(2);
    expect(noOut.stdout).toBe('');
    expect(noOut.stderr.split('\n')[0]).toBe('peerkit: --json needs --out <file> (without it the export goes to standard output)');
  });

  it('--help exits 0', () => {
    const run = peerkit(['generate', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--seed <n>');
  });
});
