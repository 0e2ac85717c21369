/**
 * Lints the free text of one progress note with the note rules: findings with rule, category,
 * severity, character span and a suggestion — never the text itself. The rules judge what the
 * specialist did (see `note-rules.ts` and `docs/note-linter.md`), not which words occur.
 */
import { createFinding, type Finding } from './finding';
import { ruleById } from './catalog';
import type { NoteContext } from './rule-definition';
import { detectNoteProblems } from './note-rules';
import { DEFAULT_POLICY, severityFor, type Policy } from './policy';
import type { IssuePath } from '@peerkit/model';

/** Options of {@link lintNote}. */
export interface LintNoteOptions {
  /** Which kind of note it is. Default `one-on-one`. */
  context?: NoteContext;
  /** The policy (see `parsePolicy`). Default {@link DEFAULT_POLICY}. */
  policy?: Policy;
  /** Path reported in findings. Default `['text']`. */
  path?: IssuePath;
  /** A crisis in the note is documented elsewhere (structured crisis actions). Default `false`. */
  crisisDocumented?: boolean;
}

/**
 * Checks one note's text against the note rules.
 *
 * @param text - the note text
 * @param options - note kind, policy, path
 * @returns findings sorted by position, each with its span in `text`
 * @example
 * lintNote('Specialist told peer they probably have ADHD.').map((f) => [f.rule, f.start, f.end]);
 * // [['scope.diagnosing', 40, 44]]
 */
export function lintNote(text: string, options: LintNoteOptions = {}): Finding[] {
  const policy = options.policy ?? DEFAULT_POLICY;
  const hits = detectNoteProblems(text, {
    context: options.context ?? 'one-on-one',
    policy,
    crisisDocumented: options.crisisDocumented ?? false,
  });
  const path = options.path ?? ['text'];
  return hits.map((hit) => {
    const rule = ruleById(hit.rule);
    return createFinding(rule, severityFor(policy, rule), { path, start: hit.span.start, end: hit.span.end });
  });
}
