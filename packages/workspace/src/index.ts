/**
 * @peerkit/workspace — the peer workspace, a SMART on FHIR web app built to static files. This Node
 * entry tells a server where the files are and how to register the app; the app itself runs in the
 * browser (`dist/app/`: `launch.html`, `index.html`, one script, one stylesheet).
 *
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';

export { WORKSPACE_CLIENT } from './client';
export type { WorkspaceClient } from './client';
export { isTrustedFhirServer, parseWorkspaceConfig } from './trusted-servers';
export type { WorkspaceConfig } from './trusted-servers';

/**
 * The absolute path of the built app (`dist/app/` of this package): serve it as static files, e.g.
 * at `http://127.0.0.1:8080/app/`. It exists after `npm run build`.
 *
 * @example
 * createServer(serveStatic(workspaceAppDir)).listen(8080);
 */
export const workspaceAppDir: string = fileURLToPath(new URL('../dist/app', import.meta.url));
