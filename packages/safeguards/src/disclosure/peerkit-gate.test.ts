/**
 * The disclosure gate over resources and consents mapped by @peerkit/fhir from a generated clinic:
 * a Part 2 peer's record goes to a treating provider under their single TPO consent, labeled, with
 * the notice; nothing goes under no consent.
 */
import { toFhir } from '@peerkit/fhir';
import { generateClinic, type Consent } from '@peerkit/model';
import type { Bundle, Consent as FhirConsent, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { parseDisclosureRequest } from '../consent/request';
import { gateDisclosure } from './disclosure-gate';

const DATE = '2026-02-20';
const clinic = generateClinic({ seed: 11, peers: 120, weeks: 8 });
const mapped = toFhir(clinic.records);
const resources: Resource[] = mapped.ok ? (mapped.value as Resource[]) : [];

function inForceTpo(c: Consent): boolean {
  const end = [c.period.end, c.expiration?.date].filter((d): d is string => d !== undefined).sort()[0];
  return (
    c.consentKind === 'part2-tpo' &&
    c.status === 'active' &&
    ['treatment', 'payment', 'operations'].every((p) => c.purposes.includes(p as never)) &&
    c.recipients.every((r) => r.type === 'general-designation') &&
    (c.signature?.signedAt.slice(0, 10) ?? '9999') <= DATE &&
    c.period.start <= DATE &&
    (end === undefined || DATE <= end)
  );
}

describe('gateDisclosure over PeerKit-mapped data', () => {
  const consent = clinic.records.find((r): r is Consent => r.kind === 'consent' && inForceTpo(r));
  const fhirConsents = resources.filter((r): r is FhirConsent => r.resourceType === 'Consent');
  const patient = fhirConsents.find((c) => c.identifier?.some((i) => i.value === consent?.id))?.patient?.reference;
  const own = resources.filter((r) => r.resourceType !== 'Consent' && patient !== undefined && JSON.stringify(r).includes(`"${patient}"`));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: own.map((resource) => ({ resource })) };
  const request = (purpose: string) => {
    const r = parseDisclosureRequest({ patient: { reference: patient }, actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1999999992' }], purposeOfUse: [purpose], date: DATE });
    if (!r.ok) throw new Error('request');
    return r.value;
  };

  it('finds a Part 2 peer with a single TPO consent and their mapped record', () => {
    expect(mapped.ok).toBe(true);
    expect(consent).toBeDefined();
    expect(patient).toBeDefined();
    expect(own.length).toBeGreaterThan(3);
  });

  it('sends the covered categories for treatment, labeled, with the notice', () => {
    const result = gateDisclosure(bundle, fhirConsents, request('TREAT'), { now: DATE });
    expect(result.decision.decision).toBe('PERMIT');
    expect(result.preview.noticeAttached).toBe(true);
    const sentTypes = Object.keys(result.preview.disclosed);
    expect(sentTypes.length).toBeGreaterThan(0);
    // The data carries its labels; the notice and the consent copy it rests on (§2.32) lead and trail.
    const [noticeEntry, ...rest] = result.bundle?.entry ?? [];
    expect(noticeEntry?.resource?.meta?.tag?.map((t) => t.code)).toEqual(['part2-redisclosure-notice']);
    const data = rest.filter((e) => e.resource?.resourceType !== 'Consent');
    expect(rest.length - data.length).toBeGreaterThan(0);
    for (const e of data) {
      expect(e.resource?.meta?.security?.some((c) => c.code === 'NORDSCLCD')).toBe(true);
    }
    expect(result.bundle?.meta?.security?.map((c) => c.code)).toContain('R');
    // Whatever was held back is explained by type and reason only.
    for (const w of result.preview.withheld) expect(['no-consent', 'consent-deny', 'part2-not-covered', 'partial-permit']).toContain(w.reason);
  });

  it('sends nothing for research, which the consent does not cover', () => {
    const result = gateDisclosure(bundle, fhirConsents, request('HRESCH'), { now: DATE });
    expect(result.bundle).toBeUndefined();
    expect(result.preview.withheld.reduce((n, w) => n + w.count, 0)).toBe(own.length);
  });
});
