import type { Bundle, Composition, DocumentReference } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { c2sStyle, peerkitPart2Disclosure, peerkitTpo } from '../__fixtures__/consents';
import { mhNote, sudEncounter, sudNote } from '../__fixtures__/part2';
import { validateR4 } from '../__fixtures__/validate';
import { PART2_REDISCLOSURE_NOTICE } from '../consent/decide';
import { attachRedisclosureNotice, createConsentScopeExplanation, PART2_NOTICE_STATEMENTS, REDISCLOSURE_NOTICE_EXTENSION, REDISCLOSURE_NOTICE_TAG } from './notice';

const part2Bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [sudNote(), sudEncounter()].map((resource) => ({ resource })) };
const mhBundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: mhNote() }] };
const now = '2026-05-01T10:00:00Z';

function decode(data: string | undefined): string {
  const binary = atob(data ?? '');
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

describe('PART2_NOTICE_STATEMENTS', () => {
  it('holds both §2.32(a) statements with their citations; statement 2 is the engine’s notice', () => {
    expect(PART2_NOTICE_STATEMENTS['statement-1'].source).toBe('42 CFR §2.32(a)(1)');
    expect(PART2_NOTICE_STATEMENTS['statement-1'].text).toMatch(/^This record which has been disclosed to you is protected by Federal confidentiality rules \(42 CFR part 2\)\./);
    expect(PART2_NOTICE_STATEMENTS['statement-2']).toMatchObject({ source: '42 CFR §2.32(a)(2)', text: PART2_REDISCLOSURE_NOTICE });
  });
});

describe('attachRedisclosureNotice', () => {
  it('adds a tagged DocumentReference with the statement and its citation first, the consent copies last, and tags the Bundle', () => {
    const result = attachRedisclosureNotice(part2Bundle, { now, consents: [peerkitPart2Disclosure()] });
    if (!result.ok) throw new Error('expected ok');
    const bundle = result.value;
    expect(() => validateR4(bundle)).not.toThrow();
    const notice = bundle.entry?.[0]?.resource as DocumentReference;
    expect(notice.resourceType).toBe('DocumentReference');
    expect(notice.meta?.tag).toEqual([REDISCLOSURE_NOTICE_TAG]);
    expect(notice.description).toBe(PART2_REDISCLOSURE_NOTICE);
    expect(decode(notice.content[0]?.attachment.data)).toBe(`${PART2_REDISCLOSURE_NOTICE}\n\n(42 CFR §2.32(a)(2))`);
    expect(bundle.entry?.at(-1)?.resource?.resourceType).toBe('Consent');
    expect(notice.context?.related?.[0]?.reference).toBe(bundle.entry?.at(-1)?.fullUrl);
    expect(bundle.meta?.tag).toEqual([REDISCLOSURE_NOTICE_TAG]);
    expect(bundle.meta?.extension).toEqual([{ url: REDISCLOSURE_NOTICE_EXTENSION, valueString: PART2_REDISCLOSURE_NOTICE }]);
  });

  it.each([
    ['statement 1', { statement: 'statement-1' as const }, PART2_NOTICE_STATEMENTS['statement-1'].text, '42 CFR §2.32(a)(1)'],
    ['the host’s own wording', { statement: { text: 'Synthetic program wording.', source: 'Program policy 7' } }, 'Synthetic program wording.', 'Program policy 7'],
  ])('uses %s', (_name, patch, text, source) => {
    const result = attachRedisclosureNotice(part2Bundle, { now, consents: [peerkitTpo()], ...patch });
    if (!result.ok) throw new Error('expected ok');
    const notice = result.value.entry?.[0]?.resource as DocumentReference;
    expect(decode(notice.content[0]?.attachment.data)).toBe(`${text}\n\n(${source})`);
  });

  it('can carry the notice as a Composition, with the scope explanation instead of the consent', () => {
    const scopeExplanation = createConsentScopeExplanation(c2sStyle());
    const result = attachRedisclosureNotice(part2Bundle, { now, as: 'composition', scopeExplanation });
    if (!result.ok) throw new Error('expected ok');
    expect(() => validateR4(result.value)).not.toThrow();
    const composition = result.value.entry?.[0]?.resource as Composition;
    expect(composition.resourceType).toBe('Composition');
    expect(composition.section?.map((s) => s.title)).toEqual(['42 CFR §2.32(a)(2)', 'Consent (42 CFR §2.32(b))']);
    expect(result.value.entry?.some((e) => e.resource?.resourceType === 'Consent')).toBe(false);
  });

  it('keeps the Composition of a document Bundle first', () => {
    const head: Composition = { resourceType: 'Composition', status: 'final', type: { text: 'x' }, date: now, author: [{ display: 'x' }], title: 'x' };
    const doc: Bundle = { ...part2Bundle, type: 'document', entry: [{ resource: head }, ...(part2Bundle.entry ?? [])] };
    const result = attachRedisclosureNotice(doc, { now, as: 'composition', consents: [peerkitTpo()] });
    if (!result.ok) throw new Error('expected ok');
    expect(result.value.entry?.map((e) => e.resource?.resourceType).slice(0, 2)).toEqual(['Composition', 'DocumentReference']);
  });

  it.each([
    ['made with consent but no copy or scope: an error, do not send', {}, false, 'part2.consent-copy-missing'],
    ['a medical emergency (no consent): no copy needed', { madeWithConsent: false }, true, undefined],
  ])('%s', (_name, patch, ok, code) => {
    const result = attachRedisclosureNotice(part2Bundle, { now, ...patch });
    expect(result.ok).toBe(ok);
    expect(result.issues[0]?.code).toBe(code);
    if (!result.ok) expect(result.issues[0]?.source).toBe('42 CFR §2.32(b)');
  });

  it('leaves a Bundle without Part 2 records unchanged, unless forced', () => {
    expect(attachRedisclosureNotice(mhBundle, { now })).toEqual({ ok: true, value: mhBundle, issues: [] });
    const forced = attachRedisclosureNotice(mhBundle, { now, force: true, madeWithConsent: false });
    expect(forced.ok && forced.value.entry?.length).toBe(2);
  });

  it('replaces an earlier notice extension instead of adding a second; does not mutate its input', () => {
    const gated: Bundle = { ...part2Bundle, meta: { extension: [{ url: REDISCLOSURE_NOTICE_EXTENSION, valueString: 'old' }] } };
    const before = JSON.stringify(gated);
    const result = attachRedisclosureNotice(gated, { now, consents: [peerkitTpo()] });
    expect(result.ok && result.value.meta?.extension).toEqual([{ url: REDISCLOSURE_NOTICE_EXTENSION, valueString: PART2_REDISCLOSURE_NOTICE }]);
    expect(JSON.stringify(gated)).toBe(before);
  });
});

describe('createConsentScopeExplanation', () => {
  it.each([
    ['a PeerKit consent to a named recipient', peerkitPart2Disclosure(), ['Consent/pk-part2-a', 'Synthetic Recipient Clinic', 'COC, TREAT', 'SUD', 'ends on 2026-12-31']],
    ['a single TPO consent', peerkitTpo(), ['generally designated', 'TREAT, HPAYMT, HOPERAT', 'until the patient revokes it']],
    ['a Consent2Share consent (deny base, permitted categories)', c2sStyle(), ['Consent/c2s-1', '1000000004', 'TREAT, HPAYMT', 'ETH, PSY', 'ends on 2027-01-11']],
  ])('explains %s', (_name, consent, parts) => {
    const text = createConsentScopeExplanation(consent);
    for (const part of parts) expect(text).toContain(part);
  });
});
