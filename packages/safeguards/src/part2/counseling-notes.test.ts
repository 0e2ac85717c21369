import type { Consent, DocumentReference, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { consent, NPI_A, peerkitPart2Disclosure, peerkitTpo, purpose } from '../__fixtures__/consents';
import { c2sCounseling, counselingCombined, counselingNote, counselingOnly, NPI_AUTHOR, notCounseling, part2Request, sudNote } from '../__fixtures__/part2';
import type { DisclosureRequest } from '../consent/request';
import { decideResourceDisclosure } from '../disclosure/disclosure-gate';
import {
  applyCounselingNoteRule,
  checkCounselingNoteConsent,
  counselingNoteScope,
  isSudCounselingNote,
  SUD_COUNSELING_NOTES,
} from './counseling-notes';

const COUNSELING = { system: SUD_COUNSELING_NOTES.system as string, code: SUD_COUNSELING_NOTES.code };
const HOST_CODE = { system: 'https://example.org/synthetic/note-kind', code: 'counseling' };
const plain = sudNote();

describe('isSudCounselingNote', () => {
  it.each([
    ['the code as category', counselingNote(), {}, true],
    ['the code as meta.tag', { ...plain, meta: { ...plain.meta, tag: [COUNSELING] } }, {}, true],
    ['the code as a security label', { ...plain, meta: { security: [...(plain.meta?.security ?? []), COUNSELING] } }, {}, true],
    ['the code as type', { ...plain, type: { coding: [COUNSELING] } }, {}, true],
    ['a host code, when configured', { ...plain, type: { coding: [HOST_CODE] } }, { codes: [HOST_CODE] }, true],
    ['a host code, not configured', { ...plain, type: { coding: [HOST_CODE] } }, {}, false],
    ['an ordinary SUD progress note', plain, {}, false],
  ])('%s', (_name, resource, options, expected) => {
    expect(isSudCounselingNote(resource as Resource, options)).toBe(expected);
  });
});

describe('counselingNoteScope', () => {
  const rootPermitWithNested = consent({ id: 'nested', provision: { type: 'permit', purpose: [purpose('TREAT')], provision: [{ type: 'permit', code: [{ coding: [COUNSELING] }] }] } });
  it.each([
    ['PeerKit: counseling notes only', counselingOnly(), 'specific'],
    ['PeerKit: counseling notes and progress notes in one criterion', counselingCombined(), 'combined'],
    ['Consent2Share: deny base, nested untyped provision naming them', c2sCounseling(), 'specific'],
    ['a permit root releasing everything, with a nested permit naming them', rootPermitWithNested, 'combined'],
    ['a single TPO consent', peerkitTpo(), 'none'],
    ['a class-only consent', notCounseling(), 'none'],
  ])('%s → %s', (_name, c, expected) => {
    expect(counselingNoteScope(c)).toBe(expected);
  });
});

describe('checkCounselingNoteConsent', () => {
  it('rejects a consent combining counseling notes with other data, citing §2.31(b)(2)', () => {
    const result = checkCounselingNoteConsent(counselingCombined());
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.source])).toEqual([['part2.counseling-notes-combined', '42 CFR §2.31(b)(2)']]);
    expect(checkCounselingNoteConsent(counselingOnly()).ok).toBe(true);
  });
});

describe('applyCounselingNoteRule', () => {
  const now = '2026-05-01';
  // The engine's own per-resource decision: the gate with no counseling-note codes, so the hook under test decides alone.
  const decide = (resource: Resource, consents: readonly Consent[], request: DisclosureRequest) =>
    decideResourceDisclosure(resource, consents, request, { now, counselingNotes: { codes: [] } }).withheld === undefined ? ('PERMIT' as const) : ('DENY' as const);
  const apply = (resource: DocumentReference, consents: Consent[], request: DisclosureRequest) =>
    applyCounselingNoteRule({ resource, request, consents, decision: decide(resource, consents, request), decideWith: (subset) => decide(resource, subset, request) });
  const toA = (purposes: string[]) => part2Request({ actor: [NPI_A], purposeOfUse: purposes });

  it.each([
    ['an ordinary note under a general consent goes', plain, [peerkitPart2Disclosure()], toA(['TREAT']), 'PERMIT', undefined],
    ['a counseling note under only a general consent stays', counselingNote(), [peerkitPart2Disclosure()], toA(['TREAT']), 'DENY', 'sud-counseling-note'],
    ['a counseling note under a TPO consent stays', counselingNote(), [peerkitTpo()], toA(['TREAT']), 'DENY', 'sud-counseling-note'],
    ['a counseling note goes under a consent naming them alone', counselingNote(), [peerkitPart2Disclosure(), counselingOnly()], toA(['TREAT']), 'PERMIT', undefined],
    ['… but not for a purpose that consent does not list', counselingNote(), [peerkitPart2Disclosure(), counselingOnly()], toA(['COC']), 'DENY', 'sud-counseling-note'],
    ['… nor under a consent combining them with other data', counselingNote(), [counselingCombined()], toA(['TREAT']), 'DENY', 'sud-counseling-note'],
    ['a counseling note goes under a Consent2Share consent naming them alone', counselingNote(), [c2sCounseling()], toA(['TREAT']), 'PERMIT', undefined],
    ['a counseling note goes to its author', counselingNote(), [peerkitTpo()], part2Request({ actor: [NPI_AUTHOR], purposeOfUse: ['TREAT'] }), 'PERMIT', undefined],
    ['break-glass does not open a counseling note', counselingNote(), [], toA(['BTG']), 'DENY', 'sud-counseling-note'],
    ['a DENY stays a DENY', counselingNote(), [], toA(['TREAT']), 'DENY', undefined],
  ])('%s', (_name, resource, consents, request, decision, reason) => {
    const out = apply(resource, consents, request);
    expect(out.decision).toBe(decision);
    expect(out.withheld?.reason).toBe(reason);
    if (out.withheld) expect(out.withheld.source).toBe('42 CFR §2.31(b)(1)');
  });
});
