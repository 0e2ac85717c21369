import { createHash, randomBytes } from 'node:crypto';

/** A browser in miniature: a cookie jar and manual redirects, as a SMART app's user agent. */
export class UserAgent {
  readonly #cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `url` until one leaves for `stopAt` (returned) or a page answers (returned). */
  async follow(url: string, stopAt: string, init: RequestInit = {}): Promise<{ url: string; response?: Response }> {
    let next = url;
    let options = init;
    for (let hops = 0; hops < 20; hops += 1) {
      if (next.startsWith(stopAt)) return { url: next };
      const response = await this.request(next, options);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return { url: next, response };
      next = new URL(location, next).href;
      options = {};
    }
    throw new Error('too many redirects');
  }

  /** Posts a form (application/x-www-form-urlencoded) and follows its redirects. */
  submit(url: string, fields: Record<string, string>, stopAt: string): Promise<{ url: string; response?: Response }> {
    return this.follow(url, stopAt, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** A PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The `action` of the page's first form whose action ends with `suffix`. */
export function formAction(html: string, suffix: string): string {
  const match = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1] ?? '').find((a) => a.endsWith(suffix));
  if (match === undefined) throw new Error(`no form posting to …${suffix} in:\n${html}`);
  return match;
}

/** Exchanges a code at the token endpoint (public client: no secret). */
export async function exchangeCode(tokenEndpoint: string, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', ...fields }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
