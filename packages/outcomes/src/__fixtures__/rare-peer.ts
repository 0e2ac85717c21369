/** Test fixture: a rare combination planted in a generated clinic, for the de-identification tests. */
import type { ClinicRecord, GroupSession, PeerEncounter } from '@peerkit/model';

/** A peer whose only contact is the program's one audio-only contact from a jail: a rare combination. */
export function withRarePeer(records: readonly ClinicRecord[]): ClinicRecord[] {
  const template = records.find((r): r is PeerEncounter => r.kind === 'encounter' && r.status === 'completed');
  const peer = records.find((r) => r.kind === 'peer');
  if (!template || !peer || peer.kind !== 'peer') throw new Error('fixture');
  const rare: ClinicRecord[] = [
    { ...peer, id: 'peer-rare-zz', patient: { reference: 'Patient/ehr-rare-zz' } },
    {
      ...template,
      id: 'enc-rare-zz',
      peerId: 'peer-rare-zz',
      setting: 'correctional',
      modality: 'audio-only',
      note: { text: 'Zebediah Quillfeather talked about release planning.' },
    },
  ];
  // The rest of the program never meets in a correctional setting.
  const others = records.map((r) => (r.kind === 'encounter' && r.setting === 'correctional' ? { ...r, setting: 'community' as const } : r));
  return [...others.map((r) => (r.kind === 'group-session' && r.setting === 'correctional' ? ({ ...r, setting: 'community' } as GroupSession) : r)), ...rare];
}
