/**
 * The notice that travels with Part 2 data (42 CFR §2.32): every disclosure made with the patient's
 * written consent carries one of the two written statements of §2.32(a), and a copy of the consent
 * or a clear explanation of its scope (§2.32(b)). PeerKit adds both to the disclosed Bundle as a
 * labelled DocumentReference (or Composition) the recipient can read, tags the Bundle, and records
 * the statement in the Bundle's notice extension.
 *
 * Verification (see regulation.ts): the heading of §2.32 ("Notice and copy of consent to accompany
 * disclosure") and the first sentences of Statement 1 were read in a copy of the 2024 regulation
 * text; the rest of Statement 1, Statement 2 ("use or disclosure") and §2.32(b) only in secondary
 * sources that agree. The wording is therefore an option: confirm it against the eCFR.
 *
 * See: 42 CFR §2.32 (89 FR 12472)
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { PEERKIT_CANONICAL } from '@peerkit/fhir';
import type { Bundle, BundleEntry, Composition, Consent, ConsentProvision, DocumentReference, Identifier, Reference, Resource } from 'fhir/r4';
import { toInstant } from '../consent/audit-event';
import { PART2_REDISCLOSURE_NOTICE } from '../consent/decide';
import { isPart2Labeled } from '../disclosure/security-labels';
import { SOURCE_ROLES, toCodes } from '../internal/codes';
import { counterUuids } from '../internal/ids';
import { tokensOf } from '../internal/tokens';
import type { RegulatoryFact } from './regulation';

/** One of the written statements of §2.32(a). */
export interface NoticeStatement extends RegulatoryFact {
  readonly text: string;
}

/**
 * The two statements of §2.32(a) in the 2024 wording. `statement-1` is the full notice (proceedings
 * against the patient; redisclosure only under consent, or by a HIPAA covered entity or business
 * associate); `statement-2` the short one, which is also the consent engine's notice.
 */
export const PART2_NOTICE_STATEMENTS: Readonly<Record<'statement-1' | 'statement-2', NoticeStatement>> = {
  'statement-1': {
    text:
      'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). ' +
      'These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, ' +
      'in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, ' +
      'unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. ' +
      'In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies: ' +
      '(i) Further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. ' +
      '(ii) You are a covered entity or business associate and have received the record for treatment, payment, or health care operations, or ' +
      '(iii) You have received the record from a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. ' +
      'A general authorization for the release of medical or other information is NOT sufficient to meet the required elements of written consent to further use or redisclose the record (see 42 CFR 2.31).',
    source: '42 CFR §2.32(a)(1)',
    verification: 'secondary',
    note: 'first two sentences read in a copy of the 2024 §2.32 text (compliancecosmos.org); (i)-(iii) and the last sentence from secondary copies',
  },
  'statement-2': {
    text: PART2_REDISCLOSURE_NOTICE,
    source: '42 CFR §2.32(a)(2)',
    verification: 'secondary',
    note: '2024 wording ("use or disclosure") from published 2026 consent forms; the pre-2024 eCFR text read "prohibits unauthorized disclosure"',
  },
};

/** §2.32(b): the copy of the consent, or an explanation of its scope, that goes with the data. */
export const CONSENT_COPY_REQUIREMENT: RegulatoryFact = {
  source: '42 CFR §2.32(b)',
  verification: 'secondary',
  note: 'section heading "Notice and copy of consent to accompany disclosure" read in eCFR copies; paragraph text from secondary sources',
};

/** Extension on `Bundle.meta` carrying the no-redisclosure notice (PeerKit profile pack). */
export const REDISCLOSURE_NOTICE_EXTENSION = `${PEERKIT_CANONICAL}/StructureDefinition/redisclosure-notice`;

/** The tag on a Bundle (and on the notice resource) that carries the §2.32 notice. */
export const REDISCLOSURE_NOTICE_TAG = {
  system: `${PEERKIT_CANONICAL}/CodeSystem/notice`,
  code: 'part2-redisclosure-notice',
  display: 'Carries the 42 CFR §2.32 notice prohibiting redisclosure',
} as const;

const NOTICE_TYPE = {
  system: `${PEERKIT_CANONICAL}/CodeSystem/document-type`,
  code: 'part2-redisclosure-notice',
  display: 'Notice prohibiting redisclosure (42 CFR §2.32)',
} as const;

/** Options of {@link attachRedisclosureNotice}. */
export interface RedisclosureNoticeOptions {
  /** Date of the notice resource (the clock). Required (purity). */
  now: string | Date;
  /** Which statement, or the host's own wording with its citation. Default `statement-2`. */
  statement?: 'statement-1' | 'statement-2' | { readonly text: string; readonly source?: string };
  /** The notice as a DocumentReference or a Composition. Default `document-reference` (a `document` Bundle always gets a DocumentReference). */
  as?: 'document-reference' | 'composition';
  /** Copies of the consents the disclosure was made under, added to the Bundle (§2.32(b)). */
  consents?: readonly Consent[];
  /** Or a clear explanation of their scope (see {@link createConsentScopeExplanation}). */
  scopeExplanation?: string;
  /** The disclosure was made with written consent. Default `true`; `false` (e.g. a medical emergency, §2.51) needs no consent copy. */
  madeWithConsent?: boolean;
  /** Author of the notice resource. Default `{ display: 'PeerKit' }`. */
  author?: Reference;
  /** UUIDs for the `fullUrl` of added entries. Default: counter-derived, so the same input gives the same bytes. */
  newId?: () => string;
  /** Attach the notice even when no entry is labelled 42 CFR Part 2. Default `false`. */
  force?: boolean;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function pickStatement(option: RedisclosureNoticeOptions['statement']): { text: string; source: string } {
  if (option === undefined || typeof option === 'string') {
    const s = PART2_NOTICE_STATEMENTS[option ?? 'statement-2'];
    return { text: s.text, source: s.source };
  }
  return { text: option.text, source: option.source ?? '42 CFR §2.32(a)' };
}

/**
 * Adds the §2.32 notice to a disclosed Bundle that holds 42 CFR Part 2 records: a DocumentReference
 * (or Composition) with the statement and its citation, tagged {@link REDISCLOSURE_NOTICE_TAG}; the
 * copies of the consents or the explanation of their scope; the tag and the notice extension on
 * `Bundle.meta`. A Bundle without Part 2 records comes back unchanged (unless `force`).
 *
 * @param bundle - the Bundle that will be sent (not changed)
 * @param options - clock, statement, consent copies or scope explanation
 * @returns the Bundle with the notice; an error `part2.consent-copy-missing` when the disclosure was
 *   made with consent and neither consent copies nor a scope explanation were given (do not send)
 * @example
 * const result = attachRedisclosureNotice(gated.bundle, { now, consents: [consent] });
 * if (result.ok) send(result.value);
 * See: 42 CFR §2.32(a), §2.32(b)
 */
export function attachRedisclosureNotice(bundle: Bundle, options: RedisclosureNoticeOptions): Result<Bundle> {
  const hasPart2 = (bundle.entry ?? []).some((e) => e.resource !== undefined && isPart2Labeled(e.resource));
  if (!hasPart2 && options.force !== true) return ok(bundle);
  const consents = options.consents ?? [];
  const scope = options.scopeExplanation?.trim();
  if (options.madeWithConsent !== false && consents.length === 0 && (scope === undefined || scope === '')) {
    const issue: Issue = {
      severity: 'error',
      code: 'part2.consent-copy-missing',
      path: ['consents'],
      message: 'A disclosure made with written consent must carry a copy of the consent or a clear explanation of its scope',
      source: CONSENT_COPY_REQUIREMENT.source,
    };
    return fail([issue]);
  }
  const statement = pickStatement(options.statement);
  const newId = options.newId ?? counterUuids();
  const date = toInstant(options.now);
  const author = options.author ?? { display: 'PeerKit' };
  const consentEntries: BundleEntry[] = consents.map((c) => ({ fullUrl: `urn:uuid:${newId()}`, resource: c }));
  const consentRefs: Reference[] = consentEntries.map((e) => ({ reference: e.fullUrl as string }));
  const noticeText = `${statement.text}\n\n(${statement.source})`;
  const scopeText = scope === undefined || scope === '' ? undefined : `${scope}\n\n(${CONSENT_COPY_REQUIREMENT.source})`;
  const asComposition = options.as === 'composition' && bundle.type !== 'document';

  const common = { meta: { tag: [REDISCLOSURE_NOTICE_TAG] }, type: { coding: [NOTICE_TYPE], text: NOTICE_TYPE.display }, date, author: [author] };
  const xhtml = (...paragraphs: string[]) => ({
    status: 'generated' as const,
    div: `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('')}</div>`,
  });
  const plainText = (title: string, text: string) => ({ attachment: { contentType: 'text/plain; charset=utf-8', title, data: toBase64(text) } });

  let notice: Resource;
  if (asComposition) {
    const composition: Composition = {
      resourceType: 'Composition',
      ...common,
      status: 'final',
      title: 'Notice prohibiting redisclosure',
      section: [{ title: statement.source, text: xhtml(statement.text, statement.source) }],
    };
    if (scopeText !== undefined || consentRefs.length > 0) {
      const section: NonNullable<Composition['section']>[number] = { title: `Consent (${CONSENT_COPY_REQUIREMENT.source})` };
      if (scopeText !== undefined) section.text = xhtml(scopeText);
      if (consentRefs.length > 0) section.entry = consentRefs;
      composition.section?.push(section);
    }
    notice = composition;
  } else {
    const content: DocumentReference['content'] = [plainText(`Notice prohibiting redisclosure (${statement.source})`, noticeText)];
    if (scopeText !== undefined) content.push(plainText(`Scope of the consent (${CONSENT_COPY_REQUIREMENT.source})`, scopeText));
    const doc: DocumentReference = { resourceType: 'DocumentReference', ...common, status: 'current', description: statement.text, content };
    if (consentRefs.length > 0) doc.context = { related: consentRefs };
    notice = doc;
  }

  const noticeEntry: BundleEntry = { fullUrl: `urn:uuid:${newId()}`, resource: notice };
  const entries = [...(bundle.entry ?? [])];
  // A document Bundle must keep its Composition first; elsewhere the notice leads.
  entries.splice(bundle.type === 'document' ? Math.min(1, entries.length) : 0, 0, noticeEntry);
  entries.push(...consentEntries);
  const tags = (bundle.meta?.tag ?? []).filter((t) => !(t.system === REDISCLOSURE_NOTICE_TAG.system && t.code === REDISCLOSURE_NOTICE_TAG.code));
  const extensions = (bundle.meta?.extension ?? []).filter((e) => e.url !== REDISCLOSURE_NOTICE_EXTENSION);
  return ok({
    ...bundle,
    meta: {
      ...bundle.meta,
      tag: [...tags, REDISCLOSURE_NOTICE_TAG],
      extension: [...extensions, { url: REDISCLOSURE_NOTICE_EXTENSION, valueString: statement.text }],
    },
    entry: entries,
  });
}


type ProvisionActor = NonNullable<ConsentProvision['actor']>[number];

function describeActor(actor: ProvisionActor, consent: Consent): string {
  const ref = actor.reference;
  let tokens = tokensOf(ref);
  let name = ref.display;
  if (ref.reference?.startsWith('#') === true) {
    const contained = (consent.contained ?? []).find((r) => `#${r.id ?? ''}` === ref.reference) as
      | (Resource & { identifier?: Identifier[]; name?: unknown })
      | undefined;
    tokens = tokensOf({ identifier: contained?.identifier });
    if (name === undefined && typeof contained?.name === 'string') name = contained.name;
  }
  const token = tokens[0];
  return name !== undefined ? `${name}${token === undefined ? '' : ` (${token})`}` : (token ?? 'an unnamed party');
}

/**
 * A plain-language explanation of a consent's scope, for when the consent itself does not travel
 * (§2.32(b)): who may receive, for what purposes, which information, until when, and that the
 * patient may revoke it. Built from the Consent's provisions; codes are shown as codes.
 *
 * @param consent - a FHIR R4 Consent
 * @returns one paragraph of text
 * @example
 * attachRedisclosureNotice(bundle, { now, scopeExplanation: createConsentScopeExplanation(consent) });
 * See: 42 CFR §2.32(b)
 */
export function createConsentScopeExplanation(consent: Consent): string {
  const recipients = new Set<string>();
  const purposes = new Set<string>();
  const data = new Set<string>();
  const excluded = new Set<string>();
  // Nested provisions narrow their ancestors: a permit under a deny for a recipient and purpose
  // (Consent2Share) releases to that recipient for that purpose.
  const walk = (p: ConsentProvision | undefined, type: 'permit' | 'deny' | undefined, actors: ProvisionActor[], reasons: string[]): void => {
    if (!p) return;
    const effective = p.type ?? (type === 'permit' ? 'deny' : type === 'deny' ? 'permit' : undefined);
    const ownRecipients = (p.actor ?? []).filter((a) => !toCodes(a.role?.coding).some((c) => SOURCE_ROLES.includes(c.code)));
    const scopeActors = ownRecipients.length > 0 ? ownRecipients : actors;
    const ownPurposes = toCodes(p.purpose).map((c) => c.code);
    const scopePurposes = ownPurposes.length > 0 ? ownPurposes : reasons;
    const criteria = [...toCodes(p.securityLabel), ...toCodes(p.class), ...toCodes((p.code ?? []).flatMap((c) => c.coding ?? []))].map((c) => c.code);
    if (effective === 'permit') {
      for (const a of scopeActors) recipients.add(describeActor(a, consent));
      for (const c of scopePurposes) purposes.add(c);
      for (const c of criteria) data.add(c);
    } else if (effective === 'deny') {
      for (const c of criteria) excluded.add(c);
    }
    for (const child of p.provision ?? []) walk(child, effective, scopeActors, scopePurposes);
  };
  walk(consent.provision, undefined, [], []);
  const id = consent.id === undefined ? 'the patient\u2019s consent' : `Consent/${consent.id}`;
  const end = consent.provision?.period?.end;
  const parts = [
    `This disclosure was made under ${id}${consent.dateTime === undefined ? '' : `, signed ${consent.dateTime.slice(0, 10)}`}.`,
    `Recipients: ${recipients.size > 0 ? [...recipients].join('; ') : 'as generally designated in the consent (treatment, payment and health care operations)'}.`,
    `Purposes: ${purposes.size > 0 ? [...purposes].join(', ') : 'not stated in coded form'}.`,
    `Information: ${data.size > 0 ? [...data].join(', ') : 'the records described in the consent'}${excluded.size > 0 ? `, except ${[...excluded].join(', ')}` : ''}.`,
    end === undefined ? 'It has no end date and stays in effect until the patient revokes it.' : `It ends on ${end.slice(0, 10)} unless the patient revokes it earlier.`,
  ];
  return parts.join(' ');
}
