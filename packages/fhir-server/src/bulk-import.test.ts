import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFhirServer, type FhirServer } from './fhir-server';

let server: FhirServer;
let files: Server;
let filesUrl = '';
const content = new Map<string, string>();
beforeAll(async () => {
  server = await startFhirServer();
  files = createServer((req, res) => {
    const body = content.get(req.url ?? '');
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/fhir+ndjson' }).end(body);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => files.close(resolve));
});

const kickOff = (parameter: unknown[], prefer = 'respond-async'): Promise<Response> =>
  fetch(`${server.baseUrl}/$import`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', prefer },
    body: JSON.stringify({ resourceType: 'Parameters', parameter }),
  });
const input = (type: string, url: string) => ({ name: 'input', part: [{ name: 'type', valueCode: type }, { name: 'url', valueUrl: url }] });

async function finished(location: string): Promise<{ output: { type: string; count: number }[]; error: { url: string; count: number }[] }> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(location);
    if (res.status === 200) return (await res.json()) as { output: { type: string; count: number }[]; error: { url: string; count: number }[] };
    expect(res.status).toBe(202);
    expect(res.headers.get('x-progress')).toMatch(/files read/);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the import did not finish');
}

describe('$import', () => {
  it('is offered in the CapabilityStatement', async () => {
    const statement = (await (await fetch(`${server.baseUrl}/metadata`)).json()) as { rest: { operation?: { name: string }[] }[] };
    expect(statement.rest[0]?.operation?.map((o) => o.name)).toContain('import');
  });

  it('stores each line under its own id (twice changes nothing) and lists refused lines by number in an error file', async () => {
    content.set('/Patient.ndjson', [
      JSON.stringify({ resourceType: 'Patient', id: 'imp-1', identifier: [{ system: 'https://clinic.example.org/id', value: 'imp-1' }] }),
      JSON.stringify({ resourceType: 'Patient', id: 'imp-2', active: true }),
      'not json',
      JSON.stringify({ resourceType: 'Patient' }),
      JSON.stringify({ resourceType: 'Encounter', id: 'wrong-type', status: 'finished', class: { code: 'AMB' } }),
    ].join('\n'));
    for (let round = 0; round < 2; round++) {
      const res = await kickOff([{ name: 'inputFormat', valueCode: 'application/fhir+ndjson' }, input('Patient', `${filesUrl}/Patient.ndjson`)]);
      expect(res.status).toBe(202);
      const result = await finished(res.headers.get('content-location') ?? '');
      expect(result.output).toEqual([{ type: 'Patient', count: 2, inputUrl: `${filesUrl}/Patient.ndjson` }]);
      expect(result.error).toHaveLength(1);
      const lines = (await (await fetch(result.error[0]?.url ?? '')).text()).trim().split('\n').map((l) => JSON.parse(l) as { issue: { expression: string[] }[] });
      expect(lines.map((o) => o.issue[0]?.expression[0])).toEqual(['line 3', 'line 4', 'line 5']);
    }
    const found = (await (await fetch(`${server.baseUrl}/Patient?_id=imp-1,imp-2`)).json()) as { total?: number };
    expect(found.total).toBe(2);
  });

  it('refuses a kick-off without Prefer: respond-async, without inputs, or with a file on a host it is not configured for', async () => {
    expect((await kickOff([input('Patient', `${filesUrl}/Patient.ndjson`)], '')).status).toBe(400);
    expect((await kickOff([])).status).toBe(400);
    const remote = await kickOff([input('Patient', 'https://files.example.org/Patient.ndjson')]);
    expect(remote.status).toBe(400);
    expect(((await remote.json()) as { issue: { code: string }[] }).issue[0]?.code).toBe('forbidden');
  });

  it('reports an input it cannot read as an error of that file', async () => {
    const res = await kickOff([input('Patient', `${filesUrl}/missing.ndjson`)]);
    const result = await finished(res.headers.get('content-location') ?? '');
    expect(result.output).toEqual([{ type: 'Patient', count: 0, inputUrl: `${filesUrl}/missing.ndjson` }]);
    expect(result.error[0]?.count).toBe(1);
  });
});
