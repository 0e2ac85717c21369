/**
 * Record rules: credentials, supervision, workload and documentation over specialists, peers,
 * plans, encounters, group sessions, consents and referrals. Pure functions of compact record
 * summaries and the as-of date; `check-clinic.ts` feeds them.
 */
import type { Certification, ContinuingEducation, Specialist } from '@peerkit/model';

const DAY = 86_400_000;

/** Milliseconds of a `YYYY-MM-DD` date (UTC midnight) or an ISO date-time. */
export function toMs(value: string): number {
  return value.length === 10 ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
}

/** The calendar date as written (local to the record), `YYYY-MM-DD`. */
export function localDate(value: string): string {
  return value.slice(0, 10);
}

/** Minutes after local midnight as written, from an ISO date-time (`…T14:30…` → 870). */
export function localMinutes(value: string): number {
  const m = /T(\d{2}):(\d{2})/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/** Day of the week (0 = Sunday) of a `YYYY-MM-DD` date. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** `HH:MM` as minutes after midnight. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

const isCertification = (c: Certification): boolean => c.credential !== 'training-completed';

/** `true` when a certification is in force on `date` (`YYYY-MM-DD`). */
export function certificationValid(c: Certification, date: string): boolean {
  return c.issued <= date && (c.expires === undefined || date <= c.expires);
}

/** The certification state of a specialist on a date. */
export type CredentialState = 'valid' | 'lapsed' | 'never';

/** Whether a specialist held a certification on `date`: in force, lapsed (had one, none now), or never. */
export function credentialState(s: Specialist, date: string): CredentialState {
  const certs = s.certifications.filter(isCertification);
  if (certs.some((c) => certificationValid(c, date))) return 'valid';
  return certs.some((c) => c.issued <= date) ? 'lapsed' : 'never';
}

/**
 * Indexes of certifications that expired before `date` with no certification of the same credential
 * in force on `date`: all of them when the specialist holds no certification at all, else those
 * that lapsed within `withinDays`.
 */
export function lapsedCertifications(s: Specialist, date: string, withinDays: number): number[] {
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
export function expiringSoon(s: Specialist, date: string, days: number): number {
  const horizon = new Date(toMs(date) + days * DAY).toISOString().slice(0, 10);
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

/** Continuing-education hours (all, ethics) in the window ending on `date`. */
export function educationHours(entries: readonly ContinuingEducation[], windowStart: string, date: string): { total: number; ethics: number } {
  let total = 0;
  let ethics = 0;
  for (const e of entries) {
    if (e.date <= windowStart || e.date > date) continue;
    total += e.hours;
    if (e.ethics) ethics += e.hours;
  }
  return { total, ethics };
}

/** The date `months` months before `date` (`YYYY-MM-DD`). */
export function monthsBefore(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** Days between two `YYYY-MM-DD` dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toMs(b) - toMs(a)) / DAY);
}
