/**
 * The 42 CFR §2.32 notice a gated sync sends with Part 2 data: when the gate lets the first Part 2
 * record of a patient go to the recipient, a DocumentReference follows it to the server — tagged
 * `part2-redisclosure-notice`, about that patient (`subject`), holding the notice statement with its
 * citation and, for a disclosure made with consent, the explanation of the deciding consents' scope
 * (§2.32(b)). The server keeps it next to the data, where the recipient reads it.
 *
 * The entry is a conditional update on an identifier drawn from the patient, the recipient and the
 * wording: a resumed or repeated sync to the same recipient finds the notice already there.
 *
 * See: 42 CFR §2.32(a), §2.32(b); @peerkit/safeguards `attachRedisclosureNotice`
 */
import { createHash } from 'node:crypto';
import { businessQuery, deterministicUuid, PEERKIT_CANONICAL } from '@peerkit/fhir';
import {
  attachRedisclosureNotice,
  createConsentScopeExplanation,
  type DisclosureRecipient,
  type RedisclosureNoticeOptions,
} from '@peerkit/safeguards';
import type { BundleEntry, Consent, DocumentReference, Reference } from 'fhir/r4';

/** The identifier system of the notices a sync writes (value: a digest of patient, recipient and wording). */
export const SYNC_NOTICE_IDENTIFIER_SYSTEM = `${PEERKIT_CANONICAL}/sync/redisclosure-notice`;

/** What the notice of one patient is built from. */
export interface SyncNoticeInput {
  /** The gate's key of the patient (reference and identifiers). */
  readonly key: string;
  /** The patient as the disclosed data names them. */
  readonly subject: Reference;
  readonly recipient: DisclosureRecipient;
  /** The consents the first Part 2 disclosure rested on (`Consent/<id>`); empty for break-glass. */
  readonly deciding: readonly string[];
  /** Permitted as a medical emergency (§2.51): no consent to explain. */
  readonly breakGlass: boolean;
}

/** Options of {@link createSyncNoticeEntry}. */
export interface SyncNoticeOptions {
  /** The clock: the notice's date. */
  readonly now: string | Date;
  /** Which statement of §2.32(a), or the host's own wording with its citation. Default `statement-2`. */
  readonly statement?: RedisclosureNoticeOptions['statement'];
  /** Author of the notice. Default `{ display: 'PeerKit' }`. */
  readonly author?: Reference;
  /** The patients' consents, by reference (`Consent/<id>`): their scope is explained in the notice. */
  readonly consents: ReadonlyMap<string, Consent>;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The explanation of the deciding consents' scope (§2.32(b)); a sentence naming them when their text is not at hand. */
function scopeOf(input: SyncNoticeInput, consents: ReadonlyMap<string, Consent>): string | undefined {
  if (input.breakGlass) return undefined;
  const known = input.deciding.flatMap((ref) => {
    const consent = consents.get(ref);
    return consent === undefined ? [] : [createConsentScopeExplanation(consent)];
  });
  if (known.length > 0) return known.join('\n\n');
  return `This disclosure was made under the patient's written consent${input.deciding.length > 0 ? ` (${input.deciding.join(', ')})` : ''}.`;
}

/**
 * The notice entry for one patient's Part 2 records going to the recipient.
 *
 * @param input - the patient, the recipient, the consents the disclosure rested on
 * @param options - clock, wording, author, the consents by reference
 * @returns a conditional-update entry for the DocumentReference
 * @example
 * const entry = createSyncNoticeEntry({ key, subject: { reference: 'Patient/1' }, recipient, deciding: ['Consent/c1'], breakGlass: false }, { now, consents });
 * See: 42 CFR §2.32
 */
export function createSyncNoticeEntry(input: SyncNoticeInput, options: SyncNoticeOptions): BundleEntry {
  const scope = scopeOf(input, options.consents);
  const hex = digest(JSON.stringify([input.key, input.recipient.actor, input.recipient.purposeOfUse, options.statement ?? 'statement-2', scope ?? '']));
  const built = attachRedisclosureNotice(
    { resourceType: 'Bundle', type: 'collection', entry: [] },
    {
      now: options.now,
      force: true,
      madeWithConsent: !input.breakGlass,
      ...(scope === undefined ? {} : { scopeExplanation: scope }),
      ...(options.statement === undefined ? {} : { statement: options.statement }),
      ...(options.author === undefined ? {} : { author: options.author }),
    },
  );
  // force with an explanation (or no consent) always builds the notice.
  const notice = built.ok ? (built.value.entry?.[0]?.resource as DocumentReference | undefined) : undefined;
  if (notice === undefined) throw new TypeError('the §2.32 notice could not be built');
  const identifier = { system: SYNC_NOTICE_IDENTIFIER_SYSTEM, value: hex };
  const resource: DocumentReference = { ...notice, identifier: [identifier], subject: input.subject };
  // A conditional update on the notice's identifier, as the data's own entries are written.
  return {
    fullUrl: deterministicUuid(`DocumentReference|${identifier.system}|${identifier.value}`),
    resource,
    request: { method: 'PUT', url: `DocumentReference?${businessQuery({ param: 'identifier', ...identifier })}` },
  };
}
