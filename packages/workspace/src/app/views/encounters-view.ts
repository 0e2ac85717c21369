/** Recent peer encounters: when, how, where, how long, what was done, and their labels. */
import { ACTIVITIES, labelOf, MODALITIES, SETTINGS, type PeerEncounter } from '@peerkit/model';
import type { Coding } from 'fhir/r4';
import { h } from '../dom';
import { isPart2 } from './labels';

/** How many encounters the view lists. */
export const RECENT_ENCOUNTERS = 5;

/**
 * The newest encounters as a table.
 *
 * @param encounters - newest first
 * @param labelsOf - the security labels of an encounter's resource
 */
export function encountersView(encounters: readonly PeerEncounter[], labelsOf: (e: PeerEncounter) => readonly Coding[]): HTMLElement {
  if (encounters.length === 0) return h('p', {}, 'No peer encounters recorded yet.');
  return h(
    'table',
    { class: 'encounters' },
    h('caption', {}, `The ${Math.min(RECENT_ENCOUNTERS, encounters.length)} most recent of ${encounters.length}`),
    h('thead', {}, h('tr', {}, ['Date', 'Modality', 'Setting', 'Minutes', 'Activities', 'Part 2'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      encounters.slice(0, RECENT_ENCOUNTERS).map((e) =>
        h(
          'tr',
          {},
          h('td', {}, e.start.slice(0, 10)),
          h('td', {}, labelOf(MODALITIES, e.modality) ?? e.modality),
          h('td', {}, labelOf(SETTINGS, e.setting) ?? e.setting),
          h('td', {}, e.durationMinutes ?? ''),
          h('td', {}, e.activities.map((a) => labelOf(ACTIVITIES, a) ?? a).join(', ')),
          h('td', {}, isPart2(labelsOf(e)) ? 'Yes (42 CFR Part 2)' : 'No'),
        ),
      ),
    ),
  );
}
