/** Security labels (`meta.security`) as the workspace shows them: code and meaning, Part 2 marked. */
import type { Coding } from 'fhir/r4';
import { h } from '../dom';

/** `true` when the labels say 42 CFR Part 2 (the policy tag, or confidentiality R with the Part 2 basis). */
export function isPart2(labels: readonly Coding[]): boolean {
  return labels.some((l) => l.code === '42CFRPart2' || (l.extension ?? []).some((x) => x.valueCoding?.code === '42CFRPart2'));
}

/** The labels as a list of badges; "No security labels" when there are none. */
export function labelList(labels: readonly Coding[], name: string): HTMLElement {
  if (labels.length === 0) return h('p', { class: 'muted' }, 'No security labels');
  return h(
    'ul',
    { class: 'labels', 'aria-label': name },
    labels.map((l) => h('li', { class: l.code === '42CFRPart2' || l.code === 'R' ? 'label label-strong' : 'label' }, h('abbr', { title: l.display ?? '' }, l.code ?? '?'), l.display ? ` ${l.display}` : '')),
  );
}
