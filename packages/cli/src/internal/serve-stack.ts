/**
 * What `peerkit serve` runs: the embedded FHIR server and, on request, the SMART authorization
 * server with its EHR launcher (`--auth smart`), the peer workspace app's static files, and the CDS
 * Hooks service (`--cds-hooks`), all on loopback.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCdsService, type RunningCdsService, type TrustedCdsClient } from '@peerkit/cds-hooks';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { startSmartAuthServer, type SmartAuthServer } from '@peerkit/smart-auth';
import { startStaticServer, type StaticServer } from './static-files';

/** The parts of `@peerkit/workspace`'s Node entry that serve reads. */
interface WorkspaceEntry {
  workspaceAppDir: string;
  WORKSPACE_CLIENT: { clientId: string; clientName: string; launchPath: string; configPath: string; redirectPaths: readonly string[]; scopes: { registered: string } };
}

/** What `peerkit serve` starts. */
export interface ServeStackOptions {
  host: string;
  port: number;
  /** Start the SMART authorization server (and enforce tokens on the FHIR server). */
  smart: boolean;
  /** Start the CDS Hooks service. */
  cdsHooks: boolean;
  /** The CDS clients trusted to call it (their JWTs required); none: open (loopback development, never with `smart`). */
  cdsClients?: readonly TrustedCdsClient[];
  authPort: number;
  appPort: number;
  cdsPort: number;
}

/** The running servers; `close` stops them all. */
export interface ServeStack {
  readonly fhir: FhirServer;
  readonly smart: SmartAuthServer | undefined;
  /** The app's base URL and launch page, when it is built. */
  readonly app: { url: string; launchUrl: string; clientId: string } | undefined;
  /** Why the app is not served (with `smart`), e.g. not built. */
  readonly appProblem: string | undefined;
  readonly cds: RunningCdsService | undefined;
  close(): Promise<void>;
}

/** The workspace's Node entry, or why it cannot be served. */
async function loadWorkspace(): Promise<WorkspaceEntry | string> {
  // Not a dependency of the CLI: the app is served when the package is there and built.
  const specifier = '@peerkit/workspace';
  let entry: Partial<WorkspaceEntry>;
  try {
    entry = (await import(specifier)) as Partial<WorkspaceEntry>;
  } catch {
    return 'the workspace app is not built or not installed (npm run build --workspace @peerkit/workspace)';
  }
  if (typeof entry.workspaceAppDir !== 'string' || entry.WORKSPACE_CLIENT === undefined) return 'the installed @peerkit/workspace has no app entry';
  if (!existsSync(join(entry.workspaceAppDir, entry.WORKSPACE_CLIENT.launchPath))) {
    return 'the workspace app is not built (npm run build --workspace @peerkit/workspace)';
  }
  return entry as WorkspaceEntry;
}

/**
 * Starts the servers `peerkit serve` was asked for; on a failure, stops the ones already running
 * and rethrows (a listen error keeps its `code`).
 */
export async function startServeStack(options: ServeStackOptions): Promise<ServeStack> {
  const running: { close(): Promise<void> }[] = [];
  const closeAll = async (): Promise<void> => {
    for (const server of running.splice(0).reverse()) await server.close().catch(() => undefined);
  };
  try {
    let smart: SmartAuthServer | undefined;
    const fhir = await startFhirServer({
      port: options.port,
      host: options.host,
      ...(options.smart
        ? {
            auth: async (fhirBaseUrl: string) => {
              smart = await startSmartAuthServer({ fhirBaseUrl, host: options.host, port: options.authPort });
              running.push(smart);
              return { issuer: smart.issuer, jwksUri: smart.jwksUri, smartConfiguration: { ...smart.smartConfiguration } };
            },
          }
        : {}),
    });
    running.push(fhir);

    let app: ServeStack['app'];
    let appProblem: string | undefined;
    if (smart !== undefined) {
      const workspace = await loadWorkspace();
      if (typeof workspace === 'string') appProblem = workspace;
      else {
        // The app trusts only this run's FHIR server (workspace-config.json): a crafted launch link
        // naming another server is refused before any redirect.
        const config = { fhirServers: [fhir.baseUrl] };
        const files: StaticServer = await startStaticServer(workspace.workspaceAppDir, options.host, options.appPort, {
          [`/${workspace.WORKSPACE_CLIENT.configPath}`]: config,
        });
        running.push(files);
        const client = workspace.WORKSPACE_CLIENT;
        smart.registerClient({
          clientId: client.clientId,
          name: client.clientName,
          redirectUris: client.redirectPaths.map((path) => new URL(path, files.url).href),
          launchUrl: new URL(client.launchPath, files.url).href,
          scope: client.scopes.registered,
        });
        app = { url: files.url, launchUrl: new URL(client.launchPath, files.url).href, clientId: client.clientId };
      }
    }

    let cds: RunningCdsService | undefined;
    if (options.cdsHooks) {
      // With SMART on, the CDS service is never left open (the command refuses it without clients).
      if (options.smart && options.cdsClients === undefined) throw new Error('the CDS Hooks service needs its trusted clients when SMART is on');
      // Without clients: loopback development, calls not authenticated.
      cds = await startCdsService({ auth: options.cdsClients === undefined ? false : { clients: options.cdsClients }, host: options.host, port: options.cdsPort });
      running.push(cds);
    }
    return { fhir, smart, app, appProblem, cds, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
