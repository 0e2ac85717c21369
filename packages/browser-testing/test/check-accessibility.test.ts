/**
 * checkAccessibility on pages served over loopback HTTP with a strict Content Security Policy
 * (`default-src 'none'`, no script source allowed): axe still runs and still finds what is wrong.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility, launchChromium, type TestBrowser } from '../src/index';

const CSP = "default-src 'none'; script-src 'none'; style-src 'none'; img-src 'self'";
const PAGES: Record<string, string> = {
  '/clean': '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Plan</h1><p>Synthetic text.</p></main></body></html>',
  // An image without alternative text and a form field without a label: two WCAG A violations.
  '/broken': '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Plan</h1><img src="/pixel.png"><input type="text"></main></body></html>',
};

let server: Server;
let base = '';
let chromium: TestBrowser;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = PAGES[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404, { 'content-security-policy': CSP }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('checkAccessibility on a page with a strict CSP', () => {
  it('the CSP is in force: the page itself cannot add and run a script element', async () => {
    const { page } = await chromium.newPage();
    await page.goto(`${base}/clean`);
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.ran = "yes"';
      document.head.append(script);
      return document.body.dataset.ran ?? 'no';
    });
    expect(ran).toBe('no');
  });

  it('reports the violations of a broken page', async () => {
    const { page } = await chromium.newPage();
    await page.goto(`${base}/broken`);
    const ids = (await checkAccessibility(page)).map((v) => v.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label']));
  });

  it('reports none for a clean page', async () => {
    const { page } = await chromium.newPage();
    await page.goto(`${base}/clean`);
    expect(await checkAccessibility(page)).toEqual([]);
  });
});
