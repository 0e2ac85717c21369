/**
 * `@peerkit/safeguards`, loaded once and lazily: its note linter reads sentences with an English
 * language model of about 3.6 MB, so the page shows the record first and fetches the linter (a chunk
 * of its own) in the background, started as the page starts.
 */
import type * as Safeguards from '@peerkit/safeguards';

/** The parts of `@peerkit/safeguards` the workspace uses. */
export type SafeguardsModule = Pick<typeof Safeguards, 'lintNote' | 'checkPart2Consent'>;

let loading: Promise<SafeguardsModule> | undefined;

/** Starts loading the safeguards (once); resolves when they are there. */
export function loadSafeguards(): Promise<SafeguardsModule> {
  loading ??= import('@peerkit/safeguards');
  return loading;
}
