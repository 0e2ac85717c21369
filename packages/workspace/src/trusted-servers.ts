/**
 * Which FHIR servers the workspace may launch against. A launch URL names its server (`iss`, or
 * `fhirServiceUrl` for an open development server), so a crafted link could otherwise send the app —
 * and the encounter a specialist records in it — to a server the program never chose. SMART App
 * Launch asks apps to check `iss` against the servers they know.
 *
 * The list is a JSON file served beside the app (`workspace-config.json`, {@link WorkspaceConfig});
 * `peerkit serve --auth smart` writes it with its own FHIR base. Without the file every server is
 * accepted (development); a file that cannot be read refuses every launch.
 *
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html#step-1-app-asks-for-authorization
 * ("the app SHOULD validate the iss ... against a list of known FHIR servers")
 */

/** The app's deployment settings, served as `workspace-config.json` beside `launch.html`. */
export interface WorkspaceConfig {
  /** FHIR base URLs the app may be launched against (compared without a trailing slash). */
  readonly fhirServers: readonly string[];
}

const trimmed = (url: string): string => url.trim().replace(/\/+$/, '');

/** Whether `url` is one of the configured FHIR servers. */
export function isTrustedFhirServer(url: string, config: WorkspaceConfig): boolean {
  const wanted = trimmed(url);
  return wanted !== '' && config.fhirServers.some((server) => trimmed(server) === wanted);
}

/** A `workspace-config.json` body, or the reason it is not one (names the field, never a value). */
export function parseWorkspaceConfig(json: unknown): WorkspaceConfig | { readonly problem: string } {
  const servers = (json as { fhirServers?: unknown } | null)?.fhirServers;
  if (!Array.isArray(servers) || servers.some((s) => typeof s !== 'string' || s.trim() === '')) {
    return { problem: 'workspace-config.json: fhirServers must be a list of FHIR base URLs' };
  }
  return { fhirServers: servers as string[] };
}
