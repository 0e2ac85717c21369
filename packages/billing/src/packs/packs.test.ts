import { describe, expect, it } from 'vitest';
import { BILLING_SOURCES } from './sources';
import { getPayerPack, PAYER_PACKS } from '.';

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

/**
 * The figures of reference/billing.md, pack by pack: [pack, path of the figure or rule, field, value,
 * source id, status]. Values and grades are the reference's, verbatim.
 */
const FIGURES: [string, string, string, unknown, string, string][] = [
  // §1.1 H0038 and §1.2 (no national unit rule: the strategy is configuration)
  ['medicaid-generic', 'billing.services.0', 'code', 'H0038', 'S1', 'verified'],
  ['medicaid-generic', 'billing.services.0', 'display', 'Self-help/peer services, per 15 minutes', 'S1', 'verified'],
  ['medicaid-generic', 'billing.unitMinutes', 'value', 15, 'S1', 'verified'],
  ['medicaid-generic', 'billing.strategy', 'value', 'MIDPOINT', 'PK', 'unverified'],
  ['medicaid-generic', 'billing.sumSameDay', 'value', false, 'PK', 'unverified'],
  ['medicaid-generic', 'modifiers.group', 'value', 'HQ', 'S14', 'unverified'],
  ['medicaid-generic', 'rules.supervision', 'enforcement', 'hold', 'S11', 'verified'],
  // §2 and §2.1 Medicare PIN-PS
  ['medicare-pin', 'billing.base', 'code', 'G0140', 'S15', 'verified'],
  ['medicare-pin', 'billing.base.minutes', 'value', 60, 'S15', 'verified'],
  ['medicare-pin', 'billing.base.minimumMinutes', 'value', 60, 'PK', 'unverified'],
  ['medicare-pin', 'billing.addOn', 'code', 'G0146', 'S15', 'verified'],
  ['medicare-pin', 'billing.addOn.minutes', 'value', 30, 'S15', 'verified'],
  ['medicare-pin', 'billing.addOn.minimumMinutes', 'value', 30, 'PK', 'unverified'],
  ['medicare-pin', 'rules.pinPrerequisites.initiatingVisit', 'value', true, 'S16', 'secondary'],
  ['medicare-pin', 'rules.pinPrerequisites.excludedVisitCodes', 'value', ['99211'], 'S16', 'secondary'],
  ['medicare-pin', 'rules.pinPrerequisites.consent', 'value', true, 'S16', 'secondary'],
  ['medicare-pin', 'rules.pinPrerequisites.nonFacility', 'value', true, 'S16', 'secondary'],
  ['medicare-pin', 'rules.telehealth.audioOnlyAtHome', 'value', true, 'S17', 'verified'],
  ['medicare-pin', 'modifiers.telehealth.audio-only', 'value', '93', 'S27', 'unverified'],
  ['medicare-pin', 'rules.credential', 'accepted', expectArrayContaining('training-completed'), 'S15', 'verified'],
  // §3 New Jersey [S1]
  ['nj-medicaid', 'billing.services.0', 'modifiers', ['HF'], 'S1', 'verified'],
  ['nj-medicaid', 'caps.0.units', 'value', 16, 'S1', 'verified'],
  ['nj-medicaid', 'caps.0.window', 'value', { kind: 'day' }, 'S1', 'verified'],
  ['nj-medicaid', 'rules.age', 'minAge', 18, 'S1', 'verified'],
  ['nj-medicaid', 'rules.diagnosis', 'enforcement', 'hold', 'S1', 'verified'],
  ['nj-medicaid', 'rules.duplicateService', 'peerInclusivePrograms', true, 'S1', 'verified'],
  // §3 North Carolina [S2]
  ['nc-medicaid', 'billing.services.0.rate', 'amount', 11.97, 'S2', 'verified'],
  ['nc-medicaid', 'billing.services.1.rate', 'amount', 2.88, 'S2', 'verified'],
  ['nc-medicaid', 'modifiers.group', 'value', 'HQ', 'S2', 'verified'],
  ['nc-medicaid', 'caps.0.units', 'value', 24, 'S2', 'verified'],
  ['nc-medicaid', 'caps.0.window', 'value', { kind: 'fiscal-year', startMonth: 7 }, 'PK', 'unverified'],
  ['nc-medicaid', 'rules.groupSize', 'max', 12, 'S2', 'verified'],
  ['nc-medicaid', 'rules.groupSize', 'per', 'facilitator', 'S2', 'verified'],
  ['nc-medicaid', 'rules.credential', 'stateCertification', true, 'S2', 'verified'],
  ['nc-medicaid', 'rules.orderAuth', 'serviceOrder', true, 'S2', 'verified'],
  ['nc-medicaid', 'rules.orderAuth', 'assessment', true, 'S2', 'verified'],
  ['nc-medicaid', 'rules.plan', 'enforcement', 'hold', 'S2', 'verified'],
  // §3 Texas [S3]
  ['tx-medicaid', 'rules.age', 'minAge', 21, 'S3', 'verified'],
  ['tx-medicaid', 'caps.0.units', 'value', 104, 'S3', 'verified'],
  ['tx-medicaid', 'caps.0.window', 'value', { kind: 'rolling-months', months: 6 }, 'S3', 'verified'],
  ['tx-medicaid', 'rules.groupSize', 'max', 12, 'S3', 'verified'],
  ['tx-medicaid', 'rules.groupSize', 'per', 'session', 'S3', 'verified'],
  ['tx-medicaid', 'rules.telehealth.modalities', 'value', ['in-person'], 'S3', 'unverified'],
  ['tx-medicaid', 'rules.duplicateService', 'otherBehavioralHealth', true, 'S3', 'verified'],
  ['tx-medicaid', 'rules.credential', 'stateCertification', true, 'S3', 'verified'],
  // §3 Virginia [S4]
  ['va-medicaid', 'billing.services.0', 'code', 'H0038', 'PK', 'unverified'],
  ['va-medicaid', 'billing.unitMinutes', 'value', 15, 'S4', 'verified'],
  ['va-medicaid', 'caps.0.units', 'value', 16, 'S4', 'verified'],
  ['va-medicaid', 'caps.1.units', 'value', 3600, 'S4', 'verified'],
  ['va-medicaid', 'caps.1.window', 'value', { kind: 'calendar-year' }, 'S4', 'verified'],
  ['va-medicaid', 'rules.groupSize', 'max', 10, 'S4', 'verified'],
  ['va-medicaid', 'rules.age', 'minAge', 21, 'S4', 'verified'],
  ['va-medicaid', 'rules.age', 'programs', ['substance-use', 'co-occurring'], 'S4', 'verified'],
  ['va-medicaid', 'rules.orderAuth', 'priorAuthorization', true, 'S4', 'verified'],
  ['va-medicaid', 'rules.activities', 'nonBillable', ['transport-logistics', 'outreach-engagement'], 'S4', 'verified'],
  ['va-medicaid', 'rules.credential', 'stateCertification', true, 'S4', 'verified'],
  // §3 Pennsylvania [S5]
  ['pa-medicaid', 'billing.services.0', 'code', 'H0038', 'PK', 'unverified'],
  ['pa-medicaid', 'rules.plan.graceMonthsAfterEnrollment', 'value', 1, 'S5', 'verified'],
  ['pa-medicaid', 'rules.plan.reviewEveryMonths', 'value', 6, 'S5', 'verified'],
  ['pa-medicaid', 'rules.plan.signatures', 'value', ['peer', 'specialist', 'clinician'], 'S5', 'verified'],
  ['pa-medicaid', 'rules.telehealth.modalities', 'value', ['in-person', 'audio-only'], 'S5', 'verified'],
  // Packs added for issue 19, from the reference's state rows
  // §1.2 C and §3 Michigan [S8]
  ['mi-medicaid', 'billing.strategy', 'value', 'FULL_UNIT', 'S8', 'verified'],
  ['mi-medicaid', 'billing.services.0', 'code', 'H0038', 'S8', 'verified'],
  ['mi-medicaid', 'billing.services.1', 'modifiers', ['HF'], 'S8', 'verified'],
  // §3 California [S10]
  ['ca-medi-cal', 'billing.services.0', 'code', 'H0038', 'S10', 'verified'],
  ['ca-medi-cal', 'billing.unitMinutes', 'value', 15, 'S10', 'verified'],
  ['ca-medi-cal', 'rules.credential', 'stateCertification', true, 'S10', 'verified'],
  ['ca-medi-cal', 'rules.supervision', 'enforcement', 'hold', 'S10', 'verified'],
  // §3 Washington [S6]
  ['wa-medicaid', 'billing.services.0', 'code', 'H0038', 'PK', 'unverified'],
  ['wa-medicaid', 'rules.credential', 'stateCertification', true, 'S6', 'verified'],
  ['wa-medicaid', 'rules.credential', 'accepted', expectArrayContaining('training-completed'), 'S6', 'verified'],
  // §3 Colorado [S7]
  ['co-medicaid', 'billing.services.0', 'code', 'H0038', 'PK', 'unverified'],
  ['co-medicaid', 'rules.diagnosis', 'enforcement', 'hold', 'S7', 'verified'],
  ['co-medicaid', 'rules.credential', 'accepted', expectArrayContaining('training-completed'), 'S7', 'verified'],
  // §3 Georgia [S9]
  ['ga-medicaid', 'billing.services.0', 'code', 'H0038', 'PK', 'unverified'],
  ['ga-medicaid', 'rules.credential', 'stateCertification', true, 'S9', 'verified'],
];

function expectArrayContaining(value: string): unknown {
  return expect.arrayContaining([value]);
}

describe('shipped payer packs', () => {
  it('ship the packs the issue asks for, ids first', () => {
    expect(PAYER_PACKS.map((p) => p.id)).toEqual([
      'medicaid-generic',
      'medicare-pin',
      'nj-medicaid',
      'nc-medicaid',
      'tx-medicaid',
      'va-medicaid',
      'pa-medicaid',
      'mi-medicaid',
      'ca-medi-cal',
      'wa-medicaid',
      'co-medicaid',
      'ga-medicaid',
    ]);
    expect(new Set(PAYER_PACKS.map((p) => p.id)).size).toBe(PAYER_PACKS.length);
    expect(getPayerPack('tx-medicaid')?.state).toBe('TX');
    expect(getPayerPack('nope')).toBeUndefined();
  });

  it.each(FIGURES)('%s %s.%s = %j [%s, %s]', (id, path, field, value, source, status) => {
    const node = at(getPayerPack(id), path) as Record<string, unknown> | undefined;
    expect(node).toBeDefined();
    expect(node?.[field]).toEqual(value);
    expect(node?.source).toBe(source);
    expect(node?.status).toBe(status);
  });

  it.each(PAYER_PACKS.map((p) => [p.id, p] as const))('%s cites only sources of billing.md, with their citation', (_id, pack) => {
    for (const [id, citation] of Object.entries(pack.sources)) {
      expect(BILLING_SOURCES).toHaveProperty(id);
      expect(citation).toBe(BILLING_SOURCES[id as keyof typeof BILLING_SOURCES]);
    }
  });

  it('marks every figure without a source (PK) as unverified', () => {
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${path}.${i}`));
      else if (node !== null && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (record.source === 'PK') expect(record.status, path).toBe('unverified');
        for (const [key, child] of Object.entries(record)) if (key !== 'sources') walk(child, `${path}.${key}`);
      }
    };
    for (const pack of PAYER_PACKS) walk(pack, pack.id);
  });

  it('lets state Medicaid packs bill the generic Medicaid coverage id when chosen', () => {
    for (const id of ['nj-medicaid', 'nc-medicaid', 'tx-medicaid', 'va-medicaid', 'pa-medicaid', 'mi-medicaid', 'ca-medi-cal', 'wa-medicaid', 'co-medicaid', 'ga-medicaid']) {
      expect(getPayerPack(id)?.coveragePayerIds).toEqual(['medicaid-generic']);
    }
  });
});
