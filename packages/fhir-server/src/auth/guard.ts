/**
 * The embedded server's SMART resource-server side: bearer JWTs verified against the authorization
 * server's keys, scopes v2 enforced per interaction (create, read, update, delete, search), `patient/`
 * scopes limited to the token's patient compartment (searches narrowed before they run, results and
 * `_include`s filtered after), 401 and 403 with an OperationOutcome, the SMART configuration on the
 * FHIR base, and CORS for browser apps.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/scopes-and-launch-context.html
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Bundle, BundleEntry, CapabilityStatementRestSecurity, Extension, Resource } from '@medplum/fhirtypes';
import { HttpProblem, outcome } from '../internal/http';
import { compartmentElements, compartmentSearchParam, inPatientCompartmentTypes, isInPatientCompartment, isOnlyInPatientCompartment } from './compartment';
import { reachOf, type Permission, type Reach } from './scopes';
import { remoteKeys, verifyBearer, type AccessGrant, type TokenCheck } from './token';

/** How the server checks access tokens: the authorization server it trusts. */
export interface FhirServerAuthOptions {
  /** The authorization server's issuer: the `iss` every token must carry. */
  issuer: string;
  /** Where its signing keys are published (a JWK Set). Default the `jwks_uri` of `smartConfiguration`. */
  jwksUri?: string;
  /** The `aud` every token must carry. Default the server's own FHIR base URL. */
  audience?: string;
  /**
   * The document served, without a token, at `<base>/.well-known/smart-configuration` (its endpoints,
   * capabilities). Default none: that path answers 404.
   */
  smartConfiguration?: Readonly<Record<string, unknown>>;
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
}

/**
 * The `auth` option of the FHIR server: the options, or a function given the server's base URL once it
 * listens (before it answers any request) that returns them, e.g. after starting the authorization
 * server for that base.
 */
export type FhirServerAuth = FhirServerAuthOptions | ((baseUrl: string) => FhirServerAuthOptions | Promise<FhirServerAuthOptions>);

/** Reads a stored resource, or undefined when there is none. */
export type ReadStored = (resourceType: string, id: string) => Promise<Resource | undefined>;

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'location, content-location, etag, last-modified',
};

/**
 * `rest.security` of the CapabilityStatement when auth is on: the SMART-on-FHIR service code and,
 * where the SMART configuration names them, its endpoints in the `oauth-uris` extension. SMART App
 * Launch 2.x discovers endpoints through `.well-known/smart-configuration`; the extension is kept for
 * clients written against SMART 1.0, which read them from the CapabilityStatement.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/conformance.html,
 * https://hl7.org/fhir/R4/valueset-restful-security-service.html
 */
function restSecurity(smart: Readonly<Record<string, unknown>> | undefined): CapabilityStatementRestSecurity {
  const endpoints: Extension[] = [];
  for (const [name, key] of [
    ['authorize', 'authorization_endpoint'],
    ['token', 'token_endpoint'],
    ['register', 'registration_endpoint'],
    ['manage', 'management_endpoint'],
    ['introspect', 'introspection_endpoint'],
    ['revoke', 'revocation_endpoint'],
  ] as const) {
    const value = smart?.[key];
    if (typeof value === 'string') endpoints.push({ url: name, valueUri: value });
  }
  return {
    cors: true,
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
        text: 'OAuth 2.0 bearer tokens per SMART App Launch 2.x (scopes v2 and v1)',
      },
    ],
    description: 'Every request needs a bearer JWT from the trusted issuer; patient/ scopes reach only the token patient\'s compartment.',
    ...(endpoints.length === 0
      ? {}
      : { extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: endpoints }] }),
  };
}

const forbidden = (text: string): HttpProblem => new HttpProblem(403, outcome('forbidden', text));

/** A request the engine will run, as the guard classifies it. */
interface Interaction {
  resourceType: string;
  permission: Permission;
  /** The compartment id of `Patient/<id>/<Type>` searches. */
  compartmentOf?: string;
  /** The id of an existing resource the request changes (update, patch, delete). */
  id?: string;
  conditional: boolean;
}

/** Which SMART permission an engine request needs, by method and path; undefined for what the guard refuses outright. */
function classify(method: string, segments: readonly string[], search: URLSearchParams): Interaction | undefined {
  const [type = '', second, third] = segments;
  const conditional = search.size > 0;
  if (segments.some((s) => s.startsWith('$')) || type === '') return undefined;
  if (segments.length === 1) {
    if (method === 'GET') return { resourceType: type, permission: 's', conditional: false };
    if (method === 'POST') return { resourceType: type, permission: 'c', conditional: false };
    if (method === 'PUT' || method === 'PATCH') return { resourceType: type, permission: 'u', conditional: true };
    if (method === 'DELETE') return { resourceType: type, permission: 'd', conditional: true };
  }
  if (segments.length === 2 && second === '_search' && method === 'POST') return { resourceType: type, permission: 's', conditional: true };
  if (segments.length === 2 && second !== undefined) {
    if (method === 'GET') return { resourceType: type, permission: 'r', conditional: false };
    if (method === 'PUT' || method === 'PATCH') return { resourceType: type, permission: 'u', id: second, conditional };
    if (method === 'DELETE') return { resourceType: type, permission: 'd', id: second, conditional };
  }
  if (segments.length >= 3 && third === '_history' && method === 'GET') return { resourceType: type, permission: 'r', conditional: false };
  if (segments.length === 3 && type === 'Patient' && second !== undefined && third !== undefined && method === 'GET') {
    return { resourceType: third, permission: 's', compartmentOf: second, conditional: false };
  }
  return undefined;
}

/** The engine-relative path and query of a Bundle entry's `request.url`. */
function entryTarget(url: string): { segments: string[]; search: URLSearchParams } {
  const [path = '', query = ''] = url.replace(/^\/+/, '').split('?', 2);
  return { segments: path.split('/').filter((s) => s !== ''), search: new URLSearchParams(query) };
}

/**
 * Guards the embedded server when auth is on. Created before the server listens; `start` gives it the
 * base URL and settles its options, and every request waits for that.
 */
export class AuthGuard {
  #ready: Promise<{ check: TokenCheck; smartConfiguration: string | undefined; security: CapabilityStatementRestSecurity }> | undefined;
  #baseUrl = '';

  constructor(
    private readonly auth: FhirServerAuth,
    private readonly readStored: ReadStored,
  ) {}

  /** Resolves the options for the server's base URL. */
  start(baseUrl: string): Promise<void> {
    this.#baseUrl = baseUrl;
    this.#ready = (async () => {
      const options = typeof this.auth === 'function' ? await this.auth(baseUrl) : this.auth;
      const jwksUri = options.jwksUri ?? (options.smartConfiguration?.jwks_uri as string | undefined);
      if (jwksUri === undefined) throw new RangeError('startFhirServer: option auth needs jwksUri (or a smartConfiguration with jwks_uri)');
      const check: TokenCheck = {
        issuer: options.issuer,
        audience: options.audience ?? baseUrl,
        keys: remoteKeys(jwksUri),
        clockToleranceSeconds: options.clockToleranceSeconds ?? 5,
      };
      return {
        check,
        smartConfiguration: options.smartConfiguration === undefined ? undefined : JSON.stringify(options.smartConfiguration),
        security: restSecurity(options.smartConfiguration),
      };
    })();
    return this.#ready.then(() => undefined);
  }

  /** The CapabilityStatement's `rest.security` for the options `start` settled. */
  async security(): Promise<CapabilityStatementRestSecurity> {
    if (this.#ready === undefined) throw new Error('AuthGuard.security called before start');
    return (await this.#ready).security;
  }

  /** Headers every response carries when auth is on (CORS for browser apps holding a bearer token). */
  get responseHeaders(): Record<string, string> {
    return CORS;
  }

  /**
   * The first step of every request: answers CORS preflights and the SMART configuration itself
   * (`'answered'`), lets `metadata` through without a token (undefined), else verifies the bearer
   * token and, for Bulk Data routes, that it may read everything.
   *
   * @throws HttpProblem 401 without a valid token, 403 for a Bulk Data export without `user/*.rs` or
   *   `system/*.rs`, or an import (`$import…`) without `user/*.cu` or `system/*.cu`
   */
  async admit(req: IncomingMessage, res: ServerResponse, relative: string, segments: readonly string[]): Promise<AccessGrant | 'answered' | undefined> {
    const ready = await this.#ready;
    if (ready === undefined) throw new HttpProblem(503, outcome('transient', 'The server is starting'));
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'authorization, content-type'),
        'access-control-max-age': '600',
      });
      res.end();
      return 'answered';
    }
    if (relative === '.well-known/smart-configuration') {
      if (ready.smartConfiguration === undefined) throw new HttpProblem(404, outcome('not-found', 'No SMART configuration is configured'));
      res.writeHead(200, { ...CORS, 'content-type': 'application/json', 'content-length': Buffer.byteLength(ready.smartConfiguration) });
      res.end(ready.smartConfiguration);
      return 'answered';
    }
    if (relative === 'metadata') return undefined;
    const access = await verifyBearer(req.headers.authorization, ready.check);
    if (segments.some((s) => s.startsWith('$export'))) {
      if (reachOf(access.grants, '*', 'r') !== 'all') throw forbidden('Bulk Data export needs a user/*.rs or system/*.rs scope');
    }
    if (segments.some((s) => s.startsWith('$import'))) {
      // Bulk import writes any resource of any patient: only a user/ or system/ create and update scope.
      if (reachOf(access.grants, '*', 'c') !== 'all' || reachOf(access.grants, '*', 'u') !== 'all') throw forbidden('Bulk Data import needs a user/*.cu or system/*.cu scope');
    }
    return access;
  }

  /**
   * Checks an engine request against the token's scopes and returns the engine URL to run: a
   * patient-compartment search gets the compartment's parameter added.
   *
   * @throws HttpProblem 403 when no scope allows the interaction, or a `patient/` scope does but the
   *   request reaches outside the token's patient
   */
  async authorize(access: AccessGrant, method: string, relative: string, search: URLSearchParams, body: unknown, headers: IncomingHttpHeaders): Promise<string> {
    const segments = relative === '' ? [] : relative.split('/');
    if (segments.length === 0 && method === 'POST') {
      await this.#authorizeBundle(access, body);
      return relative;
    }
    const interaction = classify(method, segments, search);
    if (interaction === undefined) {
      // System-wide search, operations and GraphQL reach across types and compartments.
      if (reachOf(access.grants, '*', 'r') === 'all' && reachOf(access.grants, '*', 's') === 'all') return `${relative}${search.size > 0 ? `?${search}` : ''}`;
      throw forbidden('This interaction needs user/*.rs or system/*.rs');
    }
    const reach = this.#reach(access, interaction);
    if (reach === 'all') return `${relative}${search.size > 0 ? `?${search}` : ''}`;
    const patient = access.patient ?? '';
    if (interaction.permission === 's') {
      const param = compartmentSearchParam(interaction.resourceType);
      if (param === undefined || segments[1] === '_search') throw forbidden(`A patient/ scope cannot search ${interaction.resourceType} this way`);
      if (interaction.compartmentOf !== undefined && interaction.compartmentOf !== patient) throw forbidden('The token is for another patient');
      const narrowed = new URLSearchParams(search);
      narrowed.append(param, param === '_id' ? patient : `Patient/${patient}`);
      return `${relative}?${narrowed}`;
    }
    if (interaction.conditional || headers['if-none-exist'] !== undefined) throw forbidden('Conditional writes need a user/ or system/ scope');
    await this.#checkWrite(access, interaction, method, body);
    return `${relative}${search.size > 0 ? `?${search}` : ''}`;
  }

  /**
   * What of the engine's answer the token may see: a single resource outside its reach is a 403,
   * Bundle entries outside it (other patients' resources, `_include`s of types it may not read) are
   * dropped.
   *
   * @throws HttpProblem 403 for a single resource the token may not read
   */
  filter(access: AccessGrant, method: string, relative: string, resource: Resource): Resource {
    if (method === 'POST' && relative === '' && resource.resourceType === 'Bundle') return this.#filterBatchResponse(access, resource as Bundle);
    // What a write returns is what the token just wrote (checked before): only reads are filtered.
    if (resource.resourceType === 'OperationOutcome' || (method !== 'GET' && !relative.endsWith('/_search'))) return resource;
    if (resource.resourceType !== 'Bundle') {
      if (!this.#mayRead(access, resource)) throw forbidden('The token does not allow reading this resource');
      return resource;
    }
    return this.#filterSearchset(access, resource as Bundle);
  }

  /** A searchset or history Bundle without the entries the token may not read. */
  #filterSearchset(access: AccessGrant, bundle: Bundle): Bundle {
    if (bundle.type !== 'searchset' && bundle.type !== 'history') return bundle;
    const entry = (bundle.entry ?? []).filter((e: BundleEntry) => e.resource === undefined || e.resource.resourceType === 'OperationOutcome' || this.#mayRead(access, e.resource));
    return { ...bundle, entry };
  }

  /**
   * A batch or transaction response: each search an entry ran (allowed by a `user/` or `system/`
   * scope for its type) filtered as a search of its own, so its `_include`s of other types are dropped.
   * Its other entries are reads the token's scopes allow for all patients, or what it just wrote.
   */
  #filterBatchResponse(access: AccessGrant, bundle: Bundle): Bundle {
    if (bundle.type !== 'batch-response' && bundle.type !== 'transaction-response') return bundle;
    const entry = (bundle.entry ?? []).map((e: BundleEntry) => (e.resource?.resourceType === 'Bundle' ? { ...e, resource: this.#filterSearchset(access, e.resource as Bundle) } : e));
    return { ...bundle, entry };
  }

  #reach(access: AccessGrant, interaction: Interaction): Reach {
    const reach = reachOf(access.grants, interaction.resourceType, interaction.permission);
    if (reach === 'none') throw forbidden(`No scope allows ${interaction.permission} on ${interaction.resourceType}`);
    if (reach === 'patient' && access.patient === undefined) throw forbidden('patient/ scopes need a patient in the token');
    if (reach === 'patient' && !inPatientCompartmentTypes(interaction.resourceType)) throw forbidden(`${interaction.resourceType} is outside the patient compartment`);
    return reach;
  }

  #mayRead(access: AccessGrant, resource: Resource): boolean {
    const reach = [reachOf(access.grants, resource.resourceType, 'r'), reachOf(access.grants, resource.resourceType, 's')];
    if (reach.includes('all')) return true;
    return reach.includes('patient') && access.patient !== undefined && isInPatientCompartment(resource, access.patient, this.#baseUrl);
  }

  /**
   * A create, update, patch or delete under a `patient/` scope stays in the patient's compartment:
   * what is written, and what it replaces, belong to the token's patient and to no other patient.
   */
  async #checkWrite(access: AccessGrant, interaction: Interaction, method: string, body: unknown): Promise<void> {
    const patient = access.patient ?? '';
    const inCompartment = (resource: Resource): boolean => isOnlyInPatientCompartment(resource, patient, this.#baseUrl);
    const resource = method === 'POST' || method === 'PUT' ? (body as Resource | undefined) : undefined;
    if (method === 'POST' || method === 'PUT') {
      if (resource?.resourceType !== interaction.resourceType || !inCompartment(resource)) {
        throw forbidden(`The ${interaction.resourceType} written must belong to the token's patient`);
      }
    }
    // The engine keeps an id given in a create's body, so a create can replace a stored resource too.
    const id = interaction.id ?? (method === 'POST' && typeof resource?.id === 'string' ? resource.id : undefined);
    if (id !== undefined) {
      const stored = await this.readStored(interaction.resourceType, id);
      if (stored !== undefined && !inCompartment(stored)) throw forbidden('The token is for another patient');
    }
    if (method === 'PATCH') {
      const elements = compartmentElements(interaction.resourceType);
      const operations = Array.isArray(body) ? (body as { path?: unknown; from?: unknown }[]) : [];
      const touches = operations.some((op) => [op.path, op.from].some((p) => typeof p === 'string' && elements.includes(p.split('/')[1] ?? '')));
      if (!Array.isArray(body) || touches) throw forbidden("A patch under a patient/ scope may not change what ties the resource to its patient");
    }
  }

  /** Every entry of a batch or transaction, checked as its own request. */
  async #authorizeBundle(access: AccessGrant, body: unknown): Promise<void> {
    const bundle = body as Bundle | undefined;
    if (bundle?.resourceType !== 'Bundle') throw forbidden('Only batch and transaction Bundles can be posted to the base');
    for (const entry of bundle.entry ?? []) {
      const method = entry.request?.method ?? '';
      const { segments, search } = entryTarget(entry.request?.url ?? '');
      const interaction = classify(method, segments, search);
      if (interaction === undefined) throw forbidden('A Bundle entry asks for an interaction the token does not allow');
      const reach = this.#reach(access, interaction);
      if (reach === 'all') continue;
      if (method === 'GET' || method === 'PATCH' || interaction.conditional || entry.request?.ifNoneExist !== undefined) {
        throw forbidden('Under a patient/ scope, Bundles may only create, update or delete resources by id');
      }
      await this.#checkWrite(access, interaction, method, entry.resource);
    }
  }
}
