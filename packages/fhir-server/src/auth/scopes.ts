/**
 * SMART scopes as the resource server reads them from an access token: v2 (`patient/Encounter.cu`,
 * `user/*.rs`, `system/*.cruds`) and v1 (`patient/*.read`, `.write`, `.*`). A scope narrowed by a
 * query (`patient/Observation.rs?category=…`) grants nothing here: this server does not filter by it.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/scopes-and-launch-context.html
 */

/** A v2 permission: create, read, update, delete, search. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** One resource scope of a token. */
export interface ScopeGrant {
  readonly context: 'patient' | 'user' | 'system';
  readonly resourceType: string;
  readonly permissions: ReadonlySet<Permission>;
}

const V1: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/;

/** The resource scopes of a space-separated `scope` claim; other scopes are left out. */
export function parseScopeGrants(scope: string): ScopeGrant[] {
  const grants: ScopeGrant[] = [];
  for (const item of scope.split(' ')) {
    const match = RESOURCE_SCOPE.exec(item);
    if (match === null) continue;
    const letters = V1[match[3] ?? ''] ?? match[3] ?? '';
    if (letters === '' || !/^c?r?u?d?s?$/.test(letters)) continue;
    grants.push({
      context: match[1] as ScopeGrant['context'],
      resourceType: match[2] ?? '',
      permissions: new Set(letters.split('') as Permission[]),
    });
  }
  return grants;
}

/** How far a token's scopes reach for one resource type and permission. */
export type Reach = 'all' | 'patient' | 'none';

/**
 * `all` when a `user/` or `system/` scope allows it, `patient` when only a `patient/` scope does
 * (limited to the token's patient compartment), else `none`.
 */
export function reachOf(grants: readonly ScopeGrant[], resourceType: string, permission: Permission): Reach {
  let reach: Reach = 'none';
  for (const grant of grants) {
    if (grant.resourceType !== '*' && grant.resourceType !== resourceType) continue;
    if (!grant.permissions.has(permission)) continue;
    if (grant.context !== 'patient') return 'all';
    reach = 'patient';
  }
  return reach;
}
