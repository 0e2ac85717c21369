/**
 * Prefetch: the templates' tokens filled from the hook context, and the data the client did not
 * prefetch fetched from its FHIR server with the `fhirAuthorization` token.
 *
 * See: https://cds-hooks.hl7.org/2.0/#prefetch-template, https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */
import type { Issue } from '@peerkit/model';
import { bearerToken, createFhirTransport, type FhirTransport } from '@peerkit/sync';
import { flattenResources, type FhirJson } from './internal/resources';
import type { CdsRequest } from './types';

/** Options of {@link resolvePrefetch}. */
export interface ResolvePrefetchOptions {
  /** Time limit of one FHIR request, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Allow plain `http://` to a FHIR server that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /**
   * Pages of a search read per key: the first, then its `link[rel=next]` (same server only) until none
   * is left or this many are read; a key cut short gets a `cds.prefetch-truncated` warning. Default 10.
   */
  maxPages?: number;
  /**
   * Makes the transport to the client's FHIR server. Default: `@peerkit/sync`'s `createFhirTransport`
   * with the request's `fhirAuthorization` as a bearer token.
   */
  transport?: (fhirServer: string, request: CdsRequest) => FhirTransport;
}

/** What {@link resolvePrefetch} gathered. */
export interface ResolvedPrefetch {
  /** The resources of each template key (Bundles flattened; `[]` for a `null` key or a failed fetch). */
  readonly data: Readonly<Record<string, readonly FhirJson[]>>;
  /** Keys fetched from the FHIR server because the client did not prefetch them. */
  readonly fetched: readonly string[];
  /** Keys neither prefetched nor fetchable (no `fhirServer`, token, or a failed request): their data is missing. */
  readonly missing: readonly string[];
  /** What went wrong fetching, by key (no values). */
  readonly issues: readonly Issue[];
}

const TOKEN = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;
const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

/**
 * Fills a prefetch template's tokens: `{{context.<name>}}` from the hook context and the
 * `{{userPractitionerId}}`-style tokens from `context.userId`.
 *
 * @param template - a prefetch template, e.g. `Condition?patient={{context.patientId}}`
 * @param context - the hook's context
 * @returns the relative FHIR URL, or `undefined` when a token has no value
 * @example
 * fillPrefetchTemplate('Patient/{{context.patientId}}', { patientId: '123' }); // 'Patient/123'
 * See: https://cds-hooks.hl7.org/2.0/#prefetch-tokens
 */
export function fillPrefetchTemplate(template: string, context: Readonly<Record<string, unknown>>): string | undefined {
  let complete = true;
  const filled = template.replaceAll(TOKEN, (_, token: string) => {
    const value = tokenValue(token, context);
    if (value === undefined) complete = false;
    return encodeURIComponent(value ?? '');
  });
  return complete ? filled : undefined;
}

function tokenValue(token: string, context: Readonly<Record<string, unknown>>): string | undefined {
  if (token.startsWith('context.')) {
    const value = context[token.slice('context.'.length)];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  const type = USER_TOKENS[token];
  const user = context.userId;
  if (type === undefined || typeof user !== 'string' || !user.startsWith(`${type}/`)) return undefined;
  return user.slice(type.length + 1);
}

/** The `next` link of a searchset Bundle page. See: https://hl7.org/fhir/R4/http.html#paging */
function nextPage(body: unknown): string | undefined {
  const bundle = body as { resourceType?: unknown; link?: { relation?: unknown; url?: unknown }[] } | null;
  if (bundle?.resourceType !== 'Bundle' || !Array.isArray(bundle.link)) return undefined;
  const url = bundle.link.find((link) => link.relation === 'next')?.url;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/** A key's resources across the pages of its search, or why its first page could not be read. */
async function fetchPages(transport: FhirTransport, key: string, url: string, maxPages: number, issues: Issue[]): Promise<FhirJson[] | string> {
  const resources: FhirJson[] = [];
  const seen = new Set<string>();
  let next: string | undefined = url;
  while (next !== undefined && !seen.has(next)) {
    if (seen.size === maxPages) {
      issues.push({ severity: 'warning', code: 'cds.prefetch-truncated', path: ['prefetch', key], message: `prefetch ${key}: read the first ${maxPages} pages of the search only` });
      break;
    }
    seen.add(next);
    // The transport refuses a next link to another server: the token stays with the client's server.
    const reply = await transport.get(next).catch(() => undefined);
    if (reply?.kind !== 'response' || reply.status >= 300) {
      const why = reply === undefined ? 'failed' : reply.kind === 'response' ? `answered ${reply.status}` : `gave no answer (${reply.kind})`;
      if (seen.size === 1) return why;
      issues.push({ severity: 'warning', code: 'cds.prefetch-truncated', path: ['prefetch', key], message: `prefetch ${key}: page ${seen.size} of the search ${why}` });
      break;
    }
    resources.push(...flattenResources(reply.body));
    next = nextPage(reply.body);
  }
  return resources;
}

/**
 * The data of every prefetch template: what the client sent under the key (`null` = it has none),
 * otherwise fetched from `fhirServer` with the `fhirAuthorization` bearer token (a search's pages
 * followed by their `next` links, up to `maxPages`). A key that cannot be fetched is reported, not
 * thrown: the hooks answer with what they have.
 *
 * @param request - the validated hook request
 * @param templates - the service's prefetch templates by key
 * @param options - time limit, TLS rule, transport; see {@link ResolvePrefetchOptions}
 * @returns the resources by key, and which keys were fetched or are missing
 * @example
 * const { data } = await resolvePrefetch(request, { patient: 'Patient/{{context.patientId}}' });
 * See: https://cds-hooks.hl7.org/2.0/#prefetch-template
 */
export async function resolvePrefetch(
  request: CdsRequest,
  templates: Readonly<Record<string, string>>,
  options: ResolvePrefetchOptions = {},
): Promise<ResolvedPrefetch> {
  const data: Record<string, readonly FhirJson[]> = {};
  const fetched: string[] = [];
  const missing: string[] = [];
  const issues: Issue[] = [];
  const toFetch: [string, string][] = [];
  const maxPages = options.maxPages ?? 10;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError('resolvePrefetch: option maxPages must be a whole number of at least 1');
  for (const [key, template] of Object.entries(templates)) {
    const sent = request.prefetch === undefined ? undefined : request.prefetch[key];
    if (sent !== undefined) {
      data[key] = sent === null ? [] : flattenResources(sent);
      continue;
    }
    const url = fillPrefetchTemplate(template, request.context);
    if (url === undefined) {
      data[key] = [];
      continue;
    }
    toFetch.push([key, url]);
  }
  let transport: FhirTransport | undefined;
  if (toFetch.length > 0 && request.fhirServer !== undefined) {
    try {
      transport = options.transport
        ? options.transport(request.fhirServer, request)
        : createFhirTransport({
            baseUrl: request.fhirServer,
            ...(request.fhirAuthorization ? { auth: bearerToken(request.fhirAuthorization.access_token) } : {}),
            timeoutMs: options.timeoutMs ?? 10_000,
            allowInsecureHttp: options.allowInsecureHttp === true,
          });
    } catch {
      issues.push({ severity: 'warning', code: 'cds.fhir-server-refused', path: ['fhirServer'], message: 'fhirServer is not a URL the service may call (https, or http on loopback)' });
    }
  }
  await Promise.all(
    toFetch.map(async ([key, url]) => {
      data[key] = [];
      if (transport === undefined) {
        missing.push(key);
        return;
      }
      const pages = await fetchPages(transport, key, url, maxPages, issues);
      if (typeof pages !== 'string') {
        data[key] = pages;
        fetched.push(key);
        return;
      }
      missing.push(key);
      const why = pages;
      issues.push({ severity: 'warning', code: 'cds.prefetch-failed', path: ['prefetch', key], message: `prefetch ${key}: the FHIR server ${why}` });
    }),
  );
  return { data, fetched: fetched.sort(), missing: missing.sort(), issues };
}
