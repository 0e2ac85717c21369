/** The billing preview: code, modifiers, units, billable or held and why. */
import { h, replaceChildren } from '../dom';
import type { BillingPreview } from '../encounter-draft';

const NOT_BILLED: Readonly<Record<string, string>> = {
  'no-coverage': 'Not billed: the peer has no coverage on the date of service.',
  'no-pack': 'Not billed: the payer has no pack.',
  'unknown-peer': 'Not billed: the patient has no peer record.',
};

/** Renders a preview, or why there is none yet (`missing`: what the form still needs). */
export function renderBilling(target: HTMLElement, preview: BillingPreview | undefined, missing?: string): void {
  if (!preview) {
    replaceChildren(target, h('p', { class: 'muted' }, missing ?? 'Fill in the encounter to see the billing preview.'));
    return;
  }
  const { line, notBilled } = preview;
  if (!line) {
    replaceChildren(target, h('p', { class: 'status-warn' }, notBilled ? (NOT_BILLED[notBilled.reason] ?? notBilled.reason) : 'This pack bills nothing for this encounter.'));
    return;
  }
  const holds = line.findings.filter((f) => f.severity === 'error');
  const warnings = line.findings.filter((f) => f.severity !== 'error');
  replaceChildren(
    target,
    h(
      'dl',
      { class: 'billing' },
      h('dt', {}, 'Code'),
      h('dd', { 'data-field': 'code' }, `${line.code} — ${line.display}`),
      h('dt', {}, 'Modifiers'),
      h('dd', { 'data-field': 'modifiers' }, line.modifiers.length === 0 ? 'None' : line.modifiers.join(', ')),
      h('dt', {}, 'Units'),
      h('dd', { 'data-field': 'units' }, String(line.units)),
      h('dt', {}, 'Place of service'),
      h('dd', {}, line.placeOfService),
      h('dt', {}, 'Status'),
      h('dd', { 'data-field': 'status', class: line.status === 'held' ? 'status-warn' : 'status-ok' }, line.status === 'held' ? 'Held' : 'Billable'),
    ),
    holds.length === 0 ? null : [h('p', {}, 'Held because:'), h('ul', { class: 'holds' }, holds.map((f) => h('li', {}, `${f.check}: ${f.message}`)))],
    warnings.length === 0 ? null : [h('p', {}, 'To confirm before submitting:'), h('ul', {}, warnings.map((f) => h('li', {}, `${f.check}: ${f.message}`)))],
  );
}
