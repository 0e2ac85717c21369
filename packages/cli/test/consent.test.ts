import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Consent, Identifier } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NPI_A, NPI_B, PATIENT } from '../../safeguards/src/__fixtures__/consents';
import { ORG_B, permitRootWithDeny } from '../../safeguards/src/__fixtures__/foreign-consents';
import { oneLineError, peerkit, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function write(name: string, value: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(value));
  return name;
}

/**
 * The LEAP / Consent2Share shape of the fixtures: a permit root with one deny by actor carrying
 * `action: access`, its actor a literal reference the consent does not resolve itself: Organization/54.
 */
const leap = JSON.parse(JSON.stringify(permitRootWithDeny('actor', true)).replaceAll('Organization/org-b', 'Organization/54')) as Consent;
/** What the host supplies: Organization/54 is Organization B (its NPI). */
const actors: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...ORG_B, id: '54' } }] };
const request = (recipient: Identifier) => ({
  patient: { reference: PATIENT },
  actor: [recipient],
  purposeOfUse: ['TREAT'],
  action: 'disclose',
  date: '2026-05-01',
});
const consent = (args: string[]) => peerkit(['consent', '--consents', 'c.json', '--request', 'r.json', '--now', '2026-05-01', ...args], dir);

describe('peerkit consent --resources', () => {
  beforeEach(() => {
    write('c.json', [leap]);
    write('actors.json', actors);
  });

  it.each([
    ['Organization/54 resolved to the recipient: the deny by actor decides', NPI_B, ['--resources', 'actors.json'], 'DENY', 'provision.provision[0]'],
    ['Organization/54 resolved to another organization: the permit root decides', NPI_A, ['--resources', 'actors.json'], 'PERMIT', 'provision'],
    ['Organization/54 unresolved: the deny applies (fail closed)', NPI_A, [], 'DENY', 'provision.provision[0]'],
  ] as const)('%s', (_name, recipient, args, decision, provision) => {
    write('r.json', request(recipient));
    const json = consent([...args, '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { decision: string; basis: { kind: string; consent: string; provision: string } };
    expect(out.decision).toBe(decision);
    expect(out.basis).toMatchObject({ kind: 'consent', consent: `Consent/${leap.id ?? ''}`, provision });
    const text = consent([...args]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^decision: ${decision}$`, 'm'));
    expect(text.stdout).toContain(`\ndecided by: ${provision}\n`);
  });

  it.each([
    ['a missing file', 'nope.json', undefined, /^peerkit: nope\.json: no such file$/],
    ['not resources', 'obj.json', { hello: 'world' }, /^peerkit: obj\.json: .*Expected a FHIR Bundle, an array of resources/],
    ['identifiers that are not a list, naming the field', 'ids.json', [{ resourceType: 'Organization', id: '54', identifier: { value: '1000000012' } }], /^peerkit: ids\.json: \[0\]\.identifier: Must be an array/],
  ])('exits 2 with one line for %s', (_name, file, content, message) => {
    write('r.json', request(NPI_B));
    if (content !== undefined) write(file, content);
    const run = consent(['--resources', file]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(message);
    expect(run.stderr).not.toContain('1000000012');
  });
});
