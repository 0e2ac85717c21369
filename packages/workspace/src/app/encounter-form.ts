/**
 * The "record an encounter" form: fields for every part of the encounter (labels on each, groups in
 * fieldsets), the note linter running as the specialist types (debounced, results in a live region),
 * the billing preview under a chosen payer pack, the labels the saved resources will carry, and the
 * save through the library.
 */
import { getPayerPack, PAYER_PACKS } from '@peerkit/billing';
import { ACTIVITIES, labelOf, MODALITIES, PROGRAM_TYPES, SETTINGS, peerEncounterSchema, type Issue } from '@peerkit/model';
import type { Finding } from '@peerkit/safeguards';
import { byId, h, replaceChildren } from './dom';
import { currentPlan, labelsOf, previewBilling, toEncounterCandidate, toEncounterResources, type DraftContext, type EncounterFormValues } from './encounter-draft';
import type { PatientRecord } from './load-patient';
import { loadSafeguards, type SafeguardsModule } from './safeguards';
import { saveEncounter, type FhirWriter, type SavedEncounter } from './save-encounter';
import { renderBilling } from './views/billing-view';
import { labelList } from './views/labels';
import { renderLint } from './views/lint-view';

/** How long the form waits after the last keystroke before linting and re-billing (ms). */
export const LINT_DEBOUNCE_MS = 250;

/** Which form field an issue path points at (its element id and its label). */
const FIELD_OF: Readonly<Record<string, { id: string; label: string }>> = {
  programId: { id: 'f-program', label: 'Program' },
  programType: { id: 'f-program', label: 'Program' },
  start: { id: 'f-date', label: 'Date and start time' },
  end: { id: 'f-minutes', label: 'Minutes' },
  durationMinutes: { id: 'f-minutes', label: 'Minutes' },
  modality: { id: 'f-modality', label: 'Modality' },
  setting: { id: 'f-setting', label: 'Setting' },
  activities: { id: 'activities-legend', label: 'Activities' },
  goalIds: { id: 'goals-legend', label: 'Goals addressed' },
  planId: { id: 'goals-legend', label: 'Goals addressed' },
  note: { id: 'f-note', label: 'Progress note' },
  specialistId: { id: 'f-note', label: 'Signed-in specialist' },
  peerId: { id: 'f-program', label: 'Peer enrollment' },
};

/** What the form needs from the page. */
export interface EncounterFormOptions {
  readonly record: PatientRecord;
  readonly writer: FhirWriter;
  /** What a new encounter is made with besides the record (a new id, the clock, the time zone), taken each time. */
  readonly context: () => Omit<DraftContext, 'record'>;
  /** The payer pack preselected when the peer's coverage names none PeerKit has. */
  readonly defaultPackId: string;
  /** Called after a save, with what was written. */
  readonly onSaved: (saved: SavedEncounter) => void;
}

const select = (id: string, label: string, name: string, options: readonly { code: string; label: string }[], value?: string): HTMLElement =>
  h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name, required: true }, options.map((o) => h('option', { value: o.code, selected: o.code === value }, o.label))),
  );

const input = (id: string, label: string, attributes: Record<string, string | number | boolean>): HTMLElement =>
  h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, ...attributes }));

function checkboxes(name: string, legend: string, legendId: string, options: readonly { code: string; label: string }[]): HTMLElement {
  return h(
    'fieldset',
    { class: 'checks' },
    h('legend', { id: legendId, tabindex: -1 }, legend),
    options.length === 0 ? h('p', { class: 'muted' }, 'None to choose from.') : null,
    options.map((o, i) => h('div', { class: 'check' }, h('input', { type: 'checkbox', id: `${name}-${i}`, name, value: o.code }), h('label', { for: `${name}-${i}` }, o.label))),
  );
}

const today = (now: string): string => now.slice(0, 10);

/** The default start of a new encounter: an hour before `now` (local, to 5 minutes), as `[date, time]`. */
export function defaultStart(now: string): [string, string] {
  const [date = '', time = '00:00'] = now.split('T');
  const [hh = 0, mm = 0] = time.slice(0, 5).split(':').map(Number);
  const minutes = Math.max(0, hh * 60 + mm - 60);
  const rounded = minutes - (minutes % 5);
  return [date, `${String(Math.floor(rounded / 60)).padStart(2, '0')}:${String(rounded % 60).padStart(2, '0')}`];
}

/** Builds the form into `container` and wires it. */
export function mountEncounterForm(container: HTMLElement, options: EncounterFormOptions): void {
  // The record grows with each saved encounter, so the billing preview counts them (caps, MUE).
  let record = options.record;
  const context = (): DraftContext => ({ ...options.context(), record });
  const peer = record.peer;
  if (!peer || record.specialistId === undefined) {
    replaceChildren(
      container,
      h('p', { class: 'status-warn' }, !peer ? 'This patient has no peer support enrollment in PeerKit: an encounter cannot be recorded here.' : 'The launch did not say which specialist is signed in: an encounter cannot be recorded here.'),
    );
    return;
  }
  const plan = currentPlan(record);
  const context0 = context();
  const coveragePack = peer.coverage.map((c) => getPayerPack(c.payerId)).find((p) => p !== undefined);
  const [startDate, startTime] = defaultStart(context0.now);
  const programs = peer.enrollments.filter((e) => e.end === undefined || e.end >= today(context0.now));
  const form = h(
    'form',
    { id: 'encounter-form', novalidate: true, 'aria-describedby': 'form-help' },
    h('p', { id: 'form-help' }, 'Every field is needed for a completed encounter. Saving signs the note as you.'),
    h('div', { id: 'form-errors', class: 'error-summary', tabindex: -1, hidden: true }),
    select(
      'f-program',
      'Program',
      'programId',
      (programs.length > 0 ? programs : peer.enrollments).map((e) => ({ code: e.programId, label: `${e.programId} (${labelOf(PROGRAM_TYPES, e.programType) ?? e.programType})` })),
    ),
    h(
      'div',
      { class: 'field-row' },
      input('f-date', 'Date', { type: 'date', name: 'date', required: true, value: startDate }),
      input('f-start', 'Start time', { type: 'time', name: 'startTime', required: true, value: startTime }),
      input('f-minutes', 'Minutes of service', { type: 'number', name: 'minutes', min: 1, max: 1440, step: 1, inputmode: 'numeric', required: true }),
    ),
    h('div', { class: 'field-row' }, select('f-modality', 'Modality', 'modality', MODALITIES, 'in-person'), select('f-setting', 'Setting', 'setting', SETTINGS, 'community')),
    checkboxes('activities', 'Activities', 'activities-legend', ACTIVITIES),
    checkboxes('goals', plan ? 'Goals addressed (from the recovery plan)' : 'Goals addressed (no recovery plan on file)', 'goals-legend', (plan?.goals ?? []).map((g) => ({ code: g.id, label: g.text }))),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'f-note' }, 'Progress note'),
      h('textarea', { id: 'f-note', name: 'note', rows: 6, required: true, 'aria-describedby': 'note-help' }),
      h('p', { id: 'note-help', class: 'muted' }, 'Write what the peer did and said, and the support you gave. The note linter checks it as you type.'),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'lint-heading' },
      h('h3', { id: 'lint-heading' }, 'Note linter'),
      h('div', { id: 'lint-results', role: 'status' }),
      h('div', { id: 'lint-marked' }),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'billing-heading' },
      h('h3', { id: 'billing-heading' }, 'Billing preview'),
      select('f-pack', 'Payer pack', 'pack', PAYER_PACKS.map((p) => ({ code: p.id, label: p.name })), coveragePack?.id ?? options.defaultPackId),
      h('div', { id: 'billing-preview', role: 'status' }),
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'labels-heading' }, h('h3', { id: 'labels-heading' }, 'Saved with these security labels'), h('div', { id: 'labels-preview' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save' }, 'Save encounter')),
    h('p', { id: 'save-status', role: 'status' }),
  );
  replaceChildren(container, form);

  const valueOf = (id: string): string => byId<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(id).value;
  const checked = (name: string): string[] =>
    Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`), (c) => c.value);
  const values = (): EncounterFormValues => {
    const minutes = valueOf('f-minutes');
    return {
      programId: valueOf('f-program'),
      date: valueOf('f-date'),
      startTime: valueOf('f-start'),
      minutes: /^\d+$/.test(minutes) ? Number(minutes) : undefined,
      modality: valueOf('f-modality'),
      setting: valueOf('f-setting'),
      activities: checked('activities'),
      goalIds: checked('goals'),
      note: valueOf('f-note'),
    };
  };

  let findings: readonly Finding[] = [];
  let safeguards: SafeguardsModule | undefined;
  const refresh = (): void => {
    const current = values();
    if (safeguards) {
      findings = safeguards.lintNote(current.note);
      renderLint(byId('lint-results'), byId('lint-marked'), current.note, findings);
    } else {
      replaceChildren(byId('lint-results'), h('p', {}, 'Loading the note linter…'));
    }
    // The preview needs a schema-valid encounter; the note may still be empty, so a placeholder stands in for it.
    const candidate = toEncounterCandidate({ ...current, note: current.note.trim() === '' ? '-' : current.note }, context());
    const parsed = peerEncounterSchema.safeParse(candidate);
    const pack = getPayerPack(valueOf('f-pack'));
    if (!parsed.success || !pack) {
      const fields = [...new Set(parsed.error?.issues.map((i) => FIELD_OF[String(i.path[0])]?.label ?? String(i.path[0])) ?? [])];
      renderBilling(byId('billing-preview'), undefined, `To see the billing preview, fill in: ${fields.join(', ')}.`);
      replaceChildren(byId('labels-preview'), h('p', { class: 'muted' }, 'Shown once the encounter is filled in.'));
      return;
    }
    if (current.minutes === undefined) renderBilling(byId('billing-preview'), undefined, 'Enter the minutes of service to see the billing preview.');
    else renderBilling(byId('billing-preview'), previewBilling(parsed.data, record, pack));
    const mapped = toEncounterResources(parsed.data, record);
    replaceChildren(byId('labels-preview'), mapped.ok ? labelList(labelsOf(mapped.value), 'Security labels of the new encounter') : h('p', {}, mapped.issues[0]?.message ?? ''));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(refresh, LINT_DEBOUNCE_MS);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  refresh();
  const linterReady = loadSafeguards().then((loaded) => {
    safeguards = loaded;
    refresh();
  });

  const errors = byId('form-errors');
  const showIssues = (issues: readonly Issue[], heading: string): void => {
    replaceChildren(
      errors,
      h('h3', {}, heading),
      h(
        'ul',
        {},
        issues.map((i) => {
          const field = FIELD_OF[String(i.path[0])];
          return h('li', {}, field ? h('a', { href: `#${field.id}` }, field.label) : null, field ? ': ' : null, i.message);
        }),
      ),
    );
    errors.hidden = false;
    errors.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (timer !== undefined) clearTimeout(timer);
    const status = byId('save-status');
    const button = byId<HTMLButtonElement>('save');
    button.disabled = true;
    // The note is linted before it is saved, so a save never skips the linter while it loads.
    linterReady
      .then(async () => {
        refresh();
        const blocking = findings.filter((f) => f.severity === 'error');
        if (blocking.length > 0) {
          showIssues(
            blocking.map((f) => ({ severity: 'error', code: f.code, path: ['note'], message: `${f.message}. ${f.suggestion ?? ''}`.trim() })),
            'Rewrite the flagged part of the note before saving',
          );
          return;
        }
        status.textContent = 'Saving…';
        const result = await saveEncounter(options.writer, values(), context());
        if (!result.ok) {
          status.textContent = '';
          showIssues(result.issues.filter((i) => i.severity === 'error'), 'The encounter was not saved');
          return;
        }
        errors.hidden = true;
        record = { ...record, encounters: [result.value.encounter, ...record.encounters] };
        form.reset();
        refresh();
        status.textContent = `Saved: ${result.value.written.join(', ')}.`;
        options.onSaved(result.value);
      })
      .catch((error: unknown) => {
        status.textContent = error instanceof Error ? error.message : 'The encounter was not saved.';
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
