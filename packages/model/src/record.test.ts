import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getIn, leafPaths, objectPaths, setIn } from './__fixtures__/helpers';
import { clinic, FIXTURES, type AnyRecordInput } from './__fixtures__/records';
import { createClinicExportReport, parseClinicExport, toClinicExport } from './clinic-export';
import { codesOf, RECORD_KINDS, type RecordKind } from './codes';
import { ISSUE_CODES } from './issue-codes';
import { isRecordKind, parseRecord } from './record';
import { PeerKitError, toOperationOutcome, type Issue, type IssuePath, type Result } from './result';

const KINDS = codesOf(RECORD_KINDS);

/** Asserts the invariants every result holds, whatever the input. */
function expectWellFormed(result: Result<unknown>): void {
  expect(typeof result.ok).toBe('boolean');
  expect(Array.isArray(result.issues)).toBe(true);
  for (const issue of result.issues) {
    expect(['error', 'warning', 'information']).toContain(issue.severity);
    expect(Object.keys(ISSUE_CODES)).toContain(issue.code);
    expect(typeof issue.message).toBe('string');
    expect(issue.path.every((s) => typeof s === 'string' || typeof s === 'number')).toBe(true);
  }
  expect(result.ok).toBe(!result.issues.some((i) => i.severity === 'error'));
}

describe('isRecordKind', () => {
  it.each(KINDS)('accepts %s', (kind) => {
    expect(isRecordKind(kind)).toBe(true);
  });

  it.each([['patient'], ['Encounter'], [''], [undefined], [null], [1], [['peer']]])('rejects %j', (value) => {
    expect(isRecordKind(value)).toBe(false);
  });
});

describe('parseRecord', () => {
  it.each(KINDS)('dispatches a %s record to its parser', (kind) => {
    const result = parseRecord(FIXTURES[kind]());
    expect(result).toEqual({ ok: true, value: FIXTURES[kind](), issues: [] });
  });

  it.each(KINDS)("returns the %s parser's own issues", (kind) => {
    const input: Record<string, unknown> = { ...FIXTURES[kind](), id: 'not an id' };
    const result = parseRecord(input);
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      { severity: 'error', code: 'schema.invalid-format', path: ['id'], message: expect.any(String) },
    ]);
  });

  it('returns rule issues of the dispatched kind', () => {
    const input = FIXTURES.encounter();
    input.end = input.start;
    expect(parseRecord(input).issues.map((i) => i.code)).toContain('encounter.end-before-start');
  });

  it.each([
    ['null', null],
    ['an array', [FIXTURES.peer()]],
    ['an empty array', []],
    ['a number', 42],
    ['a string', '{"kind":"peer"}'],
    ['a boolean', true],
    ['undefined', undefined],
  ])('reports record.not-object for %s', (_, input) => {
    expect(parseRecord(input)).toEqual({
      ok: false,
      issues: [{ severity: 'error', code: 'record.not-object', path: [], message: expect.any(String) }],
    });
  });

  it.each([
    ['an empty object', {}],
    ['a record without kind', { id: 'peer-001' }],
    ['kind set to undefined', { kind: undefined, id: 'peer-001' }],
  ])('reports record.missing-kind for %s', (_, input) => {
    expect(parseRecord(input)).toEqual({
      ok: false,
      issues: [{ severity: 'error', code: 'record.missing-kind', path: ['kind'], message: expect.any(String) }],
    });
  });

  it.each([
    ['an unknown kind', 'patient'],
    ['a FHIR resource type', 'Encounter'],
    ['an empty kind', ''],
    ['a number', 7],
    ['null', null],
    ['an object', { code: 'peer' }],
  ])('reports record.unknown-kind for %s', (_, kind) => {
    expect(parseRecord({ ...FIXTURES.peer(), kind })).toEqual({
      ok: false,
      issues: [{ severity: 'error', code: 'record.unknown-kind', path: ['kind'], message: expect.any(String) }],
    });
  });

  it('does not echo an unknown kind in its message', () => {
    const result = parseRecord({ kind: 'CANARY-7f3a-kind' });
    expect(result.issues[0]?.message).not.toContain('CANARY');
  });

  it.each(KINDS)('does not mutate its input (%s)', (kind) => {
    const input = FIXTURES[kind]() as Record<string, unknown>;
    // Drop the defaulted lists so a parser that wrote defaults back into its input would show.
    for (const [key, value] of Object.entries(input)) if (Array.isArray(value) && value.length === 0) delete input[key];
    input['unexpected'] = { nested: ['x'] };
    const before = structuredClone(input);
    deepFreeze(input);
    parseRecord(input);
    expect(input).toEqual(before);
  });

  it('returns a value that does not share objects with its input', () => {
    const input = FIXTURES['recovery-plan']();
    const result = parseRecord(input);
    if (!result.ok || result.value.kind !== 'recovery-plan') throw new Error('expected a plan');
    result.value.goals[0]!.text = 'changed';
    expect(input.goals[0]!.text).toBe('I want my own place by summer');
  });

  describe('never throws', () => {
    it('for any value', () => {
      fc.assert(
        fc.property(
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withObjectString: true,
            withSparseArray: true,
            withTypedArray: true,
            withUnicodeString: true,
          }),
          (input) => {
            expectWellFormed(parseRecord(input));
          },
        ),
        { numRuns: 500 },
      );
    });

    it('for any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (input) => {
          expectWellFormed(parseRecord(input));
        }),
        { numRuns: 500 },
      );
    });

    it('for any JSON object with a valid kind', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...KINDS),
          fc.dictionary(fc.string(), fc.jsonValue()),
          (kind, fields) => {
            expectWellFormed(parseRecord({ ...fields, kind }));
          },
        ),
        { numRuns: 500 },
      );
    });

    it('for a valid record with fields removed, replaced and added', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...KINDS).chain((kind) => {
            const keys = Object.keys(FIXTURES[kind]()).filter((k) => k !== 'kind');
            return fc.tuple(
              fc.constant(kind),
              fc.subarray(keys),
              fc.dictionary(fc.constantFrom(...keys), fc.anything({ withNullPrototype: true, withBoxedValues: true })),
              fc.dictionary(fc.string(), fc.anything()),
            );
          }),
          ([kind, removed, replaced, extra]) => {
            const input: Record<string, unknown> = { ...extra, ...FIXTURES[kind]() };
            for (const key of removed) delete input[key];
            Object.assign(input, replaced);
            expectWellFormed(parseRecord(input));
          },
        ),
        { numRuns: 500 },
      );
    });

    it('for a valid record with any leaf replaced by any value', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...KINDS).chain((kind) => {
            const paths = leafPaths(FIXTURES[kind]());
            return fc.tuple(
              fc.constant(kind),
              fc.array(fc.tuple(fc.constantFrom(...paths), fc.anything()), { minLength: 1, maxLength: 5 }),
            );
          }),
          ([kind, edits]) => {
            const input = FIXTURES[kind]();
            for (const [path, value] of edits) setIn(input, path, value);
            expectWellFormed(parseRecord(input));
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('never puts a value in an issue (canary)', () => {
    // Every string value is replaced by a canary somewhere below; no issue message, source,
    // OperationOutcome or error message may ever contain one.
    const CANARY = 'CANARY-7f3a-';
    let counter = 0;
    const canary = (): string => `${CANARY}${counter++}`;

    const seen = new Set<string>();

    function expectNoCanary(issues: readonly Issue[]): void {
      for (const issue of issues) {
        seen.add(issue.code);
        expect(issue.message).not.toContain(CANARY);
        if (issue.source !== undefined) expect(issue.source).not.toContain(CANARY);
      }
      const errors = issues.filter((i) => i.severity === 'error');
      if (errors.length > 0) expect(new PeerKitError('INVALID_INPUT', errors).message).not.toContain(CANARY);
    }

    /** Checks one record alone, as a clinic export line, and in a clinic with its report. */
    function check(input: unknown): Issue[] {
      const result = parseRecord(input);
      expectWellFormed(result);
      expectNoCanary(result.issues);
      const text = toClinicExport([...clinic(), input]);
      const report = createClinicExportReport();
      for (const entry of parseClinicExport(text)) {
        expectNoCanary(entry.result.issues);
        report.add(entry);
      }
      const { issues } = report.finish();
      expectNoCanary(issues);
      // Keys are never canaries here, so nothing in the OperationOutcome may hold one.
      expect(JSON.stringify(toOperationOutcome(issues))).not.toContain(CANARY);
      return result.issues;
    }

    /** Every string of the value replaced by a canary, except the record kind. */
    function canarizeAll(value: unknown, path: IssuePath = []): unknown {
      if (typeof value === 'string') return path.length === 1 && path[0] === 'kind' ? value : canary();
      if (Array.isArray(value)) return value.map((item, i) => canarizeAll(item, [...path, i]));
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canarizeAll(v, [...path, k])]));
      }
      return value;
    }

    const leavesOf = (kind: RecordKind): IssuePath[] =>
      leafPaths(FIXTURES[kind]()).filter((p) => !(p.length === 1 && p[0] === 'kind'));

    /** Leaves whose value may be any id or text: a canary there passes the schema. */
    const freeLeavesOf = (kind: RecordKind): IssuePath[] =>
      leavesOf(kind).filter((path) => {
        if (typeof getIn(FIXTURES[kind](), path) !== 'string') return false;
        const input = FIXTURES[kind]();
        setIn(input, path, canary());
        return !parseRecord(input).issues.some((i) => i.code.startsWith('schema.'));
      });

    it.each(KINDS)('with one leaf at a time replaced by a canary (%s)', (kind) => {
      for (const path of leavesOf(kind)) {
        const input = FIXTURES[kind]();
        setIn(input, path, canary());
        check(input);
      }
    });

    it.each(KINDS)('with every string replaced by a canary (%s)', (kind) => {
      const issues = check(canarizeAll(FIXTURES[kind]()));
      expect(issues.length).toBeGreaterThan(0);
    });

    it.each(KINDS)('with canaries of the wrong type, too long or in a bad format (%s)', (kind) => {
      // [make the value, whether it is invalid wherever it is put]
      const variants: [() => unknown, boolean][] = [
        [() => [canary()], true],
        [() => ({ value: canary() }), true],
        [() => canary().repeat(2000), true],
        [() => [canary(), { nested: [canary()] }], true],
        [() => `${canary()} with spaces`, false],
        [() => `2026-01-05T${canary()}`, false],
        [() => `Patient/${canary()}/x`, false],
      ];
      for (const path of leavesOf(kind)) {
        for (const [variant, invalid] of variants) {
          const input = FIXTURES[kind]();
          setIn(input, path, variant());
          const issues = check(input);
          if (invalid) expect(issues.some((i) => i.severity === 'error')).toBe(true);
        }
      }
    });

    it.each(KINDS)('with unknown fields whose values are canaries (%s)', (kind) => {
      for (const path of objectPaths(FIXTURES[kind]())) {
        const input = FIXTURES[kind]();
        const target = path.length === 0 ? input : getIn(input, path);
        Object.assign(target as object, { extraField: canary(), extraList: [canary()], extraObject: { text: canary() } });
        const issues = check(input);
        expect(issues.filter((i) => i.code === 'schema.unknown-field')).toHaveLength(3);
      }
    });

    it('with unknown fields whose keys are canaries, in the message', () => {
      const input: Record<string, unknown> = FIXTURES.peer();
      input[canary()] = canary();
      const result = parseRecord(input);
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]?.message).not.toContain(CANARY);
    });

    /** Ways to break each record's cross-field rules while its schema still passes. */
    const BREAKS: { readonly [K in RecordKind]: ((r: ReturnType<(typeof FIXTURES)[K]>) => void)[] } = {
      organization: [
        (o) => {
          o.programs[1]!.id = o.programs[0]!.id;
          o.programs[0]!.part2 = true;
        },
      ],
      specialist: [
        (s) => {
          s.supervisorId = s.id;
          s.certifications![0]!.expires = s.certifications![0]!.issued;
          s.certifications!.push({ ...s.certifications![0]! });
          s.continuingEducation![0]!.date = '2020-01-01';
        },
        (s) => {
          delete s.supervisorId;
          s.certifications = [];
        },
      ],
      peer: [
        (p) => {
          p.patient = {};
          p.birthDate = '2026-01-01';
          p.enrollments[0]!.end = '2025-01-01';
          p.enrollments.push({ ...p.enrollments[0]!, end: '2026-12-31' });
          p.coverage!.push({ ...p.coverage![0]! });
        },
      ],
      'recovery-plan': [
        (p) => {
          p.period.end = '2025-12-31';
          p.goals.push({ ...p.goals[0]! });
          p.steps![0]!.goalId = 'goal-9';
          p.steps![0]!.completedOn = '2026-01-10';
          p.reviewDue = '2025-01-01';
          p.signatures = [{ role: 'specialist', signedAt: '2026-01-01T00:00:00Z', method: 'verbal' }];
          p.crisisPlan!.reviewed = '2025-01-01';
        },
      ],
      encounter: [
        (e) => {
          e.end = e.start;
          e.note!.signedBy = 'sp-009';
          e.note!.signedAt = '2026-01-01T00:00:00Z';
          e.note!.cosignedBy = 'sp-009';
          e.crisis = { indicated: true, actions: [] };
          delete e.planId;
          e.setting = 'street-outreach';
          e.modality = 'video';
        },
        (e) => {
          e.status = 'no-show';
          e.activities = [];
          delete e.note;
        },
        (e) => {
          delete e.end;
          delete e.durationMinutes;
          e.note = { text: e.note!.text };
        },
      ],
      'group-session': [
        (g) => {
          g.end = g.start;
          g.facilitatorIds = ['sp-001', 'sp-001'];
          g.attendees.push({ ...g.attendees[0]!, note: { ...g.attendees[0]!.note!, signedBy: 'sp-009' } });
          g.attendees.push({ peerId: 'peer-002', attendance: 'absent', minutesPresent: 5, note: { text: 'Synthetic' } });
          g.attendees.push({ peerId: 'peer-003', attendance: 'late' });
        },
        (g) => {
          g.status = 'cancelled';
        },
      ],
      consent: [
        (c) => {
          c.status = 'revoked';
          c.period.start = '2026-01-01';
          c.expiration!.date = '2026-01-05';
          c.recipients = [{ type: 'general-designation' }, { type: 'individual' }];
          c.consentKind = 'part2-tpo';
        },
        (c) => {
          c.revocation = { date: '2025-01-01T00:00:00Z', method: 'verbal' };
          c.period.end = '2025-01-01';
        },
      ],
      'service-consent': [
        (c) => {
          c.status = 'revoked';
          delete c.signature;
          c.period.end = '2025-01-01';
        },
        (c) => {
          c.revocation = { date: '2026-02-01T00:00:00Z', method: 'verbal' };
        },
      ],
      referral: [
        (r) => {
          r.closedAt = '2026-01-01T00:00:00Z';
          delete r.outcome;
          delete r.planId;
          r.target.type = 'crisis-service';
        },
        (r) => {
          r.status = 'in-progress';
        },
      ],
    };

    it.each(KINDS)('with rules broken and every free text and id a canary (%s)', (kind) => {
      const free = freeLeavesOf(kind);
      expect(free.length).toBeGreaterThan(0);
      for (const brk of BREAKS[kind] as ((r: AnyRecordInput) => void)[]) {
        const input = FIXTURES[kind]();
        brk(input);
        // Equal strings get the same canary, so duplicates and matching ids stay what the break made them.
        const canaries = new Map<unknown, string>();
        for (const path of free) {
          const value = getIn(input, path);
          if (typeof value !== 'string') continue;
          if (!canaries.has(value)) canaries.set(value, canary());
          setIn(input, path, canaries.get(value));
        }
        const issues = check(input);
        expect(issues.filter((i) => !i.code.startsWith('schema.')).length).toBeGreaterThan(0);
      }
    });

    it('with random edits: canaries, wrong types, removals, swaps and unknown fields', () => {
      const edit = (paths: IssuePath[], objects: IssuePath[]) =>
        fc.oneof(
          fc.record({ op: fc.constant('canary' as const), path: fc.constantFrom(...paths) }),
          fc.record({ op: fc.constant('wrap' as const), path: fc.constantFrom(...paths) }),
          fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...paths) }),
          fc.record({ op: fc.constant('copy' as const), path: fc.constantFrom(...paths), from: fc.constantFrom(...paths) }),
          fc.record({ op: fc.constant('swap' as const), path: fc.constantFrom(...paths), from: fc.constantFrom(...paths) }),
          fc.record({ op: fc.constant('extra' as const), path: fc.constantFrom(...objects), key: fc.string({ minLength: 1 }) }),
          fc.record({ op: fc.constant('value' as const), path: fc.constantFrom(...paths), value: fc.jsonValue() }),
        );
      fc.assert(
        fc.property(
          fc.constantFrom(...KINDS).chain((kind) =>
            fc.tuple(fc.constant(kind), fc.array(edit(leavesOf(kind), objectPaths(FIXTURES[kind]())), { minLength: 1, maxLength: 8 })),
          ),
          ([kind, edits]) => {
            const input = FIXTURES[kind]();
            const canSet = (path: IssuePath): boolean => {
              const parent = getIn(input, path.slice(0, -1));
              return path.length === 0 || (parent !== null && typeof parent === 'object');
            };
            for (const e of edits) {
              if (!canSet(e.path) || ('from' in e && !canSet(e.from))) continue;
              switch (e.op) {
                case 'canary':
                  setIn(input, e.path, canary());
                  break;
                case 'wrap':
                  setIn(input, e.path, { text: canary(), list: [canary()] });
                  break;
                case 'delete':
                  setIn(input, e.path, getIn(input, e.path) === undefined ? canary() : undefined);
                  break;
                case 'copy':
                  setIn(input, e.path, getIn(input, e.from) ?? canary());
                  break;
                case 'swap': {
                  const a = getIn(input, e.path);
                  setIn(input, e.path, getIn(input, e.from) ?? canary());
                  setIn(input, e.from, a ?? canary());
                  break;
                }
                case 'extra': {
                  const target = e.path.length === 0 ? input : getIn(input, e.path);
                  if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
                    Object.defineProperty(target, `x-${e.key}`, { value: canary(), enumerable: true, writable: true, configurable: true });
                  }
                  break;
                }
                case 'value':
                  setIn(input, e.path, e.value);
                  break;
              }
            }
            // Drop keys holding undefined so the JSON line and the object say the same.
            check(JSON.parse(JSON.stringify(input)));
          },
        ),
        { numRuns: 400 },
      );
    });

    it('saw the rule and schema codes it meant to exercise', () => {
      // Guards against a vacuous canary suite: the breaks above reached the rules.
      for (const code of [
        'schema.invalid-format',
        'schema.invalid-type',
        'schema.too-big',
        'schema.unknown-field',
        'organization.duplicate-program',
        'specialist.self-supervision',
        'peer.patient-unidentified',
        'plan.step-unknown-goal',
        'encounter.end-before-start',
        'encounter.note-signer-mismatch',
        'group.end-before-start',
        'consent.recipient-incomplete',
        'consent.revoked-before-signed',
        'referral.closed-before-created',
        'reference.unresolved',
        'record.duplicate-id',
      ]) {
        expect(seen, code).toContain(code);
      }
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
