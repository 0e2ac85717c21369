/**
 * Lints the free text of one progress note with the note rules: findings with rule, category,
 * severity, character span and a suggestion — never the text itself. The rules judge what the
 * specialist did (see `note-rules.ts` and `docs/note-linter.md`), not which words occur; the note
 * model (`note/model/`) adds, as a warning, a category no rule found where it reads one.
 */
import { createFinding, type Finding } from './finding';
import { ruleById } from './catalog';
import type { NoteContext } from './rule-definition';
import { detectNoteProblems, type DetectOptions, type NoteHit } from './note-rules';
import { viewNote, type NoteView } from './note/context';
import { ruleSignals } from './note/model/features';
import { modelHits } from './note/model/model-rules';
import type { NoteModelWeights } from './note/model/note-model';
import SHIPPED_WEIGHTS from './note/model/weights.json';
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
  /**
   * Whether the note model adds, as `note-model.<category>` warnings, categories no rule found
   * where it reads one with probability at or above its threshold (see docs/note-linter.md).
   * `false` gives exactly the rules' findings. Default `true`: on each held-apart file of the
   * corpus the rules plus the model scored a higher macro-F1 than the rules alone.
   */
  model?: boolean;
}

const WEIGHTS = SHIPPED_WEIGHTS as NoteModelWeights;

/** What {@link noteHits} is told besides the text. */
export interface NoteHitOptions extends DetectOptions {
  /** Whether the note model adds its hits (see {@link LintNoteOptions.model}). */
  readonly model: boolean;
}

/**
 * The rules' hits on a note, and the note model's where it is on: the note is read (wink-nlp)
 * at most once, shared by the rules and the model. Used by {@link lintNote} and `checkClinic`.
 *
 * @param text - the note text
 * @param options - note kind, policy, whether a crisis is documented elsewhere, whether the model runs
 * @returns the hits sorted by position
 */
export function noteHits(text: string, options: NoteHitOptions): NoteHit[] {
  let view: NoteView | undefined;
  const read = (): NoteView => (view ??= viewNote(text, options.context));
  const hits = detectNoteProblems(text, options, read);
  if (!options.model) return hits;
  const added = modelHits(WEIGHTS, read, ruleSignals(hits), { policy: options.policy, crisisDocumented: options.crisisDocumented ?? false });
  if (added.length === 0) return hits;
  hits.push(...added);
  return hits.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

/**
 * Checks one note's text against the note rules.
 *
 * @param text - the note text
 * @param options - note kind, policy, path, whether the note model adds its findings (default: it does)
 * @returns findings sorted by position, each with its span in `text`
 * @example
 * lintNote('Specialist told peer they probably have ADHD.').map((f) => [f.rule, f.start, f.end]);
 * // [['scope.diagnosing', 40, 44]]
 */
export function lintNote(text: string, options: LintNoteOptions = {}): Finding[] {
  const policy = options.policy ?? DEFAULT_POLICY;
  const context = options.context ?? 'one-on-one';
  const crisisDocumented = options.crisisDocumented ?? false;
  const hits = noteHits(text, { context, policy, crisisDocumented, model: options.model ?? true });
  const path = options.path ?? ['text'];
  return hits.map((hit) => {
    const rule = ruleById(hit.rule);
    return createFinding(rule, severityFor(policy, rule), { path, start: hit.span.start, end: hit.span.end });
  });
}
