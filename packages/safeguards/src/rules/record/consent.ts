/**
 * Consent rules: a consent meant for Part 2 data carries every element 42 CFR §2.31(a) requires,
 * and a referral out of a Part 2 program names a consent in force (medical emergencies excepted).
 */
import { covers, datePart, isConsentInForce } from '@peerkit/model';
import { checkPart2Consent } from '../../consent/part2-completeness';
import { SOURCES as S } from '../sources';
import type { AddedRecordRule, ExportRule, RecordRule } from './record-rule';

const CRISIS_CATEGORIES = new Set(['crisis-988', 'mobile-crisis', 'crisis-stabilization', 'emergency-department']);

const referralWithoutConsent: ExportRule<'referral'> = {
  definition: {
    id: 'confidentiality.referral-without-consent',
    category: 'confidentiality',
    severity: 'warning',
    title: 'A referral from a Part 2 program names no active consent',
    rationale: 'A referral discloses that the person is in a Part 2 program; outside a medical emergency it needs a written consent in effect.',
    source: S.part2Consent,
    appliesTo: ['referral'],
  },
  subject: 'referral',
  // A crisis referral is a medical emergency (42 CFR §2.51): no consent needed.
  applies: ({ record: r }) => r.status !== 'draft' && r.target.type !== 'crisis-service' && !CRISIS_CATEGORIES.has(r.target.category) && r.urgency !== 'stat',
  check({ record: r, place }, facts, emit) {
    const date = datePart(r.created);
    const peer = facts.peer(r.peerId);
    if (!peer) return;
    const inPart2 = peer.enrollments.some(
      (x) => x.programType !== 'mental-health' && (facts.part2Program(x.programId) ?? true) && covers(date, x.start, x.end),
    );
    if (!inPart2) return;
    const c = r.consentId === undefined ? undefined : facts.consent(r.consentId);
    const valid = c !== undefined && c.peerId === r.peerId && c.consentKind !== 'hipaa-authorization' && isConsentInForce(c, r.created);
    if (!valid) emit(place, ['consentId']);
  },
};

const part2ConsentIncomplete: AddedRecordRule<'consent'> = {
  definition: {
    id: 'confidentiality.part2-consent-incomplete',
    category: 'confidentiality',
    severity: 'error',
    title: 'A Part 2 consent lacks an element 42 CFR §2.31 requires',
    rationale: 'A consent missing a required element is not valid for Part 2 disclosures.',
    source: '42 CFR §2.31(a)(1)-(9); §2.32',
    appliesTo: ['consent'],
  },
  records: ['consent'],
  check(consent, place, _policy, emit) {
    for (const issue of checkPart2Consent(consent).issues) if (issue.severity === 'error') emit(place, issue.path);
  },
};

/** The consent rules, in catalog order. */
export const CONSENT_RULES: readonly RecordRule[] = [referralWithoutConsent, part2ConsentIncomplete];
