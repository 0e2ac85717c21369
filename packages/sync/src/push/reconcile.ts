/**
 * After an uncertain failure (a timeout, a dropped connection, a 5xx), the server may have applied
 * some writes: a search by identifier finds what it holds before anything is sent again.
 */
import type { Bundle, Resource } from 'fhir/r4';
import { jsonEqual } from '../internal/references';
import type { Confirmation, DeadLetter, OutboxEntry } from '../outbox';
import { bundleOf } from './bundle';
import type { PushContext } from './context';
import { confirm, deadLetter, letter, outcomeOf } from './outcomes';
import type { Loaded } from './queue';

/** Identifier search identity of an entry: from its conditional key, else from its first identifier. */
function identityOf(entry: OutboxEntry): { type: string; system: string; value: string } | undefined {
  const [type, query] = entry.key.split('?', 2) as [string, string | undefined];
  if (query !== undefined) {
    const params = new URLSearchParams(query);
    const keys = [...params.keys()];
    const token = params.get('identifier');
    if (keys.length === 1 && token !== null) {
      const bar = token.indexOf('|');
      if (bar > 0 && token.indexOf('|', bar + 1) < 0) return { type, system: token.slice(0, bar), value: token.slice(bar + 1) };
    }
    return undefined;
  }
  const identifier = (entry.resource as { identifier?: { system?: string; value?: string }[] } | undefined)?.identifier?.[0];
  if (entry.resource !== undefined && identifier?.system !== undefined && identifier.value !== undefined) {
    return { type: entry.resource.resourceType, system: identifier.system, value: identifier.value };
  }
  return undefined;
}

/** FHIR search escaping of a token part: `\`, `,`, `|`, `$`. See: https://hl7.org/fhir/R4/search.html#escaping */
function escapeToken(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

function withoutServerFields(resource: Resource | undefined): unknown {
  if (resource === undefined) return undefined;
  const { id: _id, meta: _meta, ...rest } = resource as Resource & { meta?: unknown };
  return rest;
}

/**
 * Searches the server for entries whose fate is unknown: a create it already holds is confirmed
 * (not sent again), a conditional update whose stored content equals ours is confirmed, several
 * matches dead-letter (a conditional write would fail with 412).
 *
 * @param ctx - the run
 * @param batch - the entries whose fate is unknown
 * @returns the entries to send again
 */
export async function reconcile(ctx: PushContext, batch: Loaded[]): Promise<Loaded[]> {
  const byType = new Map<string, { item: Loaded; identity: { system: string; value: string } }[]>();
  const resend: Loaded[] = [];
  for (const item of batch) {
    const identity = identityOf(item.entry);
    const method = item.entry.request.method;
    if (identity === undefined || (method !== 'POST' && !(method === 'PUT' && item.entry.key.includes('?')))) {
      resend.push(item);
      continue;
    }
    const group = byType.get(identity.type) ?? [];
    group.push({ item, identity });
    byType.set(identity.type, group);
  }
  const confirmations: Confirmation[] = [];
  const letters: DeadLetter[] = [];
  let checked = 0;
  for (const [type, group] of byType) {
    for (let start = 0; start < group.length; start += 20) {
      const chunk = group.slice(start, start + 20);
      const tokens = chunk.map(({ identity }) => `${escapeToken(identity.system)}|${escapeToken(identity.value)}`);
      const url = `${type}?identifier=${tokens.map(encodeURIComponent).join(',')}&_count=${chunk.length * 2 + 10}`;
      const reply = await ctx.transport.get<Bundle>(url, ctx.signal === undefined ? {} : { signal: ctx.signal });
      ctx.summary.requests++;
      const bundle = reply.kind === 'response' && reply.status === 200 ? (reply.body as Bundle | undefined) : undefined;
      if (bundle?.resourceType !== 'Bundle') {
        resend.push(...chunk.map((c) => c.item));
        continue;
      }
      checked += chunk.length;
      const found = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
      for (const { item, identity } of chunk) {
        const matches = found.filter((r) =>
          ((r as { identifier?: { system?: string; value?: string }[] }).identifier ?? []).some(
            (id) => id.system === identity.system && id.value === identity.value,
          ),
        );
        const [match] = matches;
        if (matches.length > 1) {
          letters.push(letter(ctx, item.entry, 412, outcomeOf('multiple-matches', 'Several resources on the server have this identifier')));
        } else if (match === undefined) {
          resend.push(item);
        } else if (item.entry.request.method === 'POST' || jsonEqual(withoutServerFields(match), withoutServerFields(bundleOf(ctx, [item]).entry?.[0]?.resource))) {
          confirmations.push({ key: item.entry.key, location: `${match.resourceType}/${match.id ?? ''}`, created: false });
        } else {
          resend.push(item);
        }
      }
    }
  }
  if (checked > 0) ctx.emit({ type: 'reconciled', checked, found: confirmations.length });
  ctx.summary.reconciled += confirmations.length;
  await confirm(ctx, confirmations);
  await deadLetter(ctx, letters);
  const settled = new Set([...confirmations.map((c) => c.key), ...letters.map((l) => l.entry.key)]);
  return batch.filter((item) => !settled.has(item.entry.key));
}
