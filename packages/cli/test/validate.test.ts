import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE, FIXTURE_LINES, oneLineError, peerkit, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function write(name: string, lines: readonly string[]): string {
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

function withField(kind: string, patch: Record<string, unknown>): string {
  return JSON.stringify({ ...(JSON.parse(FIXTURE_LINES[kind] ?? '') as object), ...patch });
}

interface JsonReport {
  file: string;
  lines: number;
  valid: number;
  invalid: number;
  byKind: Record<string, { valid: number; invalid: number }>;
  issueCounts: Record<string, number>;
  severityCounts: { error: number; warning: number; information: number };
  issues: { line: number; code: string; path: (string | number)[]; severity: string; message: string }[];
  issuesOmitted: number;
  exitCode: number;
}

describe('peerkit validate', () => {
  it('exits 0 for a valid export, warnings allowed, and prints the counts', () => {
    const run = peerkit(['validate', FIXTURE], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/clinic\.ndjson: 8 lines read/);
    expect(run.stdout).toMatch(/^encounter\s+1\s+0$/m);
    expect(run.stdout).toMatch(/^total\s+8\s+0$/m);
    expect(run.stdout).toContain('valid: 8  invalid: 0');
    // The fixture's specialist names a supervisor the export does not hold: a warning, not an error.
    expect(run.stdout).toMatch(/issues: 0 errors, [1-9]\d* warnings?, 0 information/);
    expect(run.stdout).toMatch(/^line 2\s+supervisorId\s+reference\.unresolved\s+Refers to a specialist/m);
    expect(run.stdout).toMatch(/checked in \d/);
  });

  it('exits 1 for broken lines, names their line numbers and still counts the valid records', () => {
    const file = write('broken.ndjson', [
      FIXTURE_LINES.organization ?? '',
      '{"kind":"peer","id":',
      '',
      withField('peer', { birthDate: 'yesterday' }),
      withField('encounter', { kind: 'home-visit' }),
      FIXTURE_LINES.specialist ?? '',
      '{"id":"x-1"}',
      '42',
    ]);
    const run = peerkit(['validate', file], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('broken.ndjson: 7 lines read');
    expect(run.stdout).toContain('valid: 2  invalid: 5');
    expect(run.stdout).toMatch(/^peer\s+0\s+1$/m);
    expect(run.stdout).toMatch(/^\(no known kind\)\s+-\s+4$/m);
    expect(run.stdout).toMatch(/^line 2\s+-\s+record\.invalid-json\s+Line is not valid JSON$/m);
    expect(run.stdout).toMatch(/^line 4\s+birthDate\s+schema\.invalid-format\s/m);
    expect(run.stdout).toMatch(/^line 5\s+kind\s+record\.unknown-kind\s/m);
    expect(run.stdout).toMatch(/^line 7\s+kind\s+record\.missing-kind\s/m);
    expect(run.stdout).toMatch(/^line 8\s+-\s+record\.not-object\s/m);
  });

  it('--json prints exactly one JSON object with every issue', () => {
    const file = write('unknown-kind.ndjson', [
      ...Object.values(FIXTURE_LINES),
      '{"kind":"invoice","id":"inv-1"}',
      ...Array.from({ length: 60 }, () => '{"kind":"peer"}'),
    ]);
    const run = peerkit(['validate', file, '--json'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(Object.keys(report).sort()).toEqual(
      ['byKind', 'exitCode', 'file', 'invalid', 'issueCounts', 'issues', 'issuesOmitted', 'lines', 'severityCounts', 'valid'].sort(),
    );
    expect(report).toMatchObject({ file, lines: 69, valid: 8, invalid: 61, issuesOmitted: 0, exitCode: 1 });
    expect(report.byKind.peer).toEqual({ valid: 1, invalid: 60 });
    expect(report.issues.find((i) => i.line === 9)).toMatchObject({ code: 'record.unknown-kind', path: ['kind'] });
    expect(report.issues.length).toBeGreaterThan(60);
    expect(report.severityCounts.error + report.severityCounts.warning + report.severityCounts.information).toBe(
      report.issues.length,
    );
  });

  it('caps the listed issues at --max-issues and says how many more there are', () => {
    const file = write('many.ndjson', Array.from({ length: 5 }, () => '{"id":"x"}'));
    const run = peerkit(['validate', file, '--max-issues', '2'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^line \d/gm)).toHaveLength(2);
    expect(run.stdout).toContain('… and 3 more (use --json for all)');
    expect(run.stdout).toMatch(/issues: 5 errors, 0 warnings, 0 information\n\nline 1 /);
  });

  it('lists errors before warnings when it cannot list them all', () => {
    const file = write('late-error.ndjson', [...Object.values(FIXTURE_LINES), withField('peer', { id: 'peer-2', birthDate: '12/04/1988' })]);
    const run = peerkit(['validate', file, '--max-issues', '1'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^line \d.*$/gm)).toEqual([expect.stringMatching(/^line 9\s+birthDate\s+schema\.invalid-format\s/)]);
    expect(run.stdout).toMatch(/… and [1-9]\d* more \(use --json for all\)/);
  });

  it('counts a repeated id as an invalid record and an error', () => {
    const file = write('duplicate.ndjson', [...Object.values(FIXTURE_LINES), FIXTURE_LINES.consent ?? '']);
    const json = JSON.parse(peerkit(['validate', file, '--json'], dir).stdout) as JsonReport;
    expect(json).toMatchObject({ valid: 8, invalid: 1, exitCode: 1 });
    expect(json.byKind.consent).toEqual({ valid: 1, invalid: 1 });
    expect(json.severityCounts.error).toBe(1);
    expect(json.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ line: 9, code: 'record.duplicate-id', path: ['id'] }),
    ]);
    const human = peerkit(['validate', file, '--max-issues', '1'], dir);
    expect(human.stdout).toContain('issues: 1 error,');
    expect(human.stdout).toMatch(/^line 9\s+id\s+record\.duplicate-id\s/m);
  });

  it('reports a 50 MB line as record.too-large at its line and counts the lines around it', () => {
    const path = join(dir, 'huge.ndjson');
    const fd = openSync(path, 'w');
    writeSync(fd, `${FIXTURE_LINES.organization ?? ''}\n{"kind":"peer","note":"`);
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 50; i += 1) writeSync(fd, chunk);
    writeSync(fd, `"}\n${FIXTURE_LINES.specialist ?? ''}\n${FIXTURE_LINES.peer ?? ''}\n`);
    closeSync(fd);
    const run = peerkit(['validate', 'huge.ndjson', '--json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report).toMatchObject({ lines: 4, valid: 3, invalid: 1 });
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ line: 2, code: 'record.too-large', path: [] }),
    ]);
    const human = peerkit(['validate', 'huge.ndjson'], dir);
    expect(human.stdout).toMatch(/^line 2\s+-\s+record\.too-large\s+Line is longer than the limit/m);
    expect(human.stdout.length).toBeLessThan(4000);
  });

  it('never prints the values of a record', () => {
    const canary = 'CANARY-q7Zt Jane Roe 1988-04-12';
    const file = write('canary.ndjson', [
      withField('encounter', {
        durationMinutes: 'forty',
        end: '2026-01-12T13:00:00-05:00',
        note: { text: canary, signedAt: '2026-01-12T16:00:00-05:00', signedBy: 'sp-1' },
      }),
      `{"kind":"encounter","note":{"text":"${canary}"`,
      withField('peer', { birthDate: canary, preferredLanguage: canary, id: canary }),
      JSON.stringify({ kind: canary }),
      JSON.stringify([canary]),
    ]);
    for (const args of [['validate', file], ['validate', file, '--json']]) {
      const run = peerkit(args, dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/line 3 |"line":3/);
      expect(`${run.stdout}${run.stderr}`).not.toContain('CANARY');
      expect(`${run.stdout}${run.stderr}`).not.toContain('Roe');
    }
  });

  describe('files it cannot check', () => {
    it.each([
      ['a missing file', () => 'nope.ndjson', /^peerkit: nope\.ndjson: no such file$/],
      ['a directory', () => '.', /^peerkit: \.: is a directory/],
      ['a text file that is not NDJSON', () => write('notes.txt', ['Dear team,', 'see attached.']), /is not NDJSON \(no line is a JSON object/],
      [
        'a pretty-printed JSON array',
        () => write('a.json', [JSON.stringify([JSON.parse(FIXTURE_LINES.peer ?? ''), JSON.parse(FIXTURE_LINES.consent ?? '')], null, 2)]),
        /a JSON array is not an NDJSON export/,
      ],
      ['a one-line JSON array', () => write('b.json', [`[${FIXTURE_LINES.peer ?? ''}]`]), /a JSON array is not an NDJSON export/],
      [
        'a binary file',
        () => {
          writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49]));
          return 'image.png';
        },
        /image\.png: is not a text file \(it contains NUL bytes\)/,
      ],
      [
        'a UTF-16 file',
        () => {
          writeFileSync(join(dir, 'utf16.ndjson'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${FIXTURE_LINES.peer ?? ''}\n`, 'utf16le')]));
          return 'utf16.ndjson';
        },
        /is UTF-16 text; a clinic export must be UTF-8 NDJSON/,
      ],
    ])('exits 2 with one line for %s', (_what, makeFile, message) => {
      const run = peerkit(['validate', makeFile()], dir);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toMatch(message);
    });

    it('exits 2 with one line when a folder in the path is a file', () => {
      const file = write('plain.ndjson', [FIXTURE_LINES.peer ?? '']);
      const run = peerkit(['validate', `${file}/clinic.ndjson`], dir);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toMatch(/cannot read the file \(a folder in its path is a file\)/);
    });

    it('prints nothing on stdout with --json', () => {
      const run = peerkit(['validate', 'nope.ndjson', '--json'], dir);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toContain('no such file');
    });
  });

  it('accepts an empty file as an export with no records', () => {
    writeFileSync(join(dir, 'empty.ndjson'), '');
    const run = peerkit(['validate', 'empty.ndjson'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 lines read');
  });

  it.each([
    [['validate'], /validate needs the file to check/],
    [['validate', 'a.ndjson', 'b.ndjson'], /one file at a time/],
    [['validate', 'a.ndjson', '--max-issues', 'ten'], /--max-issues must be a whole number/],
    [['validate', 'a.ndjson', '--max-issues', '-1'], /option --max-issues needs a value/],
    [['validate', 'a.ndjson', '--max-issues=-1'], /--max-issues must be at least 0/],
    [['validate', 'a.ndjson', '--max-issues'], /option --max-issues needs a value/],
    [['validate', 'a.ndjson', '--json=yes'], /option --json takes no value/],
    [['validate', 'a.ndjson', '--strict'], /unknown option --strict/],
  ])('exits 2 for the usage error in %j', (args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('    at ');
    const [first, second, ...rest] = run.stderr.trimEnd().split('\n');
    expect(first).toMatch(message);
    expect(first).toMatch(/^peerkit: /);
    expect(second).toMatch(/^usage: peerkit validate <file>/);
    expect(rest).toEqual([]);
  });

  it('--help exits 0 and lists the options', () => {
    const run = peerkit(['validate', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--max-issues <n>');
  });
});
