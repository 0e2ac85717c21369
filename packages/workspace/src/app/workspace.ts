/**
 * The workspace page (`index.html`): completes the SMART launch, reads the patient's record and
 * shows the recovery plan, consent status and recent encounters, with the form to record a new one.
 */
import { MEDICAID_GENERIC_PACK } from '@peerkit/billing';
import { byId, h, replaceChildren } from './dom';
import { currentPlan, offsetOf } from './encounter-draft';
import { mountEncounterForm } from './encounter-form';
import { labelKey, loadPatientRecord, type PatientRecord } from './load-patient';
import { loadSafeguards } from './safeguards';
import { ready } from './smart';
import { consentView } from './views/consent-view';
import { encountersView } from './views/encounters-view';
import { planView } from './views/plan-view';

/** A new record id for an encounter recorded here. */
const newEncounterId = (): string => `ws-${crypto.randomUUID()}`;

/** The local time now, as an ISO date-time with the local offset. */
function localNow(date = new Date()): string {
  const offset = offsetOf(date.getTimezoneOffset());
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

function render(record: PatientRecord, session: Awaited<ReturnType<typeof ready>>): void {
  const now = localNow();
  const user = record.specialist?.name.display ?? session.fhirUser;
  byId('context-line').textContent = `Patient: ${record.patientName ?? record.patientId}${user ? ` · Signed in as ${user}` : ''}`;
  replaceChildren(byId('plan'), planView(currentPlan(record)));
  const labelsByKey = new Map(record.labels);
  const labels = (key: string) => labelsByKey.get(key) ?? [];
  const showConsents = (safeguards?: Parameters<typeof consentView>[3]): void =>
    replaceChildren(byId('consent'), consentView(record.consents, now.slice(0, 10), (c) => labels(labelKey.consent(c)), safeguards));
  showConsents();
  void loadSafeguards().then(showConsents, () => undefined);
  const encounters = [...record.encounters];
  const showEncounters = (): void => replaceChildren(byId('encounters'), encountersView(encounters, (e) => labels(labelKey.encounter(e))));
  showEncounters();
  if (record.unavailable.length > 0) {
    byId('load-status').textContent = `Loaded. Not readable with this launch: ${record.unavailable.join(', ')}.`;
  } else {
    byId('load-status').textContent = 'Loaded.';
  }
  mountEncounterForm(byId('record'), {
    record,
    writer: session.writer,
    defaultPackId: new URLSearchParams(location.search).get('pack') ?? MEDICAID_GENERIC_PACK.id,
    context: () => ({ encounterId: newEncounterId(), offset: offsetOf(new Date().getTimezoneOffset()), now: localNow() }),
    onSaved: (saved) => {
      labelsByKey.set(labelKey.encounter(saved.encounter), saved.labels);
      encounters.unshift(saved.encounter);
      showEncounters();
    },
  });
  byId('workspace').hidden = false;
}

/** Runs the workspace page. */
export async function startWorkspace(): Promise<void> {
  const status = byId('load-status');
  // The linter's chunk loads while the launch completes and the record is read.
  loadSafeguards().catch(() => undefined);
  try {
    const session = await ready();
    status.textContent = 'Reading the patient\'s record…';
    const record = await loadPatientRecord(session.reader, session.patientId, session.fhirUser);
    render(record, session);
  } catch (error) {
    replaceChildren(status, h('strong', {}, 'The workspace could not open. '), error instanceof Error ? error.message : 'Unknown error.', ' Launch it again from the EHR.');
  }
}
