import { describe, expect, it } from 'vitest';
import { c2sStyle, deepTree, peerkitTpo } from '../__fixtures__/consents';
import { readConsents } from './read-consents';

describe('readConsents', () => {
  it('reads a Bundle, skipping other resources with an information issue', () => {
    const result = readConsents({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: peerkitTpo() }, { resource: { resourceType: 'Patient', id: 'p' } }, { resource: c2sStyle() }],
    });
    expect(result.ok && result.value.map((c) => c.id)).toEqual(['pk-tpo', 'c2s-1']);
    expect(result.issues.map((i) => [i.severity, i.code, i.path.join('.')])).toEqual([['information', 'consent.not-a-consent', 'entry.1.resource']]);
  });

  it('reads an array and a single Consent', () => {
    expect(readConsents([deepTree(), peerkitTpo()]).ok).toBe(true);
    expect(readConsents(deepTree()).ok).toBe(true);
  });

  it.each([
    ['a string', 'consents', 'consent.unreadable', ''],
    ['an unknown status', [{ ...peerkitTpo(), status: 'revoked' }], 'schema.invalid-value', '0.status'],
    ['a provision type that is not permit or deny', [{ ...peerkitTpo(), provision: { type: 'allow' } }], 'schema.invalid-value', '0.provision.type'],
    ['a nested period that is not a date', [{ ...peerkitTpo(), provision: { provision: [{ period: { start: 'soon' } }] } }], 'schema.invalid-format', '0.provision.provision.0.period.start'],
    ['a Bundle whose entry is not a list', { resourceType: 'Bundle', entry: {} }, 'schema.invalid-type', 'entry'],
  ])('reports %s', (_name, input, code, path) => {
    const result = readConsents(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toContainEqual([code, path]);
  });

  it('refuses a provision tree deeper than it walks', () => {
    let provision: Record<string, unknown> = { type: 'permit' };
    for (let i = 0; i < 40; i++) provision = { type: 'deny', provision: [provision] };
    const result = readConsents([{ ...peerkitTpo(), provision }]);
    expect(result.issues[0]?.code).toBe('consent.provision-too-deep');
  });
});
