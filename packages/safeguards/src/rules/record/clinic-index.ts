/**
 * What the export-wide record rules look at, gathered as records are added: the records a rule may
 * look up by id, and the subjects (specialists, notes awaiting signature, completed contacts, a
 * peer's contacts per day, referrals) in export order. Memory grows with the records kept, not
 * with note text.
 */
import { covers, datePart, type ClinicRecord, type Consent, type Peer, type RecoveryPlan } from '@peerkit/model';
import { toMs } from '../../internal/dates';
import type { Policy } from '../policy';
import type { ClinicFacts, Contact, ExportSubjects, PlacedRecord, RecordPlace, SubjectKind, UnsignedNote } from './record-rule';

/** The records and subjects of a clinic export; built by {@link createClinicIndex}. */
export interface ClinicIndex {
  /** Adds a valid record. */
  add(record: ClinicRecord, place: RecordPlace): void;
  /** The latest local date of service seen; `undefined` when none. */
  latestDate(): string | undefined;
  /** The subjects of one kind, in export order. */
  subjects<S extends SubjectKind>(kind: S): Iterable<ExportSubjects[S]>;
  /** What the export says, judged at `asOf`. */
  facts(policy: Policy, asOf: string | undefined): ClinicFacts;
}

/**
 * Creates an empty index.
 *
 * @returns the index
 */
export function createClinicIndex(): ClinicIndex {
  let latest = '';
  const specialists = new Map<string, PlacedRecord<'specialist'>>();
  const peers = new Map<string, Peer>();
  const plans = new Map<string, RecoveryPlan[]>();
  const consents = new Map<string, Consent>();
  const part2Programs = new Map<string, boolean>();
  const referrals: PlacedRecord<'referral'>[] = [];
  const contacts: Contact[] = [];
  const unsigned: UnsignedNote[] = [];
  const peerDays = new Map<string, Contact[]>();

  const see = (value: string | undefined): void => {
    if (value !== undefined && datePart(value) > latest) latest = datePart(value);
  };

  const add = (record: ClinicRecord, place: RecordPlace): void => {
    switch (record.kind) {
      case 'encounter': {
        see(record.end ?? record.start);
        if (record.status !== 'completed') break;
        const contact: Contact = { place, peerId: record.peerId, specialistId: record.specialistId, date: datePart(record.start) };
        contacts.push(contact);
        const key = `${record.peerId}|${contact.date}`;
        const day = peerDays.get(key);
        if (day) day.push(contact);
        else peerDays.set(key, [contact]);
        if (record.note && record.note.signedAt === undefined) {
          unsigned.push({ place, path: ['note', 'signedAt'], endMs: toMs(record.end ?? record.start) });
        }
        break;
      }
      case 'group-session': {
        see(record.end);
        if (record.status !== 'completed') break;
        const endMs = toMs(record.end);
        record.attendees.forEach((a, i) => {
          if (a.note && a.note.signedAt === undefined) unsigned.push({ place, path: ['attendees', i, 'note', 'signedAt'], endMs });
        });
        if (record.groupNote && record.groupNote.signedAt === undefined) unsigned.push({ place, path: ['groupNote', 'signedAt'], endMs });
        break;
      }
      case 'specialist':
        specialists.set(record.id, { place, record });
        break;
      case 'peer':
        peers.set(record.id, record);
        break;
      case 'recovery-plan': {
        const list = plans.get(record.peerId);
        if (list) list.push(record);
        else plans.set(record.peerId, [record]);
        break;
      }
      case 'consent':
        consents.set(record.id, record);
        break;
      case 'referral':
        see(record.created);
        referrals.push({ place, record });
        break;
      case 'organization':
        for (const p of record.programs) part2Programs.set(p.id, p.part2);
        break;
    }
  };

  const store: { readonly [S in SubjectKind]: () => Iterable<ExportSubjects[S]> } = {
    specialist: () => specialists.values(),
    'unsigned-note': () => unsigned,
    contact: () => contacts,
    'peer-day': () => peerDays.values(),
    referral: () => referrals,
  };

  const facts = (policy: Policy, asOf: string | undefined): ClinicFacts => {
    let caseloads: Map<string, number> | undefined;
    const countCaseloads = (): Map<string, number> => {
      const counts = new Map<string, number>();
      if (asOf === undefined) return counts;
      for (const peer of peers.values()) {
        if (peer.primarySpecialistId === undefined || !peer.enrollments.some((e) => covers(asOf, e.start, e.end))) continue;
        counts.set(peer.primarySpecialistId, (counts.get(peer.primarySpecialistId) ?? 0) + 1);
      }
      return counts;
    };
    return {
      policy,
      asOf,
      specialist: (id) => specialists.get(id)?.record,
      peer: (id) => peers.get(id),
      plansOf: (peerId) => plans.get(peerId) ?? [],
      consent: (id) => consents.get(id),
      part2Program: (programId) => part2Programs.get(programId),
      caseload: (specialistId) => {
        caseloads ??= countCaseloads();
        return caseloads.get(specialistId) ?? 0;
      },
    };
  };

  return {
    add,
    latestDate: () => (latest === '' ? undefined : latest),
    subjects: (kind) => store[kind](),
    facts,
  };
}
