/**
 * What a rule of the boundary and scope catalog is: its id, category, default severity, title,
 * rationale, source and what it applies to. The rules themselves are listed in `catalog.ts`.
 */
import type { IssueSeverity } from '@peerkit/model';

/** Rule categories, exactly as the safeguards issue names them. */
export const RULE_CATEGORIES = [
  'scope-of-practice',
  'dual-relationship',
  'self-disclosure',
  'crisis-follow-up',
  'confidentiality',
  'credential',
  'supervision',
  'workload',
  'documentation',
] as const;
/** A rule category. */
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** What a rule looks at. */
export type RuleTarget = 'note' | 'encounter' | 'group-session' | 'specialist' | 'referral' | 'consent' | 'fhir-resource';

/** The notes a note rule may read: a one-on-one progress note, an attendee's group note, the session's group note. */
export const NOTE_CONTEXTS = ['one-on-one', 'group-attendee', 'group'] as const;
/** Which notes a note rule reads; one of {@link NOTE_CONTEXTS}. */
export type NoteContext = (typeof NOTE_CONTEXTS)[number];

/** A rule of the catalog. */
export interface RuleDefinition {
  /** Stable id, e.g. `scope.diagnosing`. */
  readonly id: string;
  readonly category: RuleCategory;
  /** Default severity; a policy may change it. */
  readonly severity: IssueSeverity;
  /** What the finding means; names no value. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
  /** Citation(s) the rule relies on; `PeerKit policy default` where none fixes it. */
  readonly source: string;
  readonly appliesTo: readonly RuleTarget[];
  /** For note rules: the notes it reads. */
  readonly notes?: readonly NoteContext[];
  /** For note rules: a peer-appropriate alternative. */
  readonly suggestion?: string;
}
