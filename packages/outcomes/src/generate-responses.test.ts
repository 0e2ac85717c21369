import { generateClinic } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { r4Errors } from './__fixtures__/fhir';
import { generateInstrumentResponses } from './generate-responses';
import { getInstrument } from './instruments';
import { scoreQuestionnaireResponse } from './score';

const clinic = generateClinic({ seed: 11, peers: 40, weeks: 20 });

describe('generateInstrumentResponses', () => {
  const responses = generateInstrumentResponses(clinic, { seed: 3 });

  it('is deterministic by seed', () => {
    expect(JSON.stringify(generateInstrumentResponses(clinic, { seed: 3 }))).toBe(JSON.stringify(responses));
    expect(JSON.stringify(generateInstrumentResponses(clinic, { seed: 4 }))).not.toBe(JSON.stringify(responses));
  });

  it('gives every peer with a completed encounter responses over time, each scorable', () => {
    expect(responses.length).toBeGreaterThan(100);
    for (const { response, instrumentId } of responses) {
      const instrument = getInstrument(instrumentId);
      if (!instrument) throw new Error(instrumentId);
      const result = scoreQuestionnaireResponse(response, instrument);
      expect(result.ok, JSON.stringify(result.issues)).toBe(true);
    }
    const perPeer = new Map<string, number>();
    for (const r of responses) if (r.instrumentId === 'phq-9') perPeer.set(r.peerId, (perPeer.get(r.peerId) ?? 0) + 1);
    expect(Math.max(...perPeer.values())).toBeGreaterThanOrEqual(4);
  });

  it('links each response to the host patient, its encounter and the recovery plan', () => {
    const first = responses[0];
    expect(first?.response.subject?.reference).toMatch(/^Patient\//);
    expect(first?.response.encounter?.reference).toBe(`Encounter/pe-${first?.encounterId}`);
    expect(first?.response.basedOn?.[0]?.reference).toBe(`CarePlan/cp-${first?.planId}`);
  });

  it('writes valid FHIR R4 (a sample, Medplum validator)', () => {
    for (const { response } of responses.slice(0, 6)) expect(r4Errors(response)).toEqual([]);
  });

  it('gives the BARC-10 only to peers of substance-use or co-occurring programs, with Part 2 labels', () => {
    const peers = new Map(clinic.records.filter((r) => r.kind === 'peer').map((p) => [p.id, p]));
    const barc = responses.filter((r) => r.instrumentId === 'barc-10');
    expect(barc.length).toBeGreaterThan(0);
    for (const r of barc) {
      expect(peers.get(r.peerId)?.enrollments.some((e) => e.programType !== 'mental-health')).toBe(true);
    }
  });

  it.each([
    ['improving', -1],
    ['worsening', 1],
  ] as const)('moves %s peers the way their trajectory says (PHQ-9, first to latest, on average)', (trajectory, sign) => {
    const totals = new Map<string, number[]>();
    for (const r of responses.filter((x) => x.instrumentId === 'phq-9' && x.trajectory === trajectory)) {
      const result = scoreQuestionnaireResponse(r.response, getInstrument('phq-9') as never);
      if (result.ok) totals.set(r.peerId, [...(totals.get(r.peerId) ?? []), result.value.total]);
    }
    const changes = [...totals.values()].filter((t) => t.length > 1).map((t) => (t[t.length - 1] ?? 0) - (t[0] ?? 0));
    expect(changes.length).toBeGreaterThan(0);
    expect(Math.sign(changes.reduce((a, b) => a + b, 0))).toBe(sign);
  });

  it('plants crisis answers (PHQ-9 item 9 above 0) and, on request, incomplete responses', () => {
    const crisis = generateInstrumentResponses(clinic, { seed: 3, crisisShare: 1, trajectoryWeights: [0, 0, 1] });
    expect(crisis.some((r) => r.response.item?.some((i) => i.linkId === '44260-8' && i.answer?.[0]?.valueCoding?.code !== 'LA6568-5'))).toBe(true);
    const incomplete = generateInstrumentResponses(clinic, { seed: 3, incompleteShare: 1, instruments: [getInstrument('gad-7') as never] });
    for (const r of incomplete) expect(scoreQuestionnaireResponse(r.response, getInstrument('gad-7') as never).issues.map((i) => i.code)).toContain('outcomes.item-unanswered');
  });

  it.each([
    [{ seed: 1.5 }, 'seed'],
    [{ seed: 1, intervalDays: 0 }, 'intervalDays'],
    [{ seed: 1, trajectoryWeights: [0, 0, 0] as [number, number, number] }, 'trajectoryWeights'],
    [{ seed: 1, crisisShare: 2 }, 'crisisShare'],
  ])('throws a RangeError naming the option for %j', (options, name) => {
    expect(() => generateInstrumentResponses(clinic, options)).toThrow(new RegExp(name));
  });
});
