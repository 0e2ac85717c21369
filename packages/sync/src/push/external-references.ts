/**
 * Conditional references (`Patient?identifier=…`) to resources outside the sync. A server resolves
 * them only inside a transaction (https://hl7.org/fhir/R4/http.html#trules); for `batch` Bundles
 * and single requests the run looks each one up itself (`GET Type?…`) and writes the `Type/id` it
 * finds, as a transaction would: none found or several found refuse the entry.
 */
import type { Bundle } from 'fhir/r4';
import { collectReferences, isConditionalReference } from '../internal/references';
import type { DeadLetter } from '../outbox';
import { KNOWN_LIMIT, type PushContext } from './context';
import { deadLetter, letter, outcomeOf } from './outcomes';
import type { Loaded } from './queue';
import { retryLater } from './settle';

/** What one lookup found: a `Type/id`, no match, several, or no usable answer. */
type Lookup = { found: string } | 'none' | 'several' | 'failed';

async function lookUp(ctx: PushContext, reference: string): Promise<Lookup> {
  const reply = await ctx.transport.get<Bundle>(`${reference}&_count=2`, ctx.signal === undefined ? {} : { signal: ctx.signal });
  ctx.summary.requests++;
  if (reply.kind !== 'response' || reply.status !== 200 || reply.body?.resourceType !== 'Bundle') return 'failed';
  const matches = (reply.body.entry ?? []).filter((e) => e.search?.mode !== 'include' && e.resource?.id !== undefined);
  const [first] = matches;
  if (matches.length > 1 || (reply.body.total ?? 0) > 1) return 'several';
  return first?.resource === undefined ? 'none' : { found: `${first.resource.resourceType}/${first.resource.id ?? ''}` };
}

/**
 * Looks up the conditional references of a batch that point outside the sync and are not known
 * yet, keeps what it finds in `ctx.known`, dead-letters entries whose reference matches nothing
 * (`not-found`) or several resources (`multiple-matches`), and puts off (with backoff) entries whose
 * lookup got no usable answer.
 *
 * @param ctx - the run
 * @param batch - the entries about to go in a batch Bundle or as single requests
 * @returns the entries that can go now
 */
export async function resolveExternalReferences(ctx: PushContext, batch: Loaded[]): Promise<Loaded[]> {
  const { outbox, known, located } = ctx;
  const wanted = new Map<string, Loaded[]>();
  for (const item of batch) {
    for (const reference of collectReferences(item.entry.resource)) {
      if (!isConditionalReference(reference) || reference === item.entry.key || known.has(reference) || located.has(reference) || outbox.resolve(reference) !== undefined) continue;
      const list = wanted.get(reference) ?? [];
      if (!list.includes(item)) list.push(item);
      wanted.set(reference, list);
    }
  }
  if (wanted.size === 0) return batch;
  if (known.size + wanted.size > KNOWN_LIMIT) known.clear();
  const letters: DeadLetter[] = [];
  const later = new Set<Loaded>();
  for (const [reference, items] of wanted) {
    const result = await lookUp(ctx, reference);
    if (typeof result === 'object') {
      known.set(reference, result.found);
      continue;
    }
    if (result === 'failed') {
      for (const item of items) later.add(item);
      continue;
    }
    const outcome =
      result === 'none'
        ? outcomeOf('not-found', 'A conditional reference of the entry matches no resource on the server')
        : outcomeOf('multiple-matches', 'A conditional reference of the entry matches several resources on the server');
    for (const item of items) letters.push(letter(ctx, item.entry, result === 'none' ? 404 : 412, outcome));
  }
  await deadLetter(ctx, letters);
  const refused = new Set(letters.map((l) => l.entry.key));
  const deferred = [...later].filter((item) => !refused.has(item.entry.key));
  if (deferred.length > 0) retryLater(ctx, deferred);
  return batch.filter((item) => !refused.has(item.entry.key) && !later.has(item));
}
