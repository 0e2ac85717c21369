/**
 * FHIR create ignores the id a client sends: "The resource does not need to have an id element
 * (this is one of the few cases where a resource exists without an id element). If an id is
 * provided, the server SHALL ignore it." The engine would keep it, so a create could overwrite an
 * existing resource with that id; the server drops it before the engine sees the request.
 *
 * See: https://hl7.org/fhir/R4/http.html#create, https://hl7.org/fhir/R4/http.html#trules (a
 * transaction or batch entry with `request.method` POST is a create too)
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutId(resource: Json): Json {
  if (!('id' in resource)) return resource;
  const { id: _ignored, ...rest } = resource;
  return rest;
}

/**
 * The body the engine gets for a request: a type-level POST without the resource's id, a batch or
 * transaction Bundle with the ids of its POST entries' resources removed; anything else unchanged.
 */
export function dropCreateIds(method: string, segments: readonly string[], body: unknown): unknown {
  if (method !== 'POST' || !isObject(body)) return body;
  if (segments.length === 1 && body['resourceType'] === segments[0]) return withoutId(body);
  if (segments.length !== 0 || body['resourceType'] !== 'Bundle' || !Array.isArray(body['entry'])) return body;
  if (body['type'] !== 'transaction' && body['type'] !== 'batch') return body;
  const entry = (body['entry'] as unknown[]).map((e) => {
    if (!isObject(e) || !isObject(e['request']) || e['request']['method'] !== 'POST' || !isObject(e['resource'])) return e;
    return 'id' in e['resource'] ? { ...e, resource: withoutId(e['resource']) } : e;
  });
  return { ...body, entry };
}
