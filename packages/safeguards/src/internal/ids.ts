/**
 * Deterministic ids for entries a pure function adds to a Bundle: the same input gives the same
 * bytes (golden tests, idempotent sync). Hosts that want random UUIDs pass their own generator.
 */

/**
 * A generator of UUID-shaped ids derived from a counter: `00000000-0000-4000-8000-000000000001`, …
 *
 * @returns a function giving the next id on each call
 */
export function counterUuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}
