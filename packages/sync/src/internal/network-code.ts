/**
 * The system error code of a failed fetch (`fetch failed` wraps it in `cause`), e.g. `ECONNRESET`.
 *
 * @param error - what fetch threw
 * @returns the code, or `ENETWORK` when there is none
 */
export function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'ENETWORK';
}
