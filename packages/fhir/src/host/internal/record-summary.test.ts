import type { Issue } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import type { HostReadContext } from './context';
import type { HostEntry } from './ingest';
import { RecordSummary } from './record-summary';

const entry = (type: string, order: number): HostEntry => ({ type, order }) as HostEntry;
const issue = (code: string, severity: Issue['severity'] = 'error'): Issue => ({ severity, code, path: [], message: 'm' }) as Issue;

/** The summary's findings as `code at order: message`. */
function reported(summary: RecordSummary): string[] {
  const out: string[] = [];
  summary.report({ report: (code: string, at: HostEntry, _path: unknown, message: string) => out.push(`${code} at ${at.order}: ${message}`) } as unknown as HostReadContext);
  return out;
}

describe('RecordSummary', () => {
  it('counts records breaking the same rules in one group, listing each code once, in order, warnings left out', () => {
    const summary = new RecordSummary();
    const same = [issue('encounter.note-missing'), issue('encounter.activities-missing'), issue('encounter.note-missing'), issue('encounter.x', 'warning')];
    summary.addIncomplete(entry('Encounter', 1), 'encounter', same);
    summary.addIncomplete(entry('Encounter', 2), 'encounter', [issue('encounter.note-missing'), issue('encounter.activities-missing')]);
    summary.addIncomplete(entry('Encounter', 3), 'encounter', [issue('encounter.activities-missing')]);
    // Back to the first list after another one: the first group again, not a new one.
    summary.addIncomplete(entry('Encounter', 4), 'encounter', same);
    expect(reported(summary)).toEqual([
      "host.record-incomplete at 1: Encounter → encounter records (3, the first here): break PeerKit rules encounter.note-missing, encounter.activities-missing; the host's data does not record what they need, so they are kept with valid: false and their issues",
      "host.record-incomplete at 3: Encounter → encounter record: break PeerKit rules encounter.activities-missing; the host's data does not record what they need, so they are kept with valid: false and their issues",
    ]);
  });

  it.each([
    ['one code more', [issue('a'), issue('b')], [issue('a'), issue('b'), issue('c')]],
    ['one code less', [issue('a'), issue('b')], [issue('a')]],
    ['the same codes in another order', [issue('a'), issue('b')], [issue('b'), issue('a')]],
    ['a code only a warning the second time', [issue('a'), issue('b')], [issue('a'), issue('b', 'warning')]],
  ])('starts another group for %s', (_name, first, second) => {
    const summary = new RecordSummary();
    summary.addIncomplete(entry('Encounter', 1), 'encounter', first);
    summary.addIncomplete(entry('Encounter', 2), 'encounter', second);
    expect(reported(summary)).toHaveLength(2);
  });

  it('keeps groups apart by resource type, record kind and code', () => {
    const summary = new RecordSummary();
    summary.addIncomplete(entry('Encounter', 1), 'encounter', [issue('a')]);
    summary.addIncomplete(entry('Group', 2), 'group-session', [issue('a')]);
    summary.add('host.defaulted', entry('Encounter', 3), 'encounter', ['a']);
    summary.add('host.defaulted', entry('Encounter', 4), 'encounter', ['a']);
    expect(reported(summary).map((f) => f.slice(0, f.indexOf(':')))).toEqual(['host.record-incomplete at 1', 'host.record-incomplete at 2', 'host.defaulted at 3']);
  });
});
