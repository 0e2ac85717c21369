/** Building cards: a UUID each, summaries cut to the spec's 140 characters, suggestions' UUIDs. */
import type { Card, CardSuggestion } from '../types';

/** The spec's limit on `summary`. See: https://cds-hooks.hl7.org/2.0/#card-attributes */
export const SUMMARY_MAX = 140;

/** A card with a UUID, its summary within 140 characters, and `selectionBehavior` when it has suggestions. */
export function makeCard(newId: () => string, card: Omit<Card, 'uuid' | 'suggestions'> & { suggestions?: Omit<CardSuggestion, 'uuid'>[] }): Card {
  const summary = card.summary.length > SUMMARY_MAX ? `${card.summary.slice(0, SUMMARY_MAX - 1)}…` : card.summary;
  const { suggestions, ...rest } = card;
  const out: Card = { ...rest, uuid: newId(), summary };
  if (suggestions !== undefined && suggestions.length > 0) {
    out.suggestions = suggestions.map((s) => ({ ...s, uuid: newId() }));
    out.selectionBehavior ??= 'at-most-one';
  }
  return out;
}
