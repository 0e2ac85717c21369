import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs plain Node (no vitest resolution, no `source` condition) against the built package, the way
// an integrator's code loads it. Needs `dist/` (turbo builds before testing).
const packageDir = join(__dirname, '..');

function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' });
}

describe('@peerkit/model package exports', () => {
  it('loads with require()', () => {
    const out = runNode([
      '-e',
      "const m = require('@peerkit/model'); const r = m.parseRecord({ kind: 'nope' }); process.stdout.write(typeof m.parseRecord + ' ' + r.issues[0].code);",
    ]);
    expect(out).toBe('function record.unknown-kind');
  });

  it('loads with import()', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      "const m = await import('@peerkit/model'); process.stdout.write(typeof m.readClinicExport + ' ' + m.RECORD_KINDS.length);",
    ]);
    expect(out).toBe('function 9');
  });

  it('ships the JSON Schemas as a subpath', () => {
    const out = runNode([
      '-e',
      "const s = require('@peerkit/model/schemas/encounter.json'); process.stdout.write(s.$schema + ' ' + s.properties.kind.const);",
    ]);
    expect(out).toBe('https://json-schema.org/draft/2020-12/schema encounter');
  });
});
