import type { CapabilityStatement } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { chooseWriteMode, toServerCapabilities, type ServerCapabilities, type WriteMode, type WriteModeChoice } from './write-mode';

const statement = (interaction: string[], resource: Record<string, unknown>[] = [], software?: string): CapabilityStatement =>
  ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    ...(software === undefined ? {} : { software: { name: software } }),
    rest: [{ mode: 'server', interaction: interaction.map((code) => ({ code })), resource }],
  }) as unknown as CapabilityStatement;

const both = { type: 'Patient', conditionalCreate: true, conditionalUpdate: true };

describe('toServerCapabilities', () => {
  it.each<[string, CapabilityStatement, Partial<ServerCapabilities>]>([
    ['transaction and batch, conditional writes on every type', statement(['transaction', 'batch'], [both, { ...both, type: 'Encounter' }]), { transaction: true, batch: true, conditionalCreate: true, conditionalUpdate: true }],
    ['batch only', statement(['batch'], [both]), { transaction: false, batch: true }],
    ['one type without conditional update', statement(['batch'], [both, { type: 'Encounter', conditionalCreate: true }]), { conditionalCreate: true, conditionalUpdate: false }],
    ['no resource types listed: no conditional writes known', statement(['transaction']), { conditionalCreate: false, conditionalUpdate: false }],
    ['the software name', statement([], [], 'AWS HealthLake'), { software: 'AWS HealthLake' }],
    ['no rest at all', { resourceType: 'CapabilityStatement' } as CapabilityStatement, { transaction: false, batch: false }],
  ])('reads %s', (_, input, expected) => {
    expect(toServerCapabilities(input)).toMatchObject(expected);
  });

  it('does not mutate its input', () => {
    const input = statement(['batch'], [both]);
    const copy = structuredClone(input);
    toServerCapabilities(input);
    expect(input).toEqual(copy);
  });
});

describe('chooseWriteMode', () => {
  const caps = (transaction: boolean, batch: boolean): ServerCapabilities => ({ transaction, batch, conditionalCreate: true, conditionalUpdate: true });
  it.each<[string, ServerCapabilities | undefined, WriteMode | 'auto' | undefined, WriteModeChoice]>([
    ['auto, transaction supported', caps(true, true), 'auto', { mode: 'transaction', reason: 'server-transaction' }],
    ['auto (the default), batch only', caps(false, true), undefined, { mode: 'batch', reason: 'server-batch' }],
    ['auto, neither', caps(false, false), 'auto', { mode: 'single', reason: 'server-neither' }],
    ['auto, no statement: as before write modes', undefined, 'auto', { mode: 'transaction', reason: 'no-capability-statement' }],
    ['configured wins over the statement', caps(true, true), 'single', { mode: 'single', reason: 'configured' }],
    ['configured without a statement', undefined, 'batch', { mode: 'batch', reason: 'configured' }],
  ])('%s', (_, capabilities, requested, expected) => {
    expect(chooseWriteMode(capabilities, requested)).toEqual(expected);
  });
});
