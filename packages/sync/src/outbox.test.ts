import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { toOutboxEntry } from './entries';
import { SyncError } from './errors';
import { openFileOutbox, OUTBOX_FILES } from './file-outbox';
import { createMemoryOutbox, entryKey, type DeadLetter, type Outbox, type OutboxEntry } from './outbox';

/** Everything an async iterable yields (Array.fromAsync is Node 22+). */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerkit-outbox-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function entry(n: number): OutboxEntry {
  return toOutboxEntry({
    fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    resource: { resourceType: 'Patient', id: undefined, identifier: [{ system: 'urn:s', value: `p${n}` }] } as never,
    request: { method: 'PUT', url: `Patient?identifier=urn%3As|p${n}` },
  });
}

function letter(e: OutboxEntry): DeadLetter {
  return { entry: e, status: 400, outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] }, at: '2026-01-05T10:00:00.000Z' };
}

describe('entryKey', () => {
  it.each([
    [{ request: { method: 'PUT' as const, url: 'Patient?identifier=s|1' } }, 'Patient?identifier=s|1'],
    [{ request: { method: 'POST' as const, url: 'Encounter', ifNoneExist: 'identifier=s|2' } }, 'Encounter?identifier=s|2'],
    [{ fullUrl: 'urn:uuid:x', request: { method: 'POST' as const, url: 'Encounter' } }, 'urn:uuid:x'],
    [{ fullUrl: 'urn:uuid:y', request: { method: 'PUT' as const, url: 'Patient/1' } }, 'urn:uuid:y'],
    [{ request: { method: 'POST' as const, url: 'Encounter' } }, undefined],
  ])('keys %j as %j', (e, key) => {
    expect(entryKey(e)).toBe(key);
  });
});

describe.each<[string, () => Promise<Outbox>]>([
  ['createMemoryOutbox', () => Promise.resolve(createMemoryOutbox())],
  ['openFileOutbox', () => openFileOutbox(tempDir())],
])('%s', (_, open) => {
  it('adds entries once by key, in order, and opens a run', async () => {
    const outbox = await open();
    expect(outbox.runId).toBeUndefined();
    expect(await outbox.add([entry(1), entry(2), entry(1)])).toBe(2);
    expect(await outbox.add([entry(2), entry(3)])).toBe(1);
    expect(outbox.runId).toEqual(expect.any(String));
    expect(outbox.pendingKeys()).toEqual([entry(1).key, entry(2).key, entry(3).key]);
    expect(await outbox.get(entry(2).key)).toEqual(entry(2));
    expect(outbox.resolve(entry(3).fullUrl ?? '')).toEqual({ state: 'pending', key: entry(3).key });
    await outbox.close();
  });

  it('confirms: the entry leaves, its location stays known, and adding it again does nothing', async () => {
    const outbox = await open();
    await outbox.add([entry(1), entry(2)]);
    await outbox.confirm([{ key: entry(1).key, location: 'Patient/a', created: true }]);
    expect(outbox.status(entry(1).key)).toBe('confirmed');
    expect(outbox.location(entry(1).key)).toBe('Patient/a');
    expect(await outbox.get(entry(1).key)).toBeUndefined();
    expect(await outbox.add([entry(1)])).toBe(0);
    expect(outbox.counts()).toEqual({ pending: 1, confirmed: 1, deadLettered: 0 });
    await outbox.close();
  });

  it('dead-letters: the letter is kept with its outcome and the entry leaves', async () => {
    const outbox = await open();
    await outbox.add([entry(1), entry(2)]);
    await outbox.deadLetter([letter(entry(2))]);
    expect(outbox.status(entry(2).key)).toBeUndefined();
    expect((await outbox.deadLetters()).map(({ run: _run, ...rest }) => rest)).toEqual([letter(entry(2))]);
    expect(outbox.counts()).toEqual({ pending: 1, confirmed: 0, deadLettered: 1 });
    await outbox.close();
  });

  it('finishes a run only when nothing is pending', async () => {
    const outbox = await open();
    await outbox.add([entry(1)]);
    await outbox.markComplete();
    await outbox.finish();
    expect(outbox.runId).toEqual(expect.any(String));
    await outbox.confirm([{ key: entry(1).key, location: 'Patient/a', created: false }]);
    await outbox.finish();
    expect(outbox.runId).toBeUndefined();
    expect(outbox.complete).toBe(false);
    expect(outbox.counts()).toEqual({ pending: 0, confirmed: 0, deadLettered: 0 });
    await outbox.close();
  });
});

describe('openFileOutbox', () => {
  it('restores pending entries, confirmations and the run after a reopen', async () => {
    const dir = tempDir();
    const first = await openFileOutbox(dir);
    await first.add([entry(1), entry(2), entry(3)]);
    await first.markComplete();
    await first.confirm([{ key: entry(1).key, location: 'Patient/a', created: true }]);
    await first.deadLetter([letter(entry(3))]);
    const runId = first.runId;
    // No close(): as after a crash. The lock names this (live) process, so it is taken over.
    const second = await openFileOutbox(dir);
    expect(second.runId).toBe(runId);
    expect(second.complete).toBe(true);
    expect(second.pendingKeys()).toEqual([entry(2).key]);
    expect(await collect(second.confirmations())).toEqual([{ key: entry(1).key, location: 'Patient/a', created: true }]);
    expect(second.resolve(entry(1).fullUrl ?? '')).toEqual({ state: 'confirmed', location: 'Patient/a', created: true });
    expect(second.resolve(entry(3).fullUrl ?? '')).toEqual({ state: 'dead-lettered' });
    expect(await second.get(entry(2).key)).toEqual(entry(2));
    expect(second.counts()).toEqual({ pending: 1, confirmed: 1, deadLettered: 1 });
    await second.close();
  });

  it('drops a torn last line (a write cut short) and keeps everything before it', async () => {
    const dir = tempDir();
    const outbox = await openFileOutbox(dir);
    await outbox.add([entry(1), entry(2)]);
    await outbox.close();
    const journal = join(dir, OUTBOX_FILES.journal);
    const before = statSync(journal).size;
    appendFileSync(journal, '{"t":"ok","c":[["Patient?identifier=urn%3As|p1","Pat');
    const reopened = await openFileOutbox(dir);
    expect(reopened.pendingKeys()).toEqual([entry(1).key, entry(2).key]);
    expect(statSync(journal).size).toBe(before);
    await reopened.add([entry(3)]);
    await reopened.close();
    expect((await openFileOutbox(dir)).pendingKeys()).toHaveLength(3);
  });

  it('refuses a journal damaged before its last line', async () => {
    const dir = tempDir();
    const outbox = await openFileOutbox(dir);
    await outbox.add([entry(1), entry(2)]);
    await outbox.close();
    const journal = join(dir, OUTBOX_FILES.journal);
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = '{"t":"add","e":{damaged';
    writeFileSync(journal, lines.join('\n'));
    await expect(openFileOutbox(dir)).rejects.toMatchObject({ code: 'sync.outbox-corrupt' });
  });

  it('refuses to open while another live process holds the lock, and takes over a stale lock', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, OUTBOX_FILES.lock), String(process.ppid));
    const error = await openFileOutbox(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('sync.outbox-locked');
    writeFileSync(join(dir, OUTBOX_FILES.lock), '4194304');
    const outbox = await openFileOutbox(dir);
    expect(readFileSync(join(dir, OUTBOX_FILES.lock), 'utf8')).toBe(String(process.pid));
    await outbox.close();
  });

  it('creates its files readable by the owner only', async () => {
    const dir = join(tempDir(), 'state');
    const outbox = await openFileOutbox(dir);
    await outbox.add([entry(1)]);
    await outbox.deadLetter([letter(entry(1))]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, OUTBOX_FILES.journal)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, OUTBOX_FILES.deadLetter)).mode & 0o777).toBe(0o600);
    await outbox.close();
  });

  it('compacts: the journal shrinks to what is still needed and reads back the same', async () => {
    const dir = tempDir();
    const outbox = await openFileOutbox(dir, { compactAfterBytes: 1 });
    const entries = Array.from({ length: 50 }, (_, i) => entry(i));
    await outbox.add(entries);
    const journal = join(dir, OUTBOX_FILES.journal);
    const full = statSync(journal).size;
    await outbox.confirm(entries.slice(0, 45).map((e, i) => ({ key: e.key, location: `Patient/${i}`, created: true })));
    expect(statSync(journal).size).toBeLessThan(full / 2);
    for (const e of entries.slice(45)) expect(await outbox.get(e.key)).toEqual(e);
    await outbox.add([entry(99)]);
    await outbox.close();
    const reopened = await openFileOutbox(dir);
    expect(reopened.pendingKeys()).toEqual([...entries.slice(45), entry(99)].map((e) => e.key));
    expect(await collect(reopened.confirmations())).toHaveLength(45);
    expect(reopened.location(entries[3]?.key ?? '')).toBe('Patient/3');
    await reopened.close();
  });

  it('reads the confirmations back whole while more confirmations compact the journal underneath', async () => {
    const dir = tempDir();
    const outbox = await openFileOutbox(dir, { compactAfterBytes: 200 });
    const entries = Array.from({ length: 150 }, (_, n) => entry(n));
    await outbox.add(entries);
    for (const e of entries.slice(0, 100)) await outbox.confirm([{ key: e.key, location: `Patient/${e.key.length}`, created: true }]);
    const read: string[] = [];
    for await (const c of outbox.confirmations()) {
      read.push(c.key);
      // Each of these may compact the journal (its settled part is far over 200 bytes).
      const more = entries[100 + read.length];
      if (more !== undefined && read.length < 50) await outbox.confirm([{ key: more.key, location: 'Patient/x', created: false }]);
    }
    expect(read).toEqual(entries.slice(0, 100).map((e) => e.key));
    expect(await collect(outbox.confirmations())).toHaveLength(149);
    await outbox.close();
  });

  it('reads a letter written twice by a crashed run once, and keeps letters of other runs', async () => {
    const dir = tempDir();
    const outbox = await openFileOutbox(dir);
    await outbox.add([entry(1)]);
    const runId = outbox.runId;
    await outbox.deadLetter([letter(entry(1))]);
    // As if the process died after writing the letter but before removing the entry, and the
    // resumed run was refused again: the same letter of the same run, twice in the file.
    const file = join(dir, OUTBOX_FILES.deadLetter);
    appendFileSync(file, readFileSync(file, 'utf8'));
    expect(await outbox.deadLetters()).toEqual([{ ...letter(entry(1)), run: runId }]);
    await outbox.finish();
    await outbox.add([entry(1)]);
    await outbox.deadLetter([letter(entry(1))]);
    expect((await outbox.deadLetters()).map((l) => l.run)).toEqual([runId, outbox.runId]);
    await outbox.close();
  });

  it('after any sequence of operations and a crash (reopen without close), holds exactly what the operations left', async () => {
    type Op = { op: 'add'; n: number[] } | { op: 'confirm'; n: number[] } | { op: 'dead'; n: number[] } | { op: 'crash' };
    const ns = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 5 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      ns.map((n) => ({ op: 'add' as const, n })),
      ns.map((n) => ({ op: 'confirm' as const, n })),
      ns.map((n) => ({ op: 'dead' as const, n })),
      fc.constant({ op: 'crash' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.integer({ min: 1, max: 600 }), async (ops, compactAfterBytes) => {
        const dir = tempDir();
        let outbox = await openFileOutbox(dir, { compactAfterBytes });
        const pending = new Map<number, true>();
        const confirmed = new Set<number>();
        const dead = new Set<number>();
        for (const step of ops) {
          if (step.op === 'crash') {
            outbox = await openFileOutbox(dir, { compactAfterBytes });
          } else if (step.op === 'add') {
            await outbox.add(step.n.map(entry));
            // A key settled in this run (confirmed or dead-lettered) is not queued again.
            for (const n of step.n) if (!confirmed.has(n) && !dead.has(n)) pending.set(n, true);
          } else if (step.op === 'confirm') {
            await outbox.confirm(step.n.map((n) => ({ key: entry(n).key, location: `Patient/${n}`, created: true })));
            for (const n of step.n) if (pending.delete(n)) confirmed.add(n);
          } else {
            await outbox.deadLetter(step.n.map((n) => letter(entry(n))));
            for (const n of step.n) if (pending.delete(n)) dead.add(n);
          }
        }
        // The live outbox (offsets as compaction left them) and a reopened one agree with the model.
        expect(outbox.pendingKeys()).toEqual([...pending.keys()].map((n) => entry(n).key));
        for (const n of pending.keys()) expect(await outbox.get(entry(n).key)).toEqual(entry(n));
        const reopened = await openFileOutbox(dir, { compactAfterBytes });
        expect(reopened.pendingKeys()).toEqual([...pending.keys()].map((n) => entry(n).key));
        for (const n of pending.keys()) expect(await reopened.get(entry(n).key)).toEqual(entry(n));
        const confirmations = await collect(reopened.confirmations());
        expect(new Set(confirmations.map((c) => c.key))).toEqual(new Set([...confirmed].map((n) => entry(n).key)));
        expect(confirmations).toHaveLength(confirmed.size);
        // Settled entries are found by key and by fullUrl, also after compactions and a reopen.
        for (const n of confirmed) expect(reopened.resolve(entry(n).fullUrl ?? '')).toEqual({ state: 'confirmed', location: `Patient/${n}`, created: true });
        for (const n of dead) expect(reopened.resolve(entry(n).key)).toEqual({ state: 'dead-lettered' });
        expect(reopened.counts()).toEqual({ pending: pending.size, confirmed: confirmed.size, deadLettered: dead.size });
        await reopened.close();
      }),
      { numRuns: 60 },
    );
  });
});
