import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationOutcome } from '@medplum/fhirtypes';

/** The media type of every response body. See: https://hl7.org/fhir/R4/http.html#mime-type */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** An OperationOutcome with one error issue. */
export function outcome(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as 'invalid', details: { text } }] };
}

/** A request the HTTP layer refuses before the engine sees it: a status and an OperationOutcome. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue[0]?.details?.text ?? 'HTTP problem');
  }
}

/** Reads a request body up to `maxBytes`; a larger body is a 413. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  // Events rather than `for await`: the async iterator costs more than a small body's read, and
  // every write request pays it.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        // Stop reading: the answer (413, connection: close) goes out without the rest of the body.
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      if (!req.complete) reject(new Error('the request was cut short'));
    };
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(413, outcome('too-costly', `Request body is larger than the limit of ${maxBytes} bytes`), {
    connection: 'close',
  });
}

/** The body as the engine wants it: a parsed JSON value, or a form's fields for `_search`. */
export function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    const params = new URLSearchParams(raw.toString('utf8'));
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      fields[key] = values.length === 1 ? (values[0] ?? '') : values;
    }
    return fields;
  }
  if (type !== '' && type !== 'application/fhir+json' && type !== 'application/json' && type !== 'application/json-patch+json') {
    throw new HttpProblem(415, outcome('not-supported', 'Only JSON is supported (application/fhir+json)'));
  }
  if (raw.length === 0) throw new HttpProblem(400, outcome('required', 'Request body is empty'));
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpProblem(400, outcome('structure', 'Request body is not valid JSON'));
  }
}

/**
 * Writes a JSON body (a value, or text already serialized) with its length and the FHIR media
 * type; `undefined` sends no body.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === '' ? {} : { 'content-type': FHIR_JSON }),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
