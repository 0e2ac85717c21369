/**
 * The CDS Hooks 2.0 response and discovery shapes as checks, written from the spec's field tables
 * (https://cds-hooks.hl7.org/2.0/#cds-service-response, #card-attributes, #suggestion, #action,
 * #discovery): every problem as `<path>: <rule>`; none means the body conforms.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

function action(a: unknown, at: string, out: string[]): void {
  if (!isObject(a)) return void out.push(`${at}: must be an object`);
  if (!['create', 'update', 'delete'].includes(String(a.type))) out.push(`${at}.type: must be create, update or delete`);
  if (!isString(a.description)) out.push(`${at}.description: required string`);
  if ((a.type === 'create' || a.type === 'update') && (!isObject(a.resource) || !isString(a.resource.resourceType))) out.push(`${at}.resource: required FHIR resource for ${String(a.type)}`);
  if (a.type === 'delete' && !isString(a.resourceId)) out.push(`${at}.resourceId: required for delete`);
}

function card(c: unknown, at: string, out: string[]): void {
  if (!isObject(c)) return void out.push(`${at}: must be an object`);
  if (c.uuid !== undefined && !(isString(c.uuid) && UUID.test(c.uuid))) out.push(`${at}.uuid: must be a UUID`);
  if (!isString(c.summary) || c.summary.length > 140) out.push(`${at}.summary: required string of at most 140 characters`);
  if (c.detail !== undefined && typeof c.detail !== 'string') out.push(`${at}.detail: must be a string`);
  if (!['info', 'warning', 'critical'].includes(String(c.indicator))) out.push(`${at}.indicator: must be info, warning or critical`);
  if (!isObject(c.source) || !isString(c.source.label)) out.push(`${at}.source.label: required string`);
  else if (c.source.url !== undefined && !(isString(c.source.url) && URL.canParse(c.source.url))) out.push(`${at}.source.url: must be a URL`);
  if (c.suggestions !== undefined) {
    if (!Array.isArray(c.suggestions)) out.push(`${at}.suggestions: must be a list`);
    else {
      if (!['at-most-one', 'any'].includes(String(c.selectionBehavior))) out.push(`${at}.selectionBehavior: required (at-most-one or any) with suggestions`);
      c.suggestions.forEach((s: unknown, i) => {
        const sAt = `${at}.suggestions[${i}]`;
        if (!isObject(s)) return void out.push(`${sAt}: must be an object`);
        if (!isString(s.label)) out.push(`${sAt}.label: required string`);
        if (s.uuid !== undefined && !(isString(s.uuid) && UUID.test(s.uuid))) out.push(`${sAt}.uuid: must be a UUID`);
        if (s.isRecommended !== undefined && typeof s.isRecommended !== 'boolean') out.push(`${sAt}.isRecommended: must be a boolean`);
        if (s.actions !== undefined) {
          if (!Array.isArray(s.actions)) out.push(`${sAt}.actions: must be a list`);
          else s.actions.forEach((a: unknown, j) => action(a, `${sAt}.actions[${j}]`, out));
        }
      });
    }
  }
  if (c.links !== undefined) {
    if (!Array.isArray(c.links)) out.push(`${at}.links: must be a list`);
    else
      c.links.forEach((l: unknown, i) => {
        if (!isObject(l) || !isString(l.label) || !isString(l.url) || !['absolute', 'smart'].includes(String(l.type))) out.push(`${at}.links[${i}]: label, url and type (absolute|smart) required`);
      });
  }
  if (c.overrideReasons !== undefined && (!Array.isArray(c.overrideReasons) || c.overrideReasons.some((r: unknown) => !isObject(r) || !isString(r.code)))) {
    out.push(`${at}.overrideReasons: must be a list of codings`);
  }
}

/** Problems of a hook response body; `[]` when it conforms. */
export function cdsResponseProblems(body: unknown): string[] {
  const out: string[] = [];
  if (!isObject(body) || !Array.isArray(body.cards)) return ['cards: required list'];
  body.cards.forEach((c: unknown, i) => card(c, `cards[${i}]`, out));
  const uuids = body.cards.flatMap((c: unknown) => (isObject(c) && isString(c.uuid) ? [c.uuid] : []));
  if (new Set(uuids).size !== uuids.length) out.push('cards: uuids must be unique');
  if (body.systemActions !== undefined) {
    if (!Array.isArray(body.systemActions)) out.push('systemActions: must be a list');
    else body.systemActions.forEach((a: unknown, i) => action(a, `systemActions[${i}]`, out));
  }
  return out;
}

/** Problems of a discovery body; `[]` when it conforms. */
export function discoveryProblems(body: unknown): string[] {
  const out: string[] = [];
  if (!isObject(body) || !Array.isArray(body.services)) return ['services: required list'];
  body.services.forEach((s: unknown, i) => {
    if (!isObject(s)) return void out.push(`services[${i}]: must be an object`);
    for (const field of ['hook', 'id', 'description']) if (!isString(s[field])) out.push(`services[${i}].${field}: required string`);
    if (s.prefetch !== undefined && (!isObject(s.prefetch) || Object.values(s.prefetch).some((t) => !isString(t)))) out.push(`services[${i}].prefetch: must map keys to template strings`);
  });
  return out;
}
