/**
 * SMART scopes as this server understands them: v2 resource scopes (`patient/Encounter.cu`), their
 * v1 spellings (`patient/*.read`), the launch and identity scopes, and which granted scope allows a
 * requested one.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/scopes-and-launch-context.html
 */

/** The scopes an app may be granted when it registers none: every SMART scope of a user-facing app. */
export const DEFAULT_CLIENT_SCOPE =
  'launch launch/patient launch/encounter openid fhirUser profile offline_access online_access patient/*.cruds user/*.cruds';

/** Launch-context scopes: they ask for context in the token response, not for data. */
export const LAUNCH_SCOPES: readonly string[] = ['launch', 'launch/patient', 'launch/encounter'];

/** OpenID Connect and refresh scopes handled by the OpenID provider itself. */
export const IDENTITY_SCOPES: readonly string[] = ['openid', 'fhirUser', 'profile', 'offline_access', 'online_access'];

/** The capabilities this server advertises in its SMART configuration. */
export const SMART_CAPABILITIES: readonly string[] = [
  'launch-ehr',
  'launch-standalone',
  'authorize-post',
  'client-public',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'sso-openid-connect',
  'permission-offline',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
];

/** A parsed SMART resource scope. */
export interface ResourceScope {
  /** `patient`, `user` or `system`. */
  context: 'patient' | 'user' | 'system';
  /** A resource type, or `*`. */
  resourceType: string;
  /** The permissions, a subset of `c`, `r`, `u`, `d`, `s`. */
  permissions: ReadonlySet<string>;
  /** True when the scope narrows by a query (`?category=…`); such scopes grant nothing here. */
  narrowed: boolean;
}

const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)(\?.*)?$/;

/**
 * Parses a SMART resource scope (v2 `.cruds` in order, or v1 `.read`/`.write`/`.*`); undefined for
 * anything else (launch, identity, or malformed scopes).
 *
 * @example
 * parseResourceScope('patient/Encounter.cu') // { context: 'patient', resourceType: 'Encounter', permissions: {c, u}, narrowed: false }
 */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (match === null) return undefined;
  const [, context, resourceType, raw, query] = match as unknown as [string, ResourceScope['context'], string, string, string | undefined];
  const letters = V1_PERMISSIONS[raw] ?? raw;
  // v2 permissions appear in the order c, r, u, d, s, each at most once.
  if (!/^c?r?u?d?s?$/.test(letters) || letters === '') return undefined;
  if (query !== undefined && V1_PERMISSIONS[raw] !== undefined) return undefined;
  return { context, resourceType, permissions: new Set(letters), narrowed: query !== undefined };
}

/** True when `granted` (a scope an app may have) covers everything `requested` asks. */
export function scopeAllows(granted: string, requested: string): boolean {
  if (granted === requested) return true;
  const want = parseResourceScope(requested);
  const have = parseResourceScope(granted);
  if (want === undefined || have === undefined || have.narrowed) return false;
  if (want.context !== have.context) return false;
  if (have.resourceType !== '*' && have.resourceType !== want.resourceType) return false;
  for (const permission of want.permissions) if (!have.permissions.has(permission)) return false;
  return true;
}

/**
 * The requested scopes an app may be granted: each one some allowed scope covers, in the order
 * asked, duplicates and unknown scopes dropped.
 *
 * @param requested - the space-separated `scope` of the request
 * @param allowed - the app's registered scope
 */
export function grantableScopes(requested: string, allowed: string): string[] {
  const allowList = allowed.split(' ').filter((s) => s !== '');
  const out: string[] = [];
  for (const scope of requested.split(' ')) {
    if (scope === '' || out.includes(scope)) continue;
    const known = LAUNCH_SCOPES.includes(scope) || IDENTITY_SCOPES.includes(scope) || parseResourceScope(scope) !== undefined;
    if (known && allowList.some((granted) => scopeAllows(granted, scope))) out.push(scope);
  }
  return out;
}
