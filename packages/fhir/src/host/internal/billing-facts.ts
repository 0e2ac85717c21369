// What the readers of billing facts (Coverage, Condition, ClaimResponse) share: the patient a fact is
// about, a payer, a date range and codes. Each returns `undefined` (or an empty list) for what it
// cannot read; none throws.
import type { Identifier } from '@peerkit/model';
import type { HostDateRange, HostPatientFact, HostPayer } from '../types';
import type { HostReadContext } from './context';
import { dateOf, identifiersOf, textOf } from './fields';
import type { HostEntry } from './ingest';
import { codings, obj, objs, str } from './json';

/** The patient a reference names: its record id and identifiers, or `undefined` when it names no Patient. */
export function patientOf(reference: unknown, from: HostEntry, cx: HostReadContext): HostPatientFact | undefined {
  const patientId = cx.peerIdOf(reference, from);
  if (patientId === undefined) return undefined;
  const target = cx.resolve(reference, from);
  const patientIdentifiers: Identifier[] =
    target?.type === 'Patient' ? identifiersOf(target.resource.identifier) : identifiersOf(obj(reference)?.identifier);
  return { patientId, patientIdentifiers };
}

/** A payer a reference names: an Organization of the input, or what the reference itself says. */
export function payerOf(reference: unknown, from: HostEntry, cx: HostReadContext): HostPayer | undefined {
  const ref = obj(reference);
  if (ref === undefined) return undefined;
  const target = cx.resolve(reference, from);
  if (target !== undefined && target.type !== 'Organization') return undefined;
  cx.useContained(target);
  const id = target === undefined ? cx.idOfUnresolved(reference) : cx.recordId(target);
  const name = textOf(target?.resource.name) ?? textOf(ref.display);
  const identifiers = target === undefined ? identifiersOf(ref.identifier) : identifiersOf(target.resource.identifier);
  if (id === undefined && name === undefined && identifiers.length === 0) return undefined;
  return { ...(id === undefined ? {} : { id }), ...(name === undefined ? {} : { name }), identifiers };
}

/** A FHIR Period as dates (`start`, `end`), or `undefined` when it has neither. */
export function rangeOf(period: unknown): HostDateRange | undefined {
  const p = obj(period);
  const start = dateOf(p?.start);
  const end = dateOf(p?.end);
  if (start === undefined && end === undefined) return undefined;
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

/** The codings of a CodeableConcept that have a code, as `{ system, code }`. */
export function codesOf(concept: unknown): { system?: string; code: string }[] {
  const out: { system?: string; code: string }[] = [];
  for (const coding of codings(concept)) {
    const code = str(coding.code);
    if (code === undefined || code.length > 100) continue;
    const system = str(coding.system);
    out.push(system === undefined ? { code } : { system, code });
  }
  return out;
}

/** The codes of a list of CodeableConcepts (any system), without repeats. */
export function conceptCodes(concepts: unknown): string[] {
  const out: string[] = [];
  for (const concept of objs(concepts)) for (const { code } of codesOf(concept)) if (!out.includes(code)) out.push(code);
  return out;
}
