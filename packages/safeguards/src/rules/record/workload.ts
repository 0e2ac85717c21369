/**
 * Workload rules: caseloads within their limit, contacts inside the sanctioned working hours, and
 * no more contacts with one peer in a day than policy allows.
 */
import { dayOfWeek } from '@peerkit/model';
import { clockMinutes, localMinutes } from '../../internal/dates';
import { SOURCES as S } from '../sources';
import type { AddedRecordRule, ExportRule, RecordRule } from './record-rule';

const caseloadOverLimit: ExportRule<'specialist'> = {
  definition: {
    id: 'workload.caseload-over-limit',
    category: 'workload',
    severity: 'warning',
    title: 'Caseload over the limit',
    rationale: 'Caseloads over the limit thin out contact and raise burnout risk.',
    source: `specialist.caseloadLimit; ${S.policy}`,
    appliesTo: ['specialist'],
  },
  subject: 'specialist',
  applies: ({ record }) => record.active,
  check({ record, place }, facts, emit) {
    if (facts.asOf === undefined) return;
    const limit = facts.policy.workload.caseloadLimit ?? record.caseloadLimit;
    if (facts.caseload(record.id) > limit) emit(place, ['caseloadLimit']);
  },
};

const outsideHours: AddedRecordRule<'encounter' | 'group-session'> = {
  definition: {
    id: 'workload.outside-hours',
    category: 'workload',
    severity: 'information',
    title: 'Contact outside the configured working hours',
    rationale: 'Contacts outside sanctioned hours may be outside the agency’s coverage and supervision.',
    source: `${S.scHours}; hours: ${S.policy}`,
    appliesTo: ['encounter', 'group-session'],
  },
  records: ['encounter', 'group-session'],
  applies: (contact) => contact.status === 'completed',
  check(contact, place, policy, emit) {
    const hours = policy.workingHours;
    if (contact.kind === 'encounter' && contact.crisis?.indicated && hours.exemptCrisis) return;
    const minutes = localMinutes(contact.start);
    if (!hours.days.includes(dayOfWeek(contact.start)) || minutes < clockMinutes(hours.start) || minutes >= clockMinutes(hours.end)) {
      emit(place, ['start']);
    }
  },
};

const contactTooFrequent: ExportRule<'peer-day'> = {
  definition: {
    id: 'workload.contact-too-frequent',
    category: 'workload',
    severity: 'warning',
    title: 'More contacts with the same peer in one day than policy allows',
    rationale: 'Many contacts in a day can signal dependency, a crisis that needs escalation, or a documentation error.',
    source: S.policy,
    appliesTo: ['encounter'],
  },
  subject: 'peer-day',
  check(contacts, { policy }, emit) {
    for (const extra of contacts.slice(policy.workload.maxContactsPerPeerPerDay)) emit(extra.place, ['start']);
  },
};

/** The workload rules, in catalog order. */
export const WORKLOAD_RULES: readonly RecordRule[] = [caseloadOverLimit, outsideHours, contactTooFrequent];
