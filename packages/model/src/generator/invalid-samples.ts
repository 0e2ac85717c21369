/**
 * Deliberately invalid NDJSON lines, each with the issue codes a validator must report.
 */
import type { ProgramType } from '../codes';
import { Random } from '../internal/random';
import type { IssueCode } from '../issue-codes';
import type { ClinicRecord } from '../record';
import { DAY, type Clock } from './clock';
import type { Ctx, SpecInfo } from './context';
import { pad } from './names-and-places';
import type { InvalidSample } from './options';

type BrokenKind =
  | 'invalid-json'
  | 'not-object'
  | 'missing-kind'
  | 'unknown-kind'
  | 'missing-required'
  | 'wrong-type'
  | 'bad-enum'
  | 'bad-date'
  | 'unknown-field'
  | 'end-before-start'
  | 'minutes-exceed-session'
  | 'expiry-before-signature'
  | 'revocation-missing'
  | 'duplicate-id';

const BROKEN_KINDS: readonly BrokenKind[] = [
  'invalid-json', 'not-object', 'missing-kind', 'unknown-kind', 'missing-required', 'wrong-type', 'bad-enum',
  'bad-date', 'unknown-field', 'end-before-start', 'minutes-exceed-session', 'expiry-before-signature',
  'revocation-missing', 'duplicate-id',
];

interface Templates {
  peerId: string;
  specialistId: string;
  programId: string;
  programType: ProgramType;
  startMinute: number;
}

function templateEncounter(t: Templates, clock: Clock, id: string): Record<string, unknown> {
  return {
    kind: 'encounter',
    id,
    peerId: t.peerId,
    specialistId: t.specialistId,
    programId: t.programId,
    programType: t.programType,
    status: 'completed',
    start: clock.dateTime(t.startMinute),
    end: clock.dateTime(t.startMinute + 45),
    durationMinutes: 45,
    modality: 'in-person',
    setting: 'clinic',
    activities: ['emotional-support'],
    note: {
      text: 'Met in the peer support office. Peer said the visit helped.',
      signedAt: clock.dateTime(t.startMinute + 60),
      signedBy: t.specialistId,
    },
  };
}

function templatePeer(t: Templates, clock: Clock, id: string): Record<string, unknown> {
  return {
    kind: 'peer',
    id,
    patient: { reference: `Patient/ehr-${id}` },
    birthDate: clock.date(clock.startDay - 12000),
    enrollments: [{ programId: t.programId, programType: t.programType, start: clock.date(clock.startDay - 30) }],
  };
}

function templateConsent(t: Templates, clock: Clock, id: string): Record<string, unknown> {
  const signedDay = clock.startDay - 20;
  return {
    kind: 'consent',
    id,
    peerId: t.peerId,
    consentKind: 'part2-tpo',
    status: 'active',
    recipients: [{ type: 'general-designation', description: 'My treating providers' }],
    purposes: ['treatment', 'payment', 'operations'],
    period: { start: clock.date(signedDay) },
    expiration: { date: clock.date(signedDay + 365) },
    rightToRevokeStatement: true,
    redisclosureNotice: true,
    signature: { signer: 'peer', signedAt: clock.dateTime(signedDay * DAY + 600), method: 'electronic' },
  };
}

function templateGroup(t: Templates, clock: Clock, id: string): Record<string, unknown> {
  return {
    kind: 'group-session',
    id,
    programId: t.programId,
    programType: t.programType,
    facilitatorIds: [t.specialistId],
    topic: 'coping-skills',
    status: 'completed',
    start: clock.dateTime(t.startMinute),
    end: clock.dateTime(t.startMinute + 90),
    modality: 'in-person',
    setting: 'recovery-center',
    attendees: [
      {
        peerId: t.peerId,
        attendance: 'present',
        minutesPresent: 90,
        note: { text: 'Peer participated actively.', signedAt: clock.dateTime(t.startMinute + 120), signedBy: t.specialistId },
      },
    ],
  };
}

function brokenSample(
  ctx: Ctx,
  rng: Random,
  kind: BrokenKind,
  n: number,
  records: readonly ClinicRecord[],
  afterIndex: number,
): InvalidSample {
  const { clock } = ctx;
  const firstPeer = ctx.peers[0];
  const t: Templates = {
    peerId: firstPeer?.id ?? 'peer-00000',
    specialistId: (ctx.specs[0] as SpecInfo).id,
    programId: firstPeer?.program.id ?? 'prog-mh',
    programType: firstPeer?.program.type ?? 'mental-health',
    startMinute: (clock.startDay + rng.int(0, clock.endDay - clock.startDay)) * DAY + 10 * 60,
  };
  const badId = (prefix: string): string => `${prefix}-invalid-${pad(n + 1, 4)}`;
  const sample = (expected: IssueCode, description: string, value: unknown): InvalidSample => ({
    afterIndex,
    text: typeof value === 'string' ? value : JSON.stringify(value),
    expectedCodes: [expected],
    description,
  });

  switch (kind) {
    case 'invalid-json': {
      const text = JSON.stringify(templateEncounter(t, clock, badId('enc')));
      const cut = text.slice(0, Math.floor(text.length / 2));
      return sample('record.invalid-json', 'line is not valid JSON (a record cut off halfway)', cut);
    }
    case 'not-object': {
      const forms: readonly [string, string][] = [
        ['[{"kind":"peer"}]', 'line is a JSON array, not an object'],
        ['42', 'line is a JSON number, not an object'],
        ['"encounter"', 'line is a JSON string, not an object'],
        ['null', 'line is JSON null, not an object'],
      ];
      const [text, description] = forms[Math.floor(n / BROKEN_KINDS.length) % forms.length] as [string, string];
      return sample('record.not-object', description, text);
    }
    case 'missing-kind': {
      const { kind: _kind, ...rest } = templatePeer(t, clock, badId('peer'));
      return sample('record.missing-kind', 'record has no kind field', rest);
    }
    case 'unknown-kind':
      return sample('record.unknown-kind', 'record kind is not a PeerKit record kind', {
        ...templatePeer(t, clock, badId('appt')),
        kind: 'appointment',
      });
    case 'missing-required': {
      const { peerId: _peerId, ...rest } = templateEncounter(t, clock, badId('enc'));
      return sample('schema.required', 'encounter is missing its required peerId field', rest);
    }
    case 'wrong-type':
      return sample('schema.invalid-type', 'encounter durationMinutes is a string, not a number', {
        ...templateEncounter(t, clock, badId('enc')),
        durationMinutes: '45',
      });
    case 'bad-enum':
      return sample('schema.invalid-value', 'encounter modality is not one of the modality codes', {
        ...templateEncounter(t, clock, badId('enc')),
        modality: 'in_person',
      });
    case 'bad-date':
      return sample('schema.invalid-format', 'peer birthDate is not in YYYY-MM-DD format', {
        ...templatePeer(t, clock, badId('peer')),
        birthDate: '03/15/1990',
      });
    case 'unknown-field':
      return sample('schema.unknown-field', 'encounter has a field its schema does not define', {
        ...templateEncounter(t, clock, badId('enc')),
        billingCode: 'H0038',
      });
    case 'end-before-start': {
      const value = templateEncounter(t, clock, badId('enc'));
      value.end = clock.dateTime(t.startMinute - 30);
      delete value.durationMinutes;
      return sample('encounter.end-before-start', 'encounter end is before its start', value);
    }
    case 'minutes-exceed-session': {
      const value = templateGroup(t, clock, badId('grp'));
      const attendees = value.attendees as Record<string, unknown>[];
      if (attendees[0]) attendees[0].minutesPresent = 105;
      return sample('group.minutes-exceed-session', "group attendee minutesPresent is above the session's length", value);
    }
    case 'expiry-before-signature': {
      const value = templateConsent(t, clock, badId('consent'));
      value.expiration = { date: clock.date(clock.startDay - 30) };
      return sample('consent.expiry-before-signature', 'consent expiration.date is before the date signed', value);
    }
    case 'revocation-missing':
      return sample('consent.revocation-missing', 'revoked consent has no revocation', {
        ...templateConsent(t, clock, badId('consent')),
        status: 'revoked',
      });
    case 'duplicate-id': {
      // A valid record repeated: parseRecord accepts it; createClinicExportReport reports the repeat.
      const from = afterIndex >= 1 ? rng.int(1, afterIndex) : 0;
      return sample(
        'record.duplicate-id',
        'record repeats the id of an earlier record of the same kind (reported by createClinicExportReport, not parseRecord)',
        records[from] ?? records[0],
      );
    }
  }
}

/** The invalid lines asked for, one broken kind after another, spread over the records (own random stream). */
export function buildInvalidSamples(ctx: Ctx, records: readonly ClinicRecord[]): InvalidSample[] {
  const rng = new Random(ctx.o.seed, 1);
  const samples: InvalidSample[] = [];
  const count = ctx.o.invalid;
  for (let n = 0; n < count; n++) {
    const kind = BROKEN_KINDS[n % BROKEN_KINDS.length] as BrokenKind;
    let afterIndex = Math.floor(((n + 1) * records.length) / (count + 1)) - 1;
    // A duplicate must come after the record it repeats.
    if (kind === 'duplicate-id') afterIndex = Math.max(0, afterIndex);
    samples.push(brokenSample(ctx, rng, kind, n, records, afterIndex));
  }
  return samples;
}
