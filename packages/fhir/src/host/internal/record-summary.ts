// The summary of a read's records: what they had to complete or could not satisfy, one finding per
// group of records instead of one per record.
import type { Issue } from '@peerkit/model';
import type { HostReadContext } from './context';
import type { HostEntry } from './ingest';

/** The last group a record of a code, type and kind was counted in, with its list. */
interface LastGroup {
  readonly list: readonly string[];
  readonly group: { count: number };
}

/**
 * Sums up what records had to complete (`host.defaulted`) or could not satisfy
 * (`host.record-incomplete`): one finding per resource type, record kind and field or rule list, at
 * the first such resource, with the count. Each record lists its own (`defaulted`, `issues`).
 */
export class RecordSummary {
  private readonly groups = new Map<string, { code: 'host.defaulted' | 'host.record-incomplete'; first: HostEntry; kind: string; what: string; count: number }>();
  /**
   * By code, resource type and record kind: the last group added to, with its field or rule list; the
   * next record of the same code, type, kind and list finds it without building a key.
   */
  private readonly last = { 'host.defaulted': new Map<string, Map<string, LastGroup>>(), 'host.record-incomplete': new Map<string, Map<string, LastGroup>>() };

  /** Counts a record whose model issues break rules (`host.record-incomplete`): the codes listed once, in order. */
  addIncomplete(main: HostEntry, kind: string, issues: readonly Issue[]): void {
    // The same codes as the last such record's (the usual case) are counted without listing them.
    const last = this.last['host.record-incomplete'].get(main.type)?.get(kind);
    if (last !== undefined && isErrorCodesOf(last.list, issues)) last.group.count++;
    else this.add('host.record-incomplete', main, kind, errorCodesOf(issues));
  }

  /** Counts a record that defaulted `list` (fields) or breaks `list` (rule codes). */
  add(code: 'host.defaulted' | 'host.record-incomplete', main: HostEntry, kind: string, list: readonly string[]): void {
    const byType = this.last[code];
    let byKind = byType.get(main.type);
    if (byKind === undefined) byType.set(main.type, (byKind = new Map()));
    const last = byKind.get(kind);
    if (last !== undefined && sameList(last.list, list)) {
      last.group.count++;
      return;
    }
    const what = list.join(', ');
    const key = `${code}|${main.type}|${kind}|${what}`;
    let group = this.groups.get(key);
    if (group) group.count++;
    else this.groups.set(key, (group = { code, first: main, kind, what, count: 1 }));
    byKind.set(kind, { list, group });
  }

  /** Reports one finding per group, at its first record's main resource. */
  report(cx: HostReadContext): void {
    for (const { code, first, kind, what, count } of this.groups.values()) {
      const records = count === 1 ? `${first.type} → ${kind} record` : `${first.type} → ${kind} records (${count}, the first here)`;
      cx.report(
        code,
        first,
        [],
        code === 'host.defaulted'
          ? `${records}: ${what} set from the import profile defaults, as the resource has no source for them (each record lists them in defaulted)`
          : `${records}: break PeerKit rules ${what}; the host's data does not record what they need, so they are kept with valid: false and their issues`,
      );
    }
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `true` when `list` is what {@link errorCodesOf} gives for `issues`. */
function isErrorCodesOf(list: readonly string[], issues: readonly Issue[]): boolean {
  let listed = 0;
  for (let i = 0; i < issues.length; i++) {
    const issue = issues[i]!;
    if (issue.severity !== 'error' || hasErrorBefore(issues, i, issue.code)) continue;
    if (list[listed++] !== issue.code) return false;
  }
  return listed === list.length;
}

/** `true` when an error issue before `issues[end]` has `code`. */
function hasErrorBefore(issues: readonly Issue[], end: number, code: string): boolean {
  for (let i = 0; i < end; i++) if (issues[i]!.severity === 'error' && issues[i]!.code === code) return true;
  return false;
}

/** The distinct codes of the error issues, in order. */
function errorCodesOf(issues: readonly Issue[]): string[] {
  const codes: string[] = [];
  for (let i = 0; i < issues.length; i++) {
    const issue = issues[i]!;
    if (issue.severity === 'error' && !codes.includes(issue.code)) codes.push(issue.code);
  }
  return codes;
}

