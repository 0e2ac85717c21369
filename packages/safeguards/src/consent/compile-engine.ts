/**
 * The shape of a compiled consent set as its decisions see it: options resolved once, interning
 * tables, the reusable per-decision state, and the caches by request list and by request shape.
 * Internal to the consent engine.
 */
import type { Code } from '../internal/codes';
import type { InstantRange } from '../internal/dates';
import type { ActorDirectory, ActorIdentity } from './actors';
import type { CodeCriterion, CodeVocabulary, ResolvedCode } from './compile-codes';
import type { DecisionState, NumberedIdentity } from './compile-matchers';
import type { CompiledConsent, ConsentOutcome, DecisionCompletion, DecisionRecord } from './compile-outcome';
import type { Obligation } from './decision';
import type { Candidate } from './evaluate-consent';
import type { ConflictStrategy } from './provision';
import type { PatientSelector, RequestActor } from './request';

/** The options every decision of a compiled set shares, resolved once. */
export interface Settings {
  readonly strategy: ConflictStrategy;
  readonly part2Labels: readonly Code[];
  readonly tpo: readonly string[];
  readonly explicit: boolean;
  readonly breakGlass: readonly string[];
  readonly now: InstantRange;
  readonly notice: string;
  /** The obligations every decision of the set shares (frozen): the §2.32 notice, the Part 2 redaction, break-glass documentation. */
  readonly noticeObligation: Obligation;
  readonly part2Redact: Obligation;
  readonly emergency: Obligation;
}

/** Data criteria some provision of a compiled set reads. */
export interface CriteriaUse {
  code: boolean;
  data: boolean;
  dataPeriod: boolean;
}

/** See {@link Engine.lists}. */
export interface ListInfo {
  ids?: string | null;
  raw?: string;
  part2?: boolean;
  purposes?: PurposeFlags;
}

/** The info of a request list (created on first use). */
export function listInfo(engine: Engine, list: readonly unknown[]): ListInfo {
  let info = engine.lists.get(list);
  if (info === undefined) {
    info = {};
    engine.lists.set(list, info);
  }
  return info;
}

/** A decision remembered by request shape: everything but the request it was made for. */
export interface ShapeEntry {
  readonly record: DecisionRecord;
  readonly obligations: readonly Obligation[];
  readonly deciding: readonly ConsentOutcome[];
  /** For a decision that stopped at its first deny: the full evaluation, made once when first read. */
  readonly complete: DecisionCompletion | undefined;
}

/** What a request's purposes and labels mean for the whole decision (cached by the request's lists). */
export interface PurposeFlags {
  /** Every purpose is a TPO purpose. */
  readonly tpo: boolean;
  /** Break-glass is asked for. */
  readonly breakGlass: boolean;
}

/** A compiled set: its consents, options, interning tables, per-decision state and caches. */
export interface Engine {
  readonly compiled: readonly CompiledConsent[];
  readonly settings: Settings;
  readonly vocabulary: CodeVocabulary;
  readonly directory: ActorDirectory;
  /** Reused by every decision (see `beginDecision`). */
  readonly state: DecisionState;
  readonly byKey: ReadonlyMap<string, readonly number[]>;
  readonly same: readonly Candidate[];
  readonly unknown: readonly Candidate[];
  readonly denying: readonly CompiledConsent[];
  readonly denyingWithoutReference: readonly CompiledConsent[];
  /** Identities of request actors and patients, by the request's (shared) arrays and objects. */
  readonly actorCache: WeakMap<readonly RequestActor[], readonly NumberedIdentity[]>;
  /** Numbers of the request actors met so far, by identity content (bounded). */
  readonly actorIds: Map<string, number>;
  readonly patientCache: WeakMap<PatientSelector, NumberedIdentity>;
  readonly candidateCache: WeakMap<ActorIdentity, readonly Candidate[]>;
  /** Request dates already parsed (bounded). */
  readonly dates: Map<string, InstantRange>;
  /** Numbers of the request codes met so far, by `system|code` (bounded). */
  readonly codeIds: Map<string, number>;
  /** Request code lists looked up, per criterion, by the (shared) list. */
  readonly resolvedCache: Readonly<Record<CodeCriterion, WeakMap<readonly Code[], readonly ResolvedCode[]>>>;
  readonly disclose: readonly ResolvedCode[];
  /** Decisions by request shape (see `shapeKey`); `undefined` when the cache is off. */
  readonly shapes: Map<string, ShapeEntry> | undefined;
  readonly shapeLimit: number;
  /**
   * What the engine derived from a request list, by the list: the numbers of a resolved list, the
   * JSON of a list read as written (data references, categories), whether labels hold a Part 2
   * label, what purposes mean. Each is a function of the list's content.
   */
  readonly lists: WeakMap<readonly unknown[], ListInfo>;
  /** Which data criteria some provision of the set reads (a request's other data criteria do not change a decision). */
  readonly uses: CriteriaUse;
}
