/**
 * The note linter's findings as the specialist types: a count, each finding with its category, what
 * it means and a suggestion, and the note with each finding's span marked.
 */
import type { Finding } from '@peerkit/safeguards';
import { h, replaceChildren } from '../dom';

const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  'scope-of-practice': 'Scope of practice',
  'dual-relationship': 'Dual relationship',
  'self-disclosure': 'Self-disclosure',
  'crisis-follow-up': 'Crisis follow-up',
  confidentiality: 'Confidentiality',
  documentation: 'Documentation',
};

/** The category's name for a reader. */
export const categoryName = (category: string): string => CATEGORY_NAMES[category] ?? category;

/** The note with the findings' spans marked (`<mark>`), in text order. */
export function markedNote(text: string, findings: readonly Finding[]): HTMLElement {
  const spans = findings
    .filter((f): f is Finding & { start: number; end: number } => f.start !== undefined && f.end !== undefined)
    .sort((a, b) => a.start - b.start);
  const parts: (string | HTMLElement)[] = [];
  let at = 0;
  for (const f of spans) {
    if (f.start < at) continue;
    parts.push(text.slice(at, f.start), h('mark', { 'data-rule': f.rule, title: f.message }, text.slice(f.start, f.end)));
    at = f.end;
  }
  parts.push(text.slice(at));
  return h('p', { class: 'note-marked' }, ...parts);
}

/**
 * Renders the findings into the live region and the marked note beside it.
 *
 * @param results - the live region (`role="status"`)
 * @param marked - where the marked note goes
 */
export function renderLint(results: HTMLElement, marked: HTMLElement, text: string, findings: readonly Finding[]): void {
  if (text.trim() === '') {
    replaceChildren(results, h('p', {}, 'The note linter checks the note as you type.'));
    replaceChildren(marked);
    return;
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  replaceChildren(
    results,
    h(
      'p',
      { class: findings.length === 0 ? 'status-ok' : 'status-warn' },
      findings.length === 0
        ? 'No findings: the note stays within the peer role.'
        : `${findings.length} finding${findings.length === 1 ? '' : 's'}${errors > 0 ? `, ${errors} to fix before saving` : ''}.`,
    ),
    findings.length === 0
      ? null
      : h(
          'ul',
          { class: 'findings' },
          findings.map((f) =>
            h(
              'li',
              { class: `finding finding-${f.severity}`, 'data-rule': f.rule },
              h('strong', {}, `${categoryName(f.category)}: `),
              f.message,
              f.start !== undefined && f.end !== undefined ? h('span', { class: 'span' }, ` (“${text.slice(f.start, f.end)}”)`) : null,
              f.suggestion ? h('p', { class: 'suggestion' }, h('span', { class: 'suggestion-label' }, 'Try instead: '), f.suggestion) : null,
            ),
          ),
        ),
  );
  replaceChildren(marked, findings.length === 0 ? null : [h('p', { class: 'muted' }, 'Marked in your note:'), markedNote(text, findings)]);
}
