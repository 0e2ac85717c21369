import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'peerkit.mjs');

/** The valid clinic export from docs/clinic-export.md: one record per kind. */
export const FIXTURE = join(__dirname, 'fixtures', 'clinic.ndjson');

/** The fixture's lines, by kind. */
export const FIXTURE_LINES: Record<string, string> = Object.fromEntries(
  readFileSync(FIXTURE, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => [(JSON.parse(line) as { kind: string }).kind, line]),
);

/** What one run of `peerkit` printed and returned. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/peerkit.mjs` as a child process (needs `dist/`: run tsup first). */
export function peerkit(args: readonly string[], cwd: string): Run {
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A fresh temporary directory and its removal. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'peerkit-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts the shape of a user error: exactly one stderr line, no stack trace, nothing on stdout. */
export function oneLineError(run: Run): string {
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1 || run.stderr.includes('    at ') || !lines[0]?.startsWith('peerkit: ') || run.stdout !== '') {
    throw new Error(`expected one 'peerkit: ' line on stderr and empty stdout, got:\n${JSON.stringify(run)}`);
  }
  return lines[0];
}

/** Runs `bin/peerkit.mjs` without blocking (an in-process server must keep answering meanwhile). */
export function peerkitAsync(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
