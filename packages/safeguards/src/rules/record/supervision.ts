/**
 * Supervision rules: a specialist below supervisor level meets their supervisor at least every
 * `policy.supervision.maxDaysBetween` days.
 */
import { daysBetween } from '@peerkit/model';
import { SOURCES as S } from '../sources';
import type { ExportRule, RecordRule } from './record-rule';

const overdue: ExportRule<'specialist'> = {
  definition: {
    id: 'supervision.overdue',
    category: 'supervision',
    severity: 'warning',
    title: 'Supervision is overdue',
    rationale: 'Peer specialists work under supervision; gaps leave boundary and crisis questions unsupported.',
    source: `${S.smdl}; ${S.icrcSupervision}; ${S.seedSupervision}; interval: ${S.policy}`,
    appliesTo: ['specialist'],
  },
  subject: 'specialist',
  applies: ({ record }) => record.active && record.roleLevel !== 'supervisor',
  check({ record, place }, { asOf, policy }, emit) {
    if (asOf === undefined) return;
    const dates = record.supervisionLog.map((e) => e.date).filter((d) => d <= asOf);
    const last = dates.length === 0 ? undefined : dates.reduce((a, b) => (a > b ? a : b));
    // A specialist never supervised counts from the day they were hired.
    const since = last ?? record.hired;
    if (since === undefined || daysBetween(since, asOf) > policy.supervision.maxDaysBetween) emit(place, ['supervisionLog']);
  },
};

/** The supervision rules, in catalog order. */
export const SUPERVISION_RULES: readonly RecordRule[] = [overdue];
