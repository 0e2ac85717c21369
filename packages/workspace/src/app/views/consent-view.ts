/**
 * Consent status: for each consent on file, whether it is in force today, what may be shared, with
 * whom, for what, until when; its 42 CFR Part 2 labels; the §2.31 elements it lacks.
 */
import {
  CONSENT_KINDS,
  CONSENT_PURPOSES,
  CONSENT_STATUSES,
  DATA_CATEGORIES,
  isConsentInForce,
  labelOf,
  type Consent,
  type Recipient,
} from '@peerkit/model';
import type { Coding } from 'fhir/r4';
import { h } from '../dom';
import type { SafeguardsModule } from '../safeguards';
import { labelList } from './labels';

const recipientText = (r: Recipient): string => r.name ?? r.description ?? r.identifier?.value ?? r.type;

function row(term: string, ...value: (string | HTMLElement)[]): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

/** One consent as a card. */
function consentCard(consent: Consent, today: string, labels: readonly Coding[], index: number, safeguards: SafeguardsModule | undefined): HTMLElement {
  const inForce = isConsentInForce(consent, today);
  const missing = safeguards?.checkPart2Consent(consent).issues.filter((i) => i.severity === 'error');
  const until = [consent.period.end, consent.expiration?.date].filter((d): d is string => d !== undefined).sort()[0];
  const headingId = `consent-${index}-heading`;
  return h(
    'article',
    { class: `consent ${inForce ? 'in-force' : 'not-in-force'}`, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, labelOf(CONSENT_KINDS, consent.consentKind) ?? consent.consentKind),
    h('p', { class: 'consent-state' }, h('strong', {}, inForce ? 'In force today' : 'Not in force today'), ` (status: ${labelOf(CONSENT_STATUSES, consent.status) ?? consent.status})`),
    h(
      'dl',
      {},
      row('Shared with', consent.recipients.length === 0 ? 'No recipient named' : consent.recipients.map(recipientText).join('; ')),
      row('For', consent.purposes.length === 0 ? 'No purpose named' : consent.purposes.map((p) => labelOf(CONSENT_PURPOSES, p) ?? p).join(', ')),
      row(
        'What may be shared',
        consent.dataCategories.length === 0 ? (consent.informationDescription ?? 'Not stated') : consent.dataCategories.map((c) => labelOf(DATA_CATEGORIES, c) ?? c).join(', '),
      ),
      row('From', consent.period.start),
      row('Until', until ?? (consent.expiration?.event ? `the event: ${consent.expiration.event}` : 'No end date')),
      consent.revocation ? row('Revoked', consent.revocation.date.slice(0, 10)) : [],
      row('Security labels', labelList(labels, 'Security labels of this consent')),
      consent.consentKind === 'hipaa-authorization'
        ? []
        : row('42 CFR §2.31 elements', missing === undefined ? 'Checking…' : missing.length === 0 ? 'All present' : `Missing: ${missing.map((i) => i.path.join('.')).join(', ')}`),
    ),
  );
}

/**
 * The consent section: a summary line, then one card per consent (in force first).
 *
 * @param consents - the patient's consents
 * @param today - `YYYY-MM-DD`
 * @param labelsOf - the security labels of a consent's resource
 * @param safeguards - the §2.31 check, once loaded (until then the row says it is checking)
 */
export function consentView(consents: readonly Consent[], today: string, labelsOf: (c: Consent) => readonly Coding[], safeguards?: SafeguardsModule): HTMLElement {
  const inForce = consents.filter((c) => isConsentInForce(c, today));
  const ordered = [...inForce, ...consents.filter((c) => !inForce.includes(c))];
  return h(
    'div',
    { class: 'consents' },
    h(
      'p',
      { id: 'consent-summary', class: inForce.length > 0 ? 'status-ok' : 'status-warn' },
      consents.length === 0
        ? 'No consent on file: share nothing from this record outside the program.'
        : `${inForce.length} of ${consents.length} consent${consents.length === 1 ? '' : 's'} in force today.`,
    ),
    ordered.map((c, i) => consentCard(c, today, labelsOf(c), i, safeguards)),
  );
}
