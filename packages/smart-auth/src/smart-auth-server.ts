/// <reference path="./internal/oidc-provider.d.ts" />
/**
 * The SMART App Launch authorization server: oidc-provider configured for SMART (public clients,
 * PKCE S256, scopes v2, launch context, JWT access tokens for the FHIR base) behind `node:http`, with
 * the EHR launcher page, the development sign-in and the standalone patient picker.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/app-launch.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import type { KoaContextLike, TokenLike } from 'oidc-provider';
import { FhirDirectory } from './internal/directory';
import { createSigningKey } from './internal/keys';
import { ExpiringMap, LaunchStore } from './internal/launches';
import { isLoopbackHost, urlHost } from './internal/loopback';
import { MemoryStore } from './internal/memory-adapter';
import { isCrossSitePost, readForm, redirect, sendHtml, sendJsonBody } from './internal/http';
import { createInteractionHandler, type GrantContext } from './internal/interaction';
import { createLauncher } from './internal/launcher';
import { errorPage } from './internal/pages';
import { IDENTITY_SCOPES, LAUNCH_SCOPES, parseResourceScope } from './scopes';
import { buildSmartConfiguration } from './smart-configuration';
import type { IssueAccessTokenOptions, SmartAuthServer, SmartAuthServerOptions, SmartClient, SmartUser } from './types';

/** oidc-provider, imported without its "Unsupported runtime" line on Node 20 (see the README). */
async function loadProvider(): Promise<typeof import('oidc-provider')> {
  const warn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function checkHttpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`startSmartAuthServer: ${what} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new TypeError(`startSmartAuthServer: ${what} must use https, or http on loopback`);
  }
  return value;
}

/** Throws a TypeError naming the first field of a client registration that is not usable. */
function checkClient(client: SmartClient): void {
  if (typeof client.clientId !== 'string' || !/^[\w.~-]{1,200}$/.test(client.clientId)) {
    throw new TypeError('registerClient: clientId must be 1 to 200 letters, digits, ".", "_", "~" or "-"');
  }
  if (client.redirectUris.length === 0) throw new TypeError('registerClient: redirectUris must hold at least one URI');
  for (const uri of client.redirectUris) checkHttpUrl(uri, 'a redirect URI');
  if (client.launchUrl !== undefined) checkHttpUrl(client.launchUrl, 'launchUrl');
}

/**
 * Starts the SMART authorization server for a FHIR base, on loopback.
 *
 * @param options - the FHIR base, registered apps, users, port; see {@link SmartAuthServerOptions}
 * @returns the running server: issuer, launcher URL, client registration, launches, `close()`
 * @throws TypeError when `fhirBaseUrl` or a client URL is not an http(s) URL (http only on loopback)
 * @throws RangeError when `host` is not a loopback address or `port` is out of range
 * @example
 * const smart = await startSmartAuthServer({ fhirBaseUrl: fhir.baseUrl, clients: [{ clientId: 'app', redirectUris: ['http://127.0.0.1:5173/'] }] });
 * console.log(smart.launcherUrl);
 * await smart.close();
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/app-launch.html
 */
export async function startSmartAuthServer(options: SmartAuthServerOptions): Promise<SmartAuthServer> {
  const fhirBaseUrl = trimSlash(checkHttpUrl(options.fhirBaseUrl, 'fhirBaseUrl'));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!isLoopbackHost(host)) throw new RangeError('startSmartAuthServer: host must be a loopback address (development sign-in has no password)');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('startSmartAuthServer: port must be a whole number from 0 to 65535');
  const accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;
  if (!Number.isInteger(accessTokenTtl) || accessTokenTtl < 1) throw new RangeError('startSmartAuthServer: accessTokenTtlSeconds must be a positive whole number');
  const launchTtl = options.launchTtlSeconds ?? 600;
  if (!Number.isInteger(launchTtl) || launchTtl < 1) throw new RangeError('startSmartAuthServer: launchTtlSeconds must be a positive whole number');
  // Checked before listening, so a bad registration leaves no server behind.
  for (const client of options.clients ?? []) checkClient(client);

  const { Provider: ProviderClass, errors: ProviderErrors } = await loadProvider();
  const key = await createSigningKey();
  const store = new MemoryStore();
  const launches = new LaunchStore(launchTtl);
  const grants = new ExpiringMap<GrantContext>(24 * 3600 * 1000);
  const accounts = new Map<string, SmartUser>();
  const clients = new Map<string, SmartClient>();

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const issuer = `http://${urlHost(host)}:${actualPort}`;
  const smartStyleUrl = options.smartStyleUrl === false ? undefined : (options.smartStyleUrl ?? `${issuer}/smart-style.json`);
  const smartConfiguration = buildSmartConfiguration(issuer);

  const issueAccessToken = async (request: IssueAccessTokenOptions): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = request.expiresInSeconds ?? 300;
    const claims: Record<string, unknown> = { scope: request.scope, client_id: request.clientId ?? 'peerkit-dev-service' };
    if (request.patient !== undefined) claims.patient = request.patient;
    if (request.encounter !== undefined) claims.encounter = request.encounter;
    if (request.fhirUser !== undefined) claims.fhirUser = absoluteFhirUser(request.fhirUser);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(fhirBaseUrl)
      .setSubject(request.subject ?? 'peerkit-dev-service')
      .setJti(randomUUID())
      .setIssuedAt(lifetime < 0 ? now + lifetime - 60 : now)
      .setExpirationTime(now + lifetime)
      .sign(key.privateKey);
  };
  const directory = new FhirDirectory(fhirBaseUrl, (scope) => issueAccessToken({ scope, expiresInSeconds: 60 }));

  function absoluteFhirUser(reference: string): string {
    return /^https?:\/\//.test(reference) ? reference : `${fhirBaseUrl}/${reference}`;
  }

  async function users(): Promise<SmartUser[]> {
    return options.users === undefined ? directory.practitioners() : [...options.users];
  }

  async function findUser(id: string): Promise<SmartUser | undefined> {
    return accounts.get(id) ?? (await users()).find((user) => user.id === id);
  }

  function registerClient(client: SmartClient): void {
    checkClient(client);
    clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
    void store.adapterFor('Client').upsert(
      client.clientId,
      {
        client_id: client.clientId,
        client_name: client.name ?? client.clientId,
        redirect_uris: [...client.redirectUris],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        application_type: 'web',
      },
      0,
    );
  }

  const provider = new ProviderClass(issuer, {
    adapter: store.adapterFor,
    jwks: { keys: [key.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    scopes: [...IDENTITY_SCOPES],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name', 'fhirUser'] },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'RS256',
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      jwks: '/jwks',
      userinfo: '/userinfo',
      revocation: '/revoke',
      end_session: '/logout',
    },
    extraParams: {
      aud(_ctx: unknown, value: unknown): void {
        if (typeof value !== 'string' || trimSlash(value) !== fhirBaseUrl) {
          throw new ProviderErrors.InvalidRequest('aud must be the FHIR base URL of this server');
        }
      },
      launch(_ctx: unknown, value: unknown): void {
        if (value !== undefined && (typeof value !== 'string' || launches.get(value) === undefined)) {
          throw new ProviderErrors.InvalidRequest('launch is unknown or expired');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBaseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx: KoaContextLike, resource: string) => {
          if (trimSlash(resource) !== fhirBaseUrl) throw new ProviderErrors.InvalidTarget('the only resource is the FHIR base');
          return { scope: resourceServerScope(ctx), audience: fhirBaseUrl, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenTtl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    loadExistingGrant: async (ctx: { oidc: { result?: { consent?: { grantId?: string } } } }) => {
      // A grant only from this authorization's own interaction: each launch binds its own context.
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId === undefined ? undefined : provider.Grant.find(grantId);
    },
    findAccount: (_ctx: unknown, id: string) => {
      const user = accounts.get(id);
      if (user === undefined) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: user.name, fhirUser: absoluteFhirUser(user.fhirUser) }) };
    },
    extraTokenClaims: (_ctx: unknown, token: TokenLike) => {
      const context = token.grantId === undefined ? undefined : grants.get(token.grantId);
      if (context === undefined) return undefined;
      const claims: Record<string, string> = {};
      if (context.patient !== undefined) claims.patient = context.patient;
      if (context.encounter !== undefined) claims.encounter = context.encounter;
      if (context.fhirUser !== undefined) claims.fhirUser = context.fhirUser;
      return claims;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: accessTokenTtl, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 24 * 3600, Interaction: 3600, Session: 24 * 3600, Grant: 24 * 3600 },
    renderError: (ctx: KoaContextLike & { type: string }, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error ?? 'error', out.error_description ?? 'The request could not be completed.');
    },
  });

  /** The SMART scopes of this request that the FHIR base understands (launch and resource scopes). */
  function resourceServerScope(ctx: KoaContextLike): string {
    const entities = ctx.oidc?.entities ?? {};
    const sources = [
      ctx.oidc?.params?.scope,
      (entities.AuthorizationCode as TokenLike | undefined)?.scope,
      (entities.RefreshToken as TokenLike | undefined)?.scope,
    ];
    const scopes = new Set<string>();
    for (const source of sources) {
      if (typeof source !== 'string') continue;
      for (const scope of source.split(' ')) if (LAUNCH_SCOPES.includes(scope) || parseResourceScope(scope) !== undefined) scopes.add(scope);
    }
    return [...scopes].join(' ');
  }

  // The launch context goes into the token response next to the token (SMART's "launch context").
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || ctx.method !== 'POST' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (body === undefined || typeof body.access_token !== 'string') return;
    const entities = ctx.oidc?.entities ?? {};
    const grantId = (entities.AccessToken as TokenLike | undefined)?.grantId;
    const context = grantId === undefined ? undefined : grants.get(grantId);
    if (context === undefined) return;
    const source = ((entities.AuthorizationCode ?? entities.RefreshToken) as TokenLike | undefined)?.scope;
    const asked = new Set(source?.split(' ') ?? context.scopes);
    body.scope = context.scopes.filter((scope) => asked.has(scope)).join(' ');
    if (context.patient !== undefined) body.patient = context.patient;
    if (context.encounter !== undefined) body.encounter = context.encounter;
    if (context.launched) {
      body.need_patient_banner = context.needPatientBanner;
      if (smartStyleUrl !== undefined) body.smart_style_url = smartStyleUrl;
    }
    if (context.intent !== undefined) body.intent = context.intent;
  });

  const providerCallback = provider.callback();

  function launchUrlFor(clientId: string, launchId: string): string {
    const client = clients.get(clientId);
    if (client?.launchUrl === undefined) throw new Error(`launchUrl: no registered app ${JSON.stringify(clientId)} with a launchUrl`);
    const url = new URL(client.launchUrl);
    url.searchParams.set('iss', fhirBaseUrl);
    url.searchParams.set('launch', launchId);
    return url.href;
  }

  const interaction = createInteractionHandler({ provider, fhirBaseUrl, clients, launches, grants, accounts, directory, users, findUser, absoluteFhirUser });
  const launcher = createLauncher({ fhirBaseUrl, clients, launches, directory, users, findUser, launchUrlFor });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    const path = url.pathname;
    if (path === '/.well-known/smart-configuration' && req.method === 'GET') {
      sendJsonBody(res, 200, smartConfiguration);
      return;
    }
    if (path === '/smart-style.json' && req.method === 'GET') {
      sendJsonBody(res, 200, { color_background: '#ffffff', color_highlight: '#0050b3', color_text: '#1a1a1a', font_family_body: 'system-ui, sans-serif', dim_border_radius: '4px' });
      return;
    }
    if ((path === '/launcher/launch' || path.startsWith('/interaction/')) && isCrossSitePost(req)) {
      sendHtml(res, 403, errorPage('invalid_request', 'This form can only be sent from this server\'s own pages.'));
      return;
    }
    if (path === '/' || path === '/launcher' || path === '/launcher/launch') {
      if (path === '/') redirect(res, '/launcher');
      else await launcher(req, res);
      return;
    }
    const match = /^\/interaction\/([\w-]+)(?:\/(login|patient|deny))?$/.exec(path);
    if (match !== null) {
      await interaction(req, res, match[1] ?? '', match[2]);
      return;
    }
    if (path === '/authorize' && (req.method === 'GET' || req.method === 'POST')) {
      // oidc-provider drops offline_access unless prompt=consent is asked (an OpenID Connect rule);
      // SMART apps ask for offline_access alone, and every authorization here passes consent anyway.
      // A POST (SMART's authorize-post) is answered with the same request as a GET, to add it there.
      const params = req.method === 'POST' ? await readForm(req) : url.searchParams;
      const scope = params.get('scope')?.split(' ') ?? [];
      if (scope.includes('offline_access') && !params.has('prompt')) params.set('prompt', 'consent');
      if (req.method === 'POST') {
        redirect(res, `/authorize?${params}`);
        return;
      }
      req.url = `${url.pathname}?${params}`;
    }
    providerCallback(req, res);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch(() => {
      // Never echo the error: it may quote request data.
      sendHtml(res, 400, errorPage('invalid_request', 'The request could not be completed (the sign-in may have expired: start the launch again).'));
    });
  });

  for (const client of options.clients ?? []) registerClient(client);

  let closed: Promise<void> | undefined;
  return {
    issuer,
    launcherUrl: `${issuer}/launcher`,
    jwksUri: `${issuer}/jwks`,
    port: actualPort,
    fhirBaseUrl,
    smartConfiguration,
    registerClient,
    createLaunch: (context) => launches.create(context),
    launchUrl: launchUrlFor,
    issueAccessToken,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          store.clear();
          launches.clear();
          grants.clear();
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
