import { describe, expect, it } from 'vitest';
import { parsePayerPack, type PayerPack } from './pack-schema';
import { MEDICAID_GENERIC_PACK, NC_MEDICAID_PACK, PAYER_PACKS } from './packs';

/** A deep copy of a pack as plain JSON, the way a user's pack file arrives. */
function asJson(pack: PayerPack): Record<string, unknown> {
  return JSON.parse(JSON.stringify(pack)) as Record<string, unknown>;
}

function issuesOf(input: unknown): { code: string; path: string; message: string }[] {
  const result = parsePayerPack(input);
  expect(result.ok).toBe(false);
  return result.issues.map((i) => ({ code: i.code, path: i.path.join('.'), message: i.message }));
}

describe('parsePayerPack', () => {
  it.each(PAYER_PACKS.map((p) => [p.id, p] as const))('accepts the shipped pack %s unchanged (no defaults left out)', (_id, pack) => {
    const result = parsePayerPack(asJson(pack));
    expect(result.issues).toEqual([]);
    expect(result.ok && result.value).toEqual(asJson(pack));
  });

  it('fills defaults in a minimal pack a user writes', () => {
    const minimal = asJson(MEDICAID_GENERIC_PACK);
    delete minimal.caps;
    delete minimal.mue;
    delete minimal.notes;
    delete minimal.coveragePayerIds;
    const result = parsePayerPack(minimal);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.caps).toEqual([]);
      expect(result.value.coveragePayerIds).toEqual([]);
    }
  });

  it.each([
    ['not an object', 42, 'schema.invalid-type', ''],
    ['wrong format marker', { ...asJson(MEDICAID_GENERIC_PACK), format: 'peerkit-payer-pack/9' }, 'schema.invalid-value', 'format'],
    ['missing id', { ...asJson(MEDICAID_GENERIC_PACK), id: undefined }, 'schema.required', 'id'],
    ['upper-case id', { ...asJson(MEDICAID_GENERIC_PACK), id: 'My Pack' }, 'schema.invalid-format', 'id'],
    ['unknown field', { ...asJson(MEDICAID_GENERIC_PACK), payer: 'x' }, 'schema.unknown-field', 'payer'],
    ['bad version', { ...asJson(MEDICAID_GENERIC_PACK), version: 'v1' }, 'schema.invalid-format', 'version'],
  ])('rejects %s', (_what, input, code, path) => {
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('rejects an unknown unit strategy, naming the allowed ones', () => {
    const pack = asJson(MEDICAID_GENERIC_PACK) as { billing: { strategy: { value: string } } };
    pack.billing.strategy.value = 'ROUND_UP';
    const issues = issuesOf(pack);
    expect(issues).toContainEqual({
      code: 'schema.invalid-value',
      path: 'billing.strategy.value',
      message: 'Must be one of: CMS_TIMED_TOTAL, MIDPOINT, FULL_UNIT, ANY_PORTION',
    });
  });

  it('rejects a figure without source or status', () => {
    const pack = asJson(NC_MEDICAID_PACK) as { caps: { units: Record<string, unknown> }[] };
    const cap = pack.caps[0];
    if (cap) cap.units = { value: 24 };
    const issues = issuesOf(pack);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'schema.required', path: 'caps.0.units.source' }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'schema.required', path: 'caps.0.units.status' }));
  });

  it('rejects a figure citing a source the pack does not list', () => {
    const pack = asJson(NC_MEDICAID_PACK) as { sources: Record<string, string> };
    delete pack.sources.S2;
    const issues = issuesOf(pack);
    expect(issues.length).toBeGreaterThan(3);
    expect(issues.every((i) => i.code === 'pack.unknown-source' && i.path.endsWith('.source'))).toBe(true);
    expect(issues).toContainEqual(expect.objectContaining({ path: 'caps.0.units.source' }));
  });

  it('rejects CMS_TIMED_TOTAL without same-day summing', () => {
    const pack = asJson(MEDICAID_GENERIC_PACK) as { billing: { strategy: { value: string } } };
    pack.billing.strategy.value = 'CMS_TIMED_TOTAL';
    expect(issuesOf(pack)).toContainEqual(expect.objectContaining({ code: 'pack.strategy-sums', path: 'billing.sumSameDay.value' }));
  });

  it('rejects a service that could put more than 4 modifiers on a line', () => {
    const pack = asJson(MEDICAID_GENERIC_PACK) as { billing: { services: { modifiers: string[] }[] }; modifiers: { program: object } };
    pack.modifiers.program = { 'substance-use': { value: 'HF', source: 'S14', status: 'verified' } };
    const group = pack.billing.services[1];
    if (group) group.modifiers = ['U1', 'U2'];
    expect(issuesOf(pack)).toContainEqual(expect.objectContaining({ code: 'pack.modifier-limit', path: 'billing.services.1.modifiers' }));
  });

  it('rejects two services that bill the same session for the same program type', () => {
    const pack = asJson(MEDICAID_GENERIC_PACK) as { billing: { services: Record<string, unknown>[] } };
    pack.billing.services.push({ ...pack.billing.services[0], id: 'other' });
    expect(issuesOf(pack)).toContainEqual(expect.objectContaining({ code: 'pack.ambiguous-service', path: 'billing.services.2.programs' }));
  });

  it('rejects a modifier order that repeats a slot, a cap on a code the pack does not bill and duplicate cap ids', () => {
    const pack = asJson(NC_MEDICAID_PACK) as {
      modifiers: { order: { value: string[] } };
      caps: Record<string, unknown>[];
    };
    pack.modifiers.order.value = ['group', 'group', 'service', 'telehealth'];
    pack.caps.push({ ...pack.caps[0], codes: ['G0140'] });
    const issues = issuesOf(pack);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'pack.modifier-order' }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'pack.unknown-code', path: 'caps.1.codes.0' }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'pack.duplicate', path: 'caps.1' }));
  });

  it('requires a place of service for every setting', () => {
    const pack = asJson(MEDICAID_GENERIC_PACK) as { placeOfService: { bySetting: Record<string, unknown> } };
    delete pack.placeOfService.bySetting.shelter;
    expect(issuesOf(pack)).toContainEqual(expect.objectContaining({ code: 'schema.required', path: 'placeOfService.bySetting.shelter' }));
  });

  it('never throws, whatever the input', () => {
    for (const input of [null, undefined, [], 'pack', { billing: null }, { format: 'peerkit-payer-pack/1', billing: { mode: 'x' } }]) {
      expect(parsePayerPack(input).ok).toBe(false);
    }
  });
});
