import type { SyncEvent, SyncEventListener } from '../events';

/**
 * A function that gives events to the listener and ignores its failures: a listener's failure
 * must not stop the sync.
 *
 * @param listener - the caller's listener, if any
 * @returns the emit function
 */
export function createEmitter(listener: SyncEventListener | undefined): (event: SyncEvent) => void {
  return (event) => {
    try {
      listener?.(event);
    } catch {
      // A listener's failure must not stop the sync.
    }
  };
}
