/**
 * Waits `ms` milliseconds (none when negative); rejects with the signal's reason as soon as it is
 * aborted, so a stopping run does not sit out a backoff or a pause.
 *
 * @param ms - how long to wait
 * @param signal - wakes the wait early (rejecting)
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
