/**
 * Group commit of outbox writes made by concurrent requests: a write asked for while one is running
 * waits for it and then goes out together with every other write asked for meanwhile, in one call
 * (one journal line and one fsync for the file outbox). Each caller resolves once its own items are
 * written, so nothing is acknowledged before it is durable. In `single` mode, where every request
 * settles one resource, this turns one fsync per resource into one per group of requests that
 * landed together.
 */

/**
 * Wraps a write of a list of items so concurrent calls share it.
 *
 * @param write - writes a list of items (e.g. `outbox.confirm`); rejects when it fails
 * @returns a function with the same contract: resolves once the given items are written, rejects
 *   with the write's error when the group they went in failed
 * @example
 * const confirm = groupCommit((list: Confirmation[]) => outbox.confirm(list));
 * await Promise.all([confirm([a]), confirm([b])]); // the second waits for the first, alone or with others
 */
export function groupCommit<T>(write: (items: T[]) => Promise<void>): (items: T[]) => Promise<void> {
  let queued: { items: T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    // `running` is cleared in the same tick the loop finds the queue empty, so a call that comes
    // after either finds a loop that will take its items or starts one.
    while (queued.length > 0) {
      const group = queued;
      queued = [];
      try {
        await write(group.flatMap((g) => g.items));
      } catch (error) {
        for (const g of group) g.reject(error);
        continue;
      }
      for (const g of group) g.resolve();
    }
    running = undefined;
  }

  return (items) =>
    new Promise<void>((resolve, reject) => {
      queued.push({ items, resolve, reject });
      running ??= drain();
    });
}
