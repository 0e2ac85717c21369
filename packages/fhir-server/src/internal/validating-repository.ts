import {
  convertToSearchableTokens,
  evalFhirPathTyped,
  getSearchParameters,
  matchesSearchRequest,
  Operator,
  parseFhirPath,
  splitSearchOnComma,
  toTypedValue,
  validateResource,
  type FhirPathAtom,
  type Filter,
  type SearchableToken,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
// Medplum's own FHIR types: the engine's method signatures are written against them.
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * The token search parameters the index serves: `identifier` (the conditional create/update and the
 * conditional references of every sync) and `_tag` (the conditional update of resources that have
 * no identifier, such as Provenance).
 */
const INDEXED_PARAMETERS: ReadonlySet<string> = new Set(['identifier', '_tag']);

/** A plain path branch of a search parameter expression: `Type.element` or `Type.element.element`. */
const PLAIN_BRANCH = /^[A-Z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/;

/** The index of one token search parameter of one resource type. */
interface TokenIndex {
  /** The parameter's expression, cut down to this type's branches and parsed once. */
  readonly expression: FhirPathAtom;
  /** Lower-cased token value → ids of the resources that have it. */
  readonly byValue: Map<string, Set<string>>;
  /** id → the resource's tokens for the parameter, as Medplum's matcher computes them. */
  readonly tokens: Map<string, readonly SearchableToken[]>;
}

/**
 * The branches of `expression` that can yield a value on a resource of `resourceType`. Search
 * parameters shared by many types are one union over all of them (`identifier` on Encounter is
 * `AllergyIntolerance.identifier | CarePlan.identifier | …`, 32 branches), which Medplum's matcher
 * parses and evaluates whole for every resource it checks. A branch for another type yields nothing
 * on a stored resource (validation rejects unknown elements), so it is dropped. Anything but a union
 * of plain paths is kept whole. Undefined when no branch is for this type.
 */
function ownBranches(resourceType: string, expression: string): string | undefined {
  const branches = expression.split('|').map((b) => b.trim());
  if (!branches.every((b) => PLAIN_BRANCH.test(b))) return expression;
  const own = branches.filter((b) => b.startsWith(`${resourceType}.`));
  return own.length === 0 ? undefined : own.join(' | ');
}

/**
 * Whether a resource token matches one value of a token filter (`code`, `system|code`, `|code`,
 * `system|`), case-insensitively. The same rules as Medplum's in-memory matcher
 * (`matchesTokenValue` in `@medplum/core` search/match.ts), which does not export them.
 */
function tokenMatches(token: SearchableToken, filterValue: string): boolean {
  if (filterValue.includes('|')) {
    const [system, value] = filterValue.split('|').map((s) => s.toLowerCase());
    if (!system && !value) return false;
    if (!system) return !token.system && token.value?.toLowerCase() === value;
    return token.system?.toLowerCase() === system && (!value || token.value?.toLowerCase() === value);
  }
  return token.value?.toLowerCase() === filterValue.toLowerCase();
}

/**
 * Medplum's in-memory repository with two additions:
 *
 * - every write (create, update, patch, and the conditional and Bundle variants, which all end in
 *   `createResource`) is checked with `validateResource` first; an invalid resource is rejected with
 *   the validator's OperationOutcome (HTTP 400) and nothing is stored;
 * - an index of the token values of `identifier` and `_tag`, so `Type?identifier=…` searches (the
 *   conditional create/update of every sync) cost a lookup instead of a scan of every resource of
 *   the type. Each resource's tokens are computed when it is written, the way Medplum's matcher
 *   computes them (the parameter's FHIRPath expression, then `convertToSearchableTokens`), and
 *   candidates are checked against them with the matcher's rules; any other filter of the search is
 *   checked with Medplum's own `matchesSearchRequest`. Results are what the unindexed search returns.
 *
 * See: https://hl7.org/fhir/R4/validation.html, https://hl7.org/fhir/R4/search.html#token
 */
export class ValidatingRepository extends MemoryRepository {
  /** resourceType → parameter code → its index, or null when the parameter cannot be indexed. */
  private readonly indexes = new Map<string, Map<string, TokenIndex | null>>();

  override clear(): void {
    super.clear();
    this.indexes.clear();
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    // Throws an OperationOutcomeError carrying every error issue; warnings are accepted.
    validateResource(resource);
    const stored = await super.createResource(resource);
    this.unindex(stored.resourceType, stored.id);
    this.index(stored);
    return stored;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.unindex(resourceType, id);
  }

  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const indexed = this.indexedFilter(searchRequest);
    if (indexed === undefined) return super.search(searchRequest);
    const { resourceType, offset, count } = searchRequest;
    const { index, filter, values } = indexed;
    const others = { ...searchRequest, filters: (searchRequest.filters ?? []).filter((f) => f !== filter) };
    const ids: string[] = [];
    for (const id of indexed.candidates) {
      const tokens = index.tokens.get(id) ?? [];
      if (!tokens.some((token) => values.some((value) => tokenMatches(token, value)))) continue;
      if (others.filters.length > 0 && !matchesSearchRequest(await this.readResource(resourceType, id), others)) continue;
      ids.push(id);
    }
    const start = offset ?? 0;
    const page = ids.slice(start, count === undefined ? undefined : start + count);
    const resources: WithId<T>[] = [];
    for (const id of page) resources.push(await this.readResource<WithId<T>>(resourceType, id));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(resources.length > 0 ? { entry: resources.map((resource) => ({ resource })) } : {}),
      total: ids.length,
    };
  }

  /**
   * The first filter the index can answer, its comma-separated values and the ids that may match
   * it; undefined when the index cannot answer the search (sorting, `_type`, modifiers, `system|`).
   */
  private indexedFilter(
    searchRequest: SearchRequest,
  ): { index: TokenIndex; filter: Filter; values: string[]; candidates: Set<string> } | undefined {
    const { resourceType, filters, sortRules, types } = searchRequest;
    if ((sortRules !== undefined && sortRules.length > 0) || (types !== undefined && types.length > 0)) return undefined;
    for (const filter of filters ?? []) {
      if (!INDEXED_PARAMETERS.has(filter.code) || filter.operator !== Operator.EQUALS || filter.value === '') continue;
      const index = this.indexOf(resourceType, filter.code);
      if (index === undefined) continue;
      const values = splitSearchOnComma(filter.value);
      const candidates = new Set<string>();
      let usable = true;
      for (const value of values) {
        // `system|` matches any value of the system: the index (by value) cannot narrow that.
        const code = value.includes('|') ? value.split('|')[1] : value;
        if (code === undefined || code === '') {
          usable = false;
          break;
        }
        for (const id of index.byValue.get(code.toLowerCase()) ?? []) candidates.add(id);
      }
      if (usable) return { index, filter, values, candidates };
    }
    return undefined;
  }

  /** The index of a type's token parameter, created on first use; undefined when it cannot be indexed. */
  private indexOf(resourceType: string, code: string): TokenIndex | undefined {
    let ofType = this.indexes.get(resourceType);
    if (ofType === undefined) {
      ofType = new Map();
      this.indexes.set(resourceType, ofType);
    }
    let index = ofType.get(code);
    if (index === undefined) {
      const param = getSearchParameters(resourceType)?.[code];
      const own = param?.type === 'token' && typeof param.expression === 'string' ? ownBranches(resourceType, param.expression) : undefined;
      index = own === undefined ? null : { expression: parseFhirPath(own), byValue: new Map(), tokens: new Map() };
      ofType.set(code, index);
    }
    return index ?? undefined;
  }

  private index(resource: WithId<Resource>): void {
    const { resourceType, id } = resource;
    for (const code of INDEXED_PARAMETERS) {
      const index = this.indexOf(resourceType, code);
      if (index === undefined) continue;
      const tokens = convertToSearchableTokens(evalFhirPathTyped(index.expression, [toTypedValue(resource)]));
      if (tokens.length === 0) continue;
      index.tokens.set(id, tokens);
      for (const token of tokens) {
        if (token.value === undefined || token.value === '') continue;
        const value = token.value.toLowerCase();
        let ids = index.byValue.get(value);
        if (ids === undefined) {
          ids = new Set();
          index.byValue.set(value, ids);
        }
        ids.add(id);
      }
    }
  }

  private unindex(resourceType: string, id: string): void {
    for (const index of this.indexes.get(resourceType)?.values() ?? []) {
      const tokens = index?.tokens.get(id);
      if (index === null || tokens === undefined) continue;
      for (const token of tokens) {
        if (token.value === undefined || token.value === '') continue;
        const value = token.value.toLowerCase();
        const ids = index.byValue.get(value);
        ids?.delete(id);
        if (ids?.size === 0) index.byValue.delete(value);
      }
      index.tokens.delete(id);
    }
  }
}
