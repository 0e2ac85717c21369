/**
 * Reading a hook request's body: the fields the spec requires, the context fields each hook requires,
 * and `fhirAuthorization` only with a `fhirServer`. Problems name the field, never its value.
 *
 * See: https://cds-hooks.hl7.org/2.0/#http-request_1
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { isObject } from './internal/resources';
import type { CdsRequest } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates a hook request body for a hook whose context needs `contextFields` (strings) and
 * `contextObjects` (objects, e.g. `draftOrders`).
 *
 * @param body - the parsed JSON body
 * @param hook - the hook the called service answers
 * @param contextFields - string context fields the hook requires, e.g. `['userId', 'patientId']`
 * @param contextObjects - object context fields the hook requires, e.g. `['draftOrders']`. Default none
 * @returns the request, or `request.*` issues with paths into the body
 * @example
 * const request = checkCdsRequest(body, 'patient-view', ['userId', 'patientId']);
 * See: https://cds-hooks.hl7.org/2.0/#http-request_1
 */
export function checkCdsRequest(body: unknown, hook: string, contextFields: readonly string[], contextObjects: readonly string[] = []): Result<CdsRequest> {
  const issues: Issue[] = [];
  const problem = (path: (string | number)[], message: string): void => {
    issues.push({ severity: 'error', code: 'request.invalid', path, message });
  };
  if (!isObject(body)) return fail([{ severity: 'error', code: 'request.not-an-object', path: [], message: 'the request body must be a JSON object' }]);
  if (body.hook !== hook) problem(['hook'], `hook must be "${hook}" for this service`);
  if (typeof body.hookInstance !== 'string' || !UUID.test(body.hookInstance)) problem(['hookInstance'], 'hookInstance must be a UUID');
  if (body.fhirServer !== undefined && (typeof body.fhirServer !== 'string' || !URL.canParse(body.fhirServer))) problem(['fhirServer'], 'fhirServer must be a URL');
  if (body.fhirAuthorization !== undefined) {
    const auth = body.fhirAuthorization;
    if (!isObject(auth)) problem(['fhirAuthorization'], 'fhirAuthorization must be an object');
    else {
      for (const field of ['access_token', 'scope', 'subject'] as const) {
        if (typeof auth[field] !== 'string' || auth[field] === '') problem(['fhirAuthorization', field], `fhirAuthorization.${field} must be a non-empty string`);
      }
      if (auth.token_type !== 'Bearer') problem(['fhirAuthorization', 'token_type'], 'fhirAuthorization.token_type must be "Bearer"');
      if (typeof auth.expires_in !== 'number') problem(['fhirAuthorization', 'expires_in'], 'fhirAuthorization.expires_in must be a number');
    }
    if (body.fhirServer === undefined) problem(['fhirServer'], 'fhirServer is required with fhirAuthorization (cds-r-2)');
  }
  if (!isObject(body.context)) problem(['context'], 'context must be an object');
  else {
    const context = body.context;
    for (const field of contextFields) {
      if (typeof context[field] !== 'string' || context[field] === '') problem(['context', field], `context.${field} is required for ${hook}`);
    }
    for (const field of contextObjects) {
      if (!isObject(context[field])) problem(['context', field], `context.${field} must be an object for ${hook}`);
    }
  }
  if (body.prefetch !== undefined && !isObject(body.prefetch)) problem(['prefetch'], 'prefetch must be an object');
  if (issues.length > 0) return fail(issues);
  return ok(body as unknown as CdsRequest);
}
