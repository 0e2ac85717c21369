/**
 * Reading a QuestionnaireResponse as untrusted JSON: its items at any depth (groups, answers with
 * nested items) with their paths, and each answer's score on an item's scale. Never throws.
 */
import type { IssuePath } from '@peerkit/model';
import { ORDINAL_VALUE_EXTENSION } from '../codes';
import type { AnswerOption, InstrumentDefinition, InstrumentItem } from '../instrument';

/** One item of a response: its linkId, where it is, and its raw answers. */
export interface ResponseItem {
  readonly linkId: string;
  readonly path: IssuePath;
  readonly answers: readonly unknown[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Every item of a response that has a linkId, depth first, with its path into the response
 * (`['item', 2, 'answer', 0, 'item', 1]`). Items without a string linkId are skipped.
 */
export function responseItems(response: Record<string, unknown>): ResponseItem[] {
  const out: ResponseItem[] = [];
  const walk = (items: unknown, path: IssuePath): void => {
    if (!Array.isArray(items)) return;
    items.forEach((item, i) => {
      if (!isObject(item)) return;
      const here = [...path, 'item', i];
      const answers = Array.isArray(item.answer) ? item.answer : [];
      if (typeof item.linkId === 'string') out.push({ linkId: item.linkId, path: here, answers });
      walk(item.item, here);
      answers.forEach((answer, j) => {
        if (isObject(answer)) walk(answer.item, [...here, 'answer', j]);
      });
    });
  };
  walk(response.item, []);
  return out;
}

/** The score of one answer, or why there is none. */
export type AnswerReading = { readonly value: number } | { readonly problem: 'type' | 'range' };

function ordinalOf(coding: Record<string, unknown>): number | undefined {
  const extensions = Array.isArray(coding.extension) ? coding.extension : [];
  for (const extension of extensions) {
    if (isObject(extension) && extension.url === ORDINAL_VALUE_EXTENSION && typeof extension.valueDecimal === 'number') return extension.valueDecimal;
  }
  return undefined;
}

/**
 * Reads one answer on a scale: a `valueCoding` matched by code (and system when both have one), or a
 * whole-number `valueInteger` (or integral `valueDecimal`) equal to an answer's value. A coding
 * without a known code but with an `ordinalValue` on the scale counts by that value.
 */
export function readAnswer(answer: unknown, scale: readonly AnswerOption[]): AnswerReading {
  if (!isObject(answer)) return { problem: 'type' };
  const coding = answer.valueCoding;
  if (isObject(coding)) {
    if (typeof coding.code !== 'string') return { problem: 'type' };
    const match = scale.find(
      (option) =>
        option.code !== undefined &&
        option.code.code === coding.code &&
        (typeof coding.system !== 'string' || coding.system === option.code.system),
    );
    if (match) return { value: match.value };
    const ordinal = ordinalOf(coding);
    if (ordinal !== undefined && scale.some((option) => option.value === ordinal && option.code === undefined)) return { value: ordinal };
    return { problem: 'range' };
  }
  const number = typeof answer.valueInteger === 'number' ? answer.valueInteger : answer.valueDecimal;
  if (typeof number !== 'number' || !Number.isInteger(number)) return { problem: 'type' };
  return scale.some((option) => option.value === number) ? { value: number } : { problem: 'range' };
}

/** The instrument's items by every linkId they answer to (own and aliases). */
export function itemsByLinkId(instrument: InstrumentDefinition): Map<string, InstrumentItem> {
  const map = new Map<string, InstrumentItem>();
  for (const item of instrument.items) for (const id of [item.linkId, ...item.aliases]) map.set(id, item);
  return map;
}
