import {
  evalFhirPath,
  getSearchParameters,
  matchesSearchRequest,
  Operator,
  splitSearchOnComma,
  validateResource,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
// Medplum's own FHIR types: the engine's method signatures are written against them.
import type { Bundle, Resource } from '@medplum/fhirtypes';

/** The search parameter the index serves: `identifier`, a token on most resource types. */
const IDENTIFIER = 'identifier';

/** The lower-cased token values an evaluated `identifier` expression yields (Identifier, Coding, code). */
function tokenValues(values: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (typeof value === 'string') {
      out.push(value.toLowerCase());
    } else if (typeof value === 'object' && value !== null) {
      const { value: v, code, coding } = value as { value?: unknown; code?: unknown; coding?: unknown };
      if (typeof v === 'string') out.push(v.toLowerCase());
      if (typeof code === 'string') out.push(code.toLowerCase());
      if (Array.isArray(coding)) out.push(...tokenValues(coding));
    }
  }
  return out;
}

/**
 * Medplum's in-memory repository with two additions:
 *
 * - every write (create, update, patch, and the conditional and Bundle variants, which all end in
 *   `createResource`) is checked with `validateResource` first; an invalid resource is rejected with
 *   the validator's OperationOutcome (HTTP 400) and nothing is stored;
 * - an index of `identifier` token values, so `Type?identifier=…` searches (the conditional
 *   create/update of every sync) cost a lookup instead of a scan of every resource of the type.
 *   The index only narrows the candidates: each one is still checked with Medplum's own
 *   `matchesSearchRequest`, so results are exactly what the unindexed search returns.
 *
 * See: https://hl7.org/fhir/R4/validation.html, https://hl7.org/fhir/R4/search.html#token
 */
export class ValidatingRepository extends MemoryRepository {
  /** resourceType → lower-cased identifier value → ids. */
  private readonly byIdentifier = new Map<string, Map<string, Set<string>>>();
  /** resourceType → id → the values it is indexed under (to unindex on update and delete). */
  private readonly indexedValues = new Map<string, Map<string, string[]>>();
  /** resourceType → how to read its identifier values. */
  private readonly readers = new Map<string, (resource: Resource) => unknown[]>();

  override clear(): void {
    super.clear();
    this.byIdentifier.clear();
    this.indexedValues.clear();
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
    const candidates = this.identifierCandidates(searchRequest);
    if (candidates === undefined) return super.search(searchRequest);
    const matches: WithId<T>[] = [];
    for (const id of candidates) {
      const resource = await this.readResource<WithId<T>>(searchRequest.resourceType, id);
      if (matchesSearchRequest(resource, searchRequest)) matches.push(resource);
    }
    let page = matches;
    if (searchRequest.offset !== undefined) page = page.slice(searchRequest.offset);
    if (searchRequest.count !== undefined) page = page.slice(0, searchRequest.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(page.length > 0 ? { entry: page.map((resource) => ({ resource })) } : {}),
      total: matches.length,
    };
  }

  /** The ids that may match an `identifier=` filter, or undefined when the index cannot answer. */
  private identifierCandidates(searchRequest: SearchRequest): Set<string> | undefined {
    const { resourceType, filters, sortRules, types } = searchRequest;
    if ((sortRules !== undefined && sortRules.length > 0) || (types !== undefined && types.length > 0)) return undefined;
    const filter = filters?.find((f) => f.code === IDENTIFIER && f.operator === Operator.EQUALS && f.value !== '');
    if (filter === undefined || !this.isIndexed(resourceType)) return undefined;
    const index = this.byIdentifier.get(resourceType);
    const candidates = new Set<string>();
    for (const token of splitSearchOnComma(filter.value)) {
      let value = token;
      if (token.includes('|')) {
        // `system|` matches any value of the system: the index (by value) cannot narrow that.
        const part = token.split('|')[1];
        if (part === undefined || part === '') return undefined;
        value = part;
      }
      for (const id of index?.get(value.toLowerCase()) ?? []) candidates.add(id);
    }
    return candidates;
  }

  private isIndexed(resourceType: string): boolean {
    const param = getSearchParameters(resourceType)?.[IDENTIFIER];
    return param?.type === 'token' && typeof param.expression === 'string';
  }

  /**
   * How to read a type's identifier values: the `identifier` parameter's expression is one union
   * over ~30 types (`AllergyIntolerance.identifier | CarePlan.identifier | …`), far too slow to
   * evaluate on every write. Keep the branches of this type; plain `Type.element` branches are
   * read directly, anything else goes through FHIRPath.
   */
  private readerOf(resourceType: string): (resource: Resource) => unknown[] {
    let reader = this.readers.get(resourceType);
    if (reader !== undefined) return reader;
    const expression = getSearchParameters(resourceType)?.[IDENTIFIER]?.expression ?? '';
    const branches = expression
      .split('|')
      .map((b) => b.trim())
      .filter((b) => b.startsWith(`${resourceType}.`));
    const elements = branches.map((b) => /^[A-Za-z]+\.([a-z][A-Za-z]*)$/.exec(b)?.[1]);
    if (elements.every((e): e is string => e !== undefined)) {
      reader = (resource) =>
        elements.flatMap((element) => {
          const value = (resource as unknown as Record<string, unknown>)[element];
          return value === undefined ? [] : Array.isArray(value) ? value : [value];
        });
    } else {
      const relevant = branches.join(' | ');
      reader = (resource) => (relevant === '' ? [] : evalFhirPath(relevant, resource));
    }
    this.readers.set(resourceType, reader);
    return reader;
  }

  private index(resource: WithId<Resource>): void {
    const { resourceType, id } = resource;
    if (!this.isIndexed(resourceType)) return;
    const values = [...new Set(tokenValues(this.readerOf(resourceType)(resource)))];
    if (values.length === 0) return;
    let byValue = this.byIdentifier.get(resourceType);
    if (byValue === undefined) {
      byValue = new Map();
      this.byIdentifier.set(resourceType, byValue);
    }
    for (const value of values) {
      let ids = byValue.get(value);
      if (ids === undefined) {
        ids = new Set();
        byValue.set(value, ids);
      }
      ids.add(id);
    }
    let ofType = this.indexedValues.get(resourceType);
    if (ofType === undefined) {
      ofType = new Map();
      this.indexedValues.set(resourceType, ofType);
    }
    ofType.set(id, values);
  }

  private unindex(resourceType: string, id: string): void {
    const values = this.indexedValues.get(resourceType)?.get(id);
    if (values === undefined) return;
    const byValue = this.byIdentifier.get(resourceType);
    for (const value of values) {
      const ids = byValue?.get(value);
      ids?.delete(id);
      if (ids?.size === 0) byValue?.delete(value);
    }
    this.indexedValues.get(resourceType)?.delete(id);
  }
}
