/**
 * Reading a feedback body: what the user did with each card (accepted, with which suggestions, or
 * overridden, with a reason).
 *
 * See: https://cds-hooks.hl7.org/2.0/#feedback
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { isObject } from './internal/resources';
import type { CardFeedback } from './types';

/**
 * Validates a feedback body (`{ feedback: [...] }`).
 *
 * @param body - the parsed JSON body
 * @returns the entries, or `request.*` issues with paths into the body (no values)
 * @example
 * checkFeedback({ feedback: [{ card: uuid, outcome: 'accepted', acceptedSuggestions: [{ id }], outcomeTimestamp }] });
 * See: https://cds-hooks.hl7.org/2.0/#feedback
 */
export function checkFeedback(body: unknown): Result<CardFeedback[]> {
  const issues: Issue[] = [];
  const problem = (path: (string | number)[], message: string): void => {
    issues.push({ severity: 'error', code: 'request.invalid', path, message });
  };
  if (!isObject(body) || !Array.isArray(body.feedback)) return fail([{ severity: 'error', code: 'request.invalid', path: ['feedback'], message: 'feedback must be a list' }]);
  body.feedback.forEach((entry: unknown, i: number) => {
    if (!isObject(entry)) return problem(['feedback', i], 'a feedback entry must be an object');
    if (typeof entry.card !== 'string' || entry.card === '') problem(['feedback', i, 'card'], 'card must be the card uuid');
    if (entry.outcome !== 'accepted' && entry.outcome !== 'overridden') problem(['feedback', i, 'outcome'], 'outcome must be "accepted" or "overridden"');
    if (typeof entry.outcomeTimestamp !== 'string' || Number.isNaN(Date.parse(entry.outcomeTimestamp))) problem(['feedback', i, 'outcomeTimestamp'], 'outcomeTimestamp must be an ISO date-time');
    if (entry.acceptedSuggestions !== undefined) {
      if (!Array.isArray(entry.acceptedSuggestions) || entry.acceptedSuggestions.some((s: unknown) => !isObject(s) || typeof s.id !== 'string')) {
        problem(['feedback', i, 'acceptedSuggestions'], 'acceptedSuggestions must be a list of { id }');
      }
    }
    if (entry.outcome === 'overridden' && entry.acceptedSuggestions !== undefined) problem(['feedback', i, 'acceptedSuggestions'], 'acceptedSuggestions is only for an accepted outcome');
  });
  return issues.length > 0 ? fail(issues) : ok(body.feedback as CardFeedback[]);
}
