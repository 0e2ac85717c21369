/**
 * The launch page (`launch.html`): an EHR opens it with `iss` and `launch`; a standalone launch gives
 * `iss` alone, or the page asks for the FHIR server.
 */
import { byId } from './dom';
import { authorize } from './smart';

/** Runs the launch page. */
export async function startLaunch(): Promise<void> {
  const status = byId('launch-status');
  try {
    const mode = await authorize(new URLSearchParams(location.search));
    if (mode !== 'ask') return;
    status.textContent = 'Standalone launch: give the FHIR server to connect to.';
    const form = byId<HTMLFormElement>('standalone-form');
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const iss = byId<HTMLInputElement>('iss').value.trim();
      if (iss === '') return;
      status.textContent = 'Connecting…';
      authorize(new URLSearchParams({ iss })).catch((error: unknown) => {
        status.textContent = `The launch failed: ${error instanceof Error ? error.message : 'unknown error'}`;
      });
    });
  } catch (error) {
    status.textContent = `The launch failed: ${error instanceof Error ? error.message : 'unknown error'}`;
  }
}
