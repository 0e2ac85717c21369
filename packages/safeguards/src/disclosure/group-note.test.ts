import fc from 'fast-check';
import { generateClinic, type GroupSession } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { createGroupNoteCopy } from './group-note';

const note = (text: string) => ({ text, signedAt: '2026-03-02T18:00:00-05:00', signedBy: 'spec-1' });

const session: GroupSession = {
  kind: 'group-session',
  id: 'grp-1',
  programId: 'prog-sud',
  programType: 'substance-use',
  facilitatorIds: ['spec-1'],
  topic: 'coping-skills',
  status: 'completed',
  start: '2026-03-02T17:00:00-05:00',
  end: '2026-03-02T18:00:00-05:00',
  modality: 'in-person',
  setting: 'recovery-center',
  attendees: [
    { peerId: 'peer-0001', attendance: 'present', minutesPresent: 60, note: note('Peer and group member Jordan Quill plan to carpool. Dana said hello to peer-0002.') },
    { peerId: 'peer-0002', attendance: 'present', minutesPresent: 60, note: note('Peer shared a strategy that helps them.') },
    { peerId: 'peer-0003', attendance: 'absent' },
  ],
  groupNote: note('Members practiced grounding; Jordan Quill led the closing round with Dana.'),
};

describe('createGroupNoteCopy', () => {
  it('keeps the group note and the peer own note, without other members', () => {
    const copy = createGroupNoteCopy(session, 'peer-0001', { memberNames: { 'peer-0001': ['Dana'], 'peer-0002': ['Jordan Quill'] } });
    expect(copy.ok && copy.value.text).toBe(
      'Members practiced grounding; another group member led the closing round with Dana.\n\n' +
        'Peer and group member another group member plan to carpool. Dana said hello to another group member.',
    );
    expect(copy.ok && copy.value.redactions).toBe(3);
  });

  it("never includes another attendee's own note", () => {
    const copy = createGroupNoteCopy(session, 'peer-0002');
    expect(copy.ok && copy.value.text).not.toMatch(/carpool/);
    expect(copy.ok && copy.value.text).toMatch(/strategy that helps them/);
  });

  it('refuses a peer who did not attend', () => {
    const copy = createGroupNoteCopy(session, 'peer-9999');
    expect(copy.ok).toBe(false);
    expect(copy.issues[0]?.code).toBe('group.not-an-attendee');
  });

  it("never names or identifies another attendee in a peer's copy (generated groups)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const clinic = generateClinic({ seed, peers: 40, weeks: 3 });
        for (const record of clinic.records) {
          if (record.kind !== 'group-session') continue;
          for (const attendee of record.attendees) {
            const copy = createGroupNoteCopy(record, attendee.peerId);
            if (!copy.ok) throw new Error('attendee');
            for (const other of record.attendees) {
              if (other.peerId !== attendee.peerId) expect(copy.value.text).not.toContain(other.peerId);
            }
            expect(copy.value.text).not.toMatch(/group member [A-Z][a-z]+ [A-Z][a-z]+/);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('removes names the host knows and names in relationship phrases (random names)', () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{3,9}$/).filter((n) => !['Peer', 'Group', 'Member', 'Members', 'Dana'].includes(n));
    const template = fc.constantFrom(
      (n: string) => `Peer offered support to group member ${n} after the check-in.`,
      (n: string) => `${n} and peer swapped phone numbers.`,
      (n: string) => `Peer said ${n} was kind to them today.`,
    );
    fc.assert(
      fc.property(name, name, template, (given, family, write) => {
        const full = `${given} ${family}`;
        const s: GroupSession = {
          ...session,
          attendees: [
            { peerId: 'peer-0001', attendance: 'present', minutesPresent: 60, note: note(write(full)) },
            { peerId: 'peer-0002', attendance: 'present', minutesPresent: 60, note: note(write(given)) },
          ],
          groupNote: note(`Members shared. ${write(given)}`),
        };
        const copy = createGroupNoteCopy(s, 'peer-0001', { memberNames: { 'peer-0002': [full, given] } });
        expect(copy.ok && copy.value.text).not.toMatch(new RegExp(`\\b(${given}|${family})\\b`));
      }),
    );
  });
});
