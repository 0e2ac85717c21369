/**
 * Settling entries in the outbox: confirmations and dead letters (with the OperationOutcome that
 * says why), counted in the summary, reported as events, and forgotten by the queue.
 */
import type { OperationOutcome } from 'fhir/r4';
import type { Confirmation, DeadLetter, OutboxEntry } from '../outbox';
import type { PushContext } from './context';

/** An OperationOutcome with one error issue. */
export function outcomeOf(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as 'processing', details: { text } }] };
}

/** True when a response body is an OperationOutcome. */
export function isOutcome(body: unknown): body is OperationOutcome {
  return (body as { resourceType?: unknown } | undefined)?.resourceType === 'OperationOutcome';
}

/** The issue code a dead letter is counted under (the first issue's), for events and summaries. */
function codeOf(outcome: OperationOutcome): string {
  return outcome.issue[0]?.code ?? 'unknown';
}

/** A dead letter for an entry, dated by the run's clock. */
export function letter(ctx: PushContext, entry: OutboxEntry, status: number, outcome: OperationOutcome): DeadLetter {
  return { entry, status, outcome, at: new Date(ctx.now()).toISOString() };
}

/** Dead-letters the entries still pending (one letter per entry); reports them by status and issue code. */
export async function deadLetter(ctx: PushContext, all: DeadLetter[]): Promise<void> {
  const { outbox, queue } = ctx;
  const unique = new Map(all.map((l) => [l.entry.key, l]));
  const letters = [...unique.values()].filter((l) => queue.status(l.entry.key) === 'pending');
  if (letters.length === 0) return;
  await outbox.deadLetter(letters);
  for (const l of letters) {
    queue.dead.add(l.entry.key);
    queue.forget(l.entry.key);
  }
  ctx.summary.deadLettered += letters.length;
  const byStatus = new Map<string, { status: number; code: string; count: number }>();
  for (const l of letters) {
    const id = `${l.status} ${codeOf(l.outcome)}`;
    const group = byStatus.get(id) ?? { status: l.status, code: codeOf(l.outcome), count: 0 };
    group.count++;
    byStatus.set(id, group);
  }
  for (const g of byStatus.values()) ctx.emit({ type: 'dead-lettered', count: g.count, status: g.status, code: g.code });
}

/** Confirms the entries still pending (one confirmation per entry), once the outbox holds them. */
export async function confirm(ctx: PushContext, all: Confirmation[]): Promise<void> {
  const { queue } = ctx;
  const unique = new Map(all.map((c) => [c.key, c]));
  const confirmations = [...unique.values()].filter((c) => queue.status(c.key) === 'pending');
  if (confirmations.length === 0) return;
  // Shared with the confirmations of the other requests that settle meanwhile (see group-commit.ts).
  await ctx.confirmInOutbox(confirmations);
  for (const c of confirmations) queue.confirmed(c.key);
  ctx.summary.confirmed += confirmations.length;
  const created = confirmations.filter((c) => c.created).length;
  ctx.emit({ type: 'confirmed', count: confirmations.length, created, updated: confirmations.length - created });
}
