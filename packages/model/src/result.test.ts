import { describe, expect, it } from 'vitest';
import { encounter } from './__fixtures__/records';
import { parsePeerEncounter } from './encounter';
import {
  fail,
  formatPath,
  hasErrors,
  ISSUE_CODE_SYSTEM,
  ok,
  PEERKIT_ERROR_CODES,
  PeerKitError,
  toOperationOutcome,
  unwrap,
  type Issue,
  type IssuePath,
  type OperationOutcomeIssue,
} from './result';
import type { IssueCode } from './issue-codes';

const issue = (code: IssueCode, overrides: Partial<Issue> = {}): Issue => ({
  severity: 'error',
  code,
  path: [],
  message: 'Static message',
  ...overrides,
});

describe('ok', () => {
  it('builds a successful result with no issues by default', () => {
    expect(ok(42)).toEqual({ ok: true, value: 42, issues: [] });
  });

  it('carries warnings along', () => {
    const warning = issue('encounter.note-unsigned', { severity: 'warning' });
    expect(ok('v', [warning])).toEqual({ ok: true, value: 'v', issues: [warning] });
  });
});

describe('fail', () => {
  it('builds a failed result without a value', () => {
    const error = issue('schema.required');
    const result = fail([error]);
    expect(result).toEqual({ ok: false, issues: [error] });
    expect('value' in result).toBe(false);
  });
});

describe('hasErrors', () => {
  it.each([
    ['no issue', [], false],
    ['only warnings and information', [issue('a.b', { severity: 'warning' }), issue('a.c', { severity: 'information' })], false],
    ['one error', [issue('a.b', { severity: 'warning' }), issue('a.c')], true],
  ] as const)('is %s → %s', (_, issues, expected) => {
    expect(hasErrors(issues)).toBe(expected);
  });
});

describe('formatPath', () => {
  it.each<[IssuePath, string]>([
    [[], ''],
    [['end'], 'end'],
    [['note', 'signedAt'], 'note.signedAt'],
    [['goals', 2, 'target'], 'goals[2].target'],
    [['attendees', 0, 'note', 'signedBy'], 'attendees[0].note.signedBy'],
    [['purposes', 1], 'purposes[1]'],
    [[0], '[0]'],
    [[0, 1, 'x'], '[0][1].x'],
  ])('formats %j as %j', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('toOperationOutcome', () => {
  it('returns an empty OperationOutcome for no issues', () => {
    expect(toOperationOutcome([])).toEqual({ resourceType: 'OperationOutcome', issue: [] });
  });

  it('converts an issue with its severity, code, text and expression', () => {
    const outcome = toOperationOutcome([
      issue('encounter.end-before-start', { path: ['end'], message: 'end must be after start' }),
    ]);
    expect(outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'business-rule',
          details: { coding: [{ system: ISSUE_CODE_SYSTEM, code: 'encounter.end-before-start' }], text: 'end must be after start' },
          expression: ['end'],
        },
      ],
    });
  });

  it.each(['error', 'warning', 'information'] as const)('keeps severity %s', (severity) => {
    expect(toOperationOutcome([issue('a.b', { severity })]).issue[0]?.severity).toBe(severity);
  });

  it.each<[IssueCode, OperationOutcomeIssue['code']]>([
    ['schema.required', 'required'],
    ['record.too-large', 'too-long'],
    ['record.unknown-kind', 'not-supported'],
    ['schema.invalid-type', 'structure'],
    ['schema.invalid-value', 'structure'],
    ['schema.invalid-format', 'structure'],
    ['schema.too-small', 'structure'],
    ['schema.too-big', 'structure'],
    ['schema.unknown-field', 'structure'],
    ['record.invalid-json', 'structure'],
    ['record.not-object', 'structure'],
    ['record.missing-kind', 'business-rule'],
    ['record.duplicate-id', 'business-rule'],
    ['reference.unresolved', 'business-rule'],
    ['consent.revocation-missing', 'business-rule'],
    ['safeguards.part2-label-missing', 'business-rule'],
  ])('maps %s to the issue type %s', (code, type) => {
    const [converted] = toOperationOutcome([issue(code)]).issue;
    expect(converted?.code).toBe(type);
    expect(converted?.details.coding).toEqual([{ system: ISSUE_CODE_SYSTEM, code }]);
  });

  it('leaves out expression for the empty path and diagnostics without line or source', () => {
    const [converted] = toOperationOutcome([issue('record.not-object')]).issue;
    expect(converted).not.toHaveProperty('expression');
    expect(converted).not.toHaveProperty('diagnostics');
  });

  it.each<[string, Partial<Issue>, string | undefined, string[] | undefined]>([
    ['a line and a path', { line: 12, path: ['attendees', 3, 'minutesPresent'] }, 'line 12: attendees[3].minutesPresent', ['attendees[3].minutesPresent']],
    ['a line only', { line: 4 }, 'line 4', undefined],
    ['a source only', { path: ['signature'], source: '42 CFR §2.31(a)(8)-(9)' }, '42 CFR §2.31(a)(8)-(9)', ['signature']],
    ['a line and a source', { line: 7, path: ['revocation'], source: '42 CFR §2.31(a)(6)' }, 'line 7: revocation (42 CFR §2.31(a)(6))', ['revocation']],
  ])('puts %s in diagnostics', (_, overrides, diagnostics, expression) => {
    const [converted] = toOperationOutcome([issue('consent.signature-missing', overrides)]).issue;
    expect(converted?.diagnostics).toBe(diagnostics);
    expect(converted?.expression).toEqual(expression);
  });

  it('converts every issue of a parse, in order', () => {
    const input = encounter();
    input.end = input.start;
    input.setting = 'street-outreach';
    input.modality = 'video';
    const result = parsePeerEncounter(input);
    const outcome = toOperationOutcome(result.issues);
    expect(outcome.issue.map((i) => i.details.coding[0]?.code)).toEqual(result.issues.map((i) => i.code));
    expect(outcome.issue.map((i) => i.severity)).toEqual(result.issues.map((i) => i.severity));
  });
});

describe('unwrap', () => {
  it('returns the value of a successful result', () => {
    expect(unwrap(ok({ a: 1 }))).toEqual({ a: 1 });
  });

  it('throws a PeerKitError with code INVALID_INPUT and the issues', () => {
    const issues = [issue('schema.invalid-format', { path: ['start'] })];
    let thrown: unknown;
    try {
      unwrap(fail(issues));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PeerKitError);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ name: 'PeerKitError', code: PEERKIT_ERROR_CODES.INVALID_INPUT, issues });
    expect(PEERKIT_ERROR_CODES.INVALID_INPUT).toBe('INVALID_INPUT');
  });

  it('names the first error code and path in the message, never the value', () => {
    const input = encounter();
    input.peerId = 'CANARY-7f3a-unwrap with spaces';
    input.start = 'CANARY-7f3a-start';
    const result = parsePeerEncounter(input);
    expect(() => unwrap(result)).toThrow(/^schema\.invalid-format at peerId: .+ \(\+1 more\)$/);
    expect(() => unwrap(result)).not.toThrow(/CANARY/);
  });

  it('names the first error even after a warning', () => {
    const error = new PeerKitError('INVALID_INPUT', [
      issue('encounter.note-unsigned', { severity: 'warning', path: ['note', 'signedAt'] }),
      issue('encounter.end-before-start', { path: ['end'], message: 'end must be after start' }),
    ]);
    expect(error.message).toBe('encounter.end-before-start at end: end must be after start (+1 more)');
  });

  it('omits "at" for an issue of the whole record', () => {
    expect(() => unwrap(fail([issue('record.not-object', { message: 'A record must be a JSON object' })]))).toThrow(
      'record.not-object: A record must be a JSON object',
    );
  });
});

describe('PeerKitError', () => {
  it('falls back to its code when there is no issue', () => {
    const error = new PeerKitError('INVALID_INPUT', []);
    expect(error.message).toBe('INVALID_INPUT');
    expect(error.issues).toEqual([]);
  });
});
