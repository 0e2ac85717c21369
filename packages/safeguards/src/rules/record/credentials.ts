/**
 * Credential rules: a certified specialist holds a current certification, renews it before it
 * lapses, keeps up continuing education, and serves only while certified. Trainees (not yet
 * certified) are exempt.
 */
import { addDays, addMonths, covers, daysBetween, type Certification, type ContinuingEducation, type Specialist } from '@peerkit/model';
import { SOURCES as S } from '../sources';
import type { ExportRule, PlacedRecord, RecordRule } from './record-rule';

const isCertification = (c: Certification): boolean => c.credential !== 'training-completed';

/** `true` when a certification is in force on `date` (`YYYY-MM-DD`). */
function certificationValid(c: Certification, date: string): boolean {
  return covers(date, c.issued, c.expires);
}

/** Whether a specialist held a certification on `date`: in force, lapsed (had one, none now), or never. */
function credentialState(s: Specialist, date: string): 'valid' | 'lapsed' | 'never' {
  const certs = s.certifications.filter(isCertification);
  if (certs.some((c) => certificationValid(c, date))) return 'valid';
  return certs.some((c) => c.issued <= date) ? 'lapsed' : 'never';
}

/**
 * Indexes of certifications that expired before `date` with no certification of the same credential
 * in force on `date`: all of them when the specialist holds no certification at all, else those
 * that lapsed within `withinDays`.
 */
function lapsedCertifications(s: Specialist, date: string, withinDays: number): number[] {
  const none = credentialState(s, date) === 'lapsed';
  const out: number[] = [];
  s.certifications.forEach((c, i) => {
    if (!isCertification(c) || c.expires === undefined || c.expires >= date) return;
    const renewed = s.certifications.some((o) => o !== c && o.credential === c.credential && isCertification(o) && certificationValid(o, date));
    if (renewed) return;
    if (none || daysBetween(c.expires, date) <= withinDays) out.push(i);
  });
  return out;
}

/** Index of a certification in force on `date` that expires within `days` and has no later renewal. */
function expiringSoon(s: Specialist, date: string, days: number): number {
  const horizon = addDays(date, days);
  const certs = s.certifications;
  return certs.findIndex(
    (c) =>
      isCertification(c) &&
      certificationValid(c, date) &&
      c.expires !== undefined &&
      c.expires <= horizon &&
      !certs.some((o) => o !== c && o.credential === c.credential && isCertification(o) && (o.expires === undefined || o.expires > (c.expires ?? ''))),
  );
}

/** Continuing-education hours (all, ethics) in the window `(windowStart, date]`. */
function educationHours(entries: readonly ContinuingEducation[], windowStart: string, date: string): { total: number; ethics: number } {
  let total = 0;
  let ethics = 0;
  for (const e of entries) {
    if (e.date <= windowStart || e.date > date) continue;
    total += e.hours;
    if (e.ethics) ethics += e.hours;
  }
  return { total, ethics };
}

const certifiedAndActive = ({ record }: PlacedRecord<'specialist'>): boolean => record.active && record.roleLevel !== 'trainee';

const expired: ExportRule<'specialist'> = {
  definition: {
    id: 'credential.expired',
    category: 'credential',
    severity: 'error',
    title: 'Certification expired and not renewed',
    rationale: 'Certified specialists must hold a current certification to practice and bill; a lapsed credential also narrows which programs they may serve.',
    source: `${S.smdl}; ${S.seedCe}; look-back for a lapse next to a current certification: ${S.policy}`,
    appliesTo: ['specialist'],
  },
  subject: 'specialist',
  applies: certifiedAndActive,
  check({ record, place }, { asOf, policy }, emit) {
    if (asOf === undefined) return;
    for (const i of lapsedCertifications(record, asOf, policy.credential.lapsedWithinDays)) emit(place, ['certifications', i, 'expires']);
  },
};

const expiring: ExportRule<'specialist'> = {
  definition: {
    id: 'credential.expiring',
    category: 'credential',
    severity: 'warning',
    title: 'Certification expires soon',
    rationale: 'Renewal takes time; a lapse stops billable service.',
    source: `${S.smdl}; warning window: ${S.policy}`,
    appliesTo: ['specialist'],
  },
  subject: 'specialist',
  applies: certifiedAndActive,
  check({ record, place }, { asOf, policy }, emit) {
    if (asOf === undefined) return;
    const soon = expiringSoon(record, asOf, policy.credential.expiringWithinDays);
    if (soon !== -1) emit(place, ['certifications', soon, 'expires']);
  },
};

const serviceWhileExpired: ExportRule<'contact'> = {
  definition: {
    id: 'credential.service-while-expired',
    category: 'credential',
    severity: 'error',
    title: 'Service delivered while the certification had lapsed',
    rationale: 'Contacts by a specialist without a current certification may not be billable as certified peer support.',
    source: S.smdl,
    appliesTo: ['encounter'],
  },
  subject: 'contact',
  check(contact, facts, emit) {
    const specialist = facts.specialist(contact.specialistId);
    if (specialist && specialist.roleLevel !== 'trainee' && credentialState(specialist, contact.date) === 'lapsed') {
      emit(contact.place, ['specialistId']);
    }
  },
};

const ceShort: ExportRule<'specialist'> = {
  definition: {
    id: 'credential.ce-short',
    category: 'credential',
    severity: 'warning',
    title: 'Continuing-education hours short for the renewal window',
    rationale: 'Certification boards require continuing education, often including ethics, to renew.',
    source: `${S.seedCe}; hours and window: ${S.policy} (state boards differ)`,
    appliesTo: ['specialist'],
  },
  subject: 'specialist',
  applies: certifiedAndActive,
  check({ record, place }, { asOf, policy }, emit) {
    if (asOf === undefined) return;
    const windowStart = addMonths(asOf, -policy.credential.ceWindowMonths);
    // Only a specialist certified for the whole window owes its hours.
    if (!record.certifications.some((c) => isCertification(c) && c.issued <= windowStart)) return;
    const hours = educationHours(record.continuingEducation, windowStart, asOf);
    if (hours.total < policy.credential.ceHoursRequired || hours.ethics < policy.credential.ceEthicsHoursRequired) {
      emit(place, ['continuingEducation']);
    }
  },
};

/** The credential rules, in catalog order. */
export const CREDENTIAL_RULES: readonly RecordRule[] = [expired, expiring, serviceWhileExpired, ceShort];
