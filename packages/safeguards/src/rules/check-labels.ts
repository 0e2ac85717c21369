/**
 * The `confidentiality.part2-unlabeled` rule over FHIR resources: data from a 42 CFR Part 2
 * program must carry confidentiality R with the 42CFRPart2 basis (or tag), a substance-use
 * sensitivity tag and the NORDSCLCD refrain.
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { Resource } from 'fhir/r4';
import { normalizeSystem, SUD_SENSITIVITY } from '../internal/codes';
import type { LabelContext } from '../disclosure/security-labels';
import { isPart2Labeled } from '../disclosure/security-labels';
import { ruleById } from './catalog';
import { createFinding, type Finding } from './finding';
import { DEFAULT_POLICY, severityFor, type Policy } from './policy';

/** What a Part 2 resource lacks: the codes it should carry. */
function missingPart2Labels(resource: Resource): string[] {
  const security = resource.meta?.security ?? [];
  const has = (system: string, codes: readonly string[]): boolean =>
    security.some((c) => normalizeSystem(c.system) === system && codes.includes(c.code ?? ''));
  const missing: string[] = [];
  if (!has(SYSTEMS.confidentiality, ['R', 'V'])) missing.push('R');
  if (!isPart2Labeled(resource)) missing.push('42CFRPart2');
  if (!has(SYSTEMS.actCode, SUD_SENSITIVITY)) missing.push('SUD');
  if (!has(SYSTEMS.actCode, ['NORDSCLCD'])) missing.push('NORDSCLCD');
  return missing;
}

/**
 * Checks that resources from 42 CFR Part 2 programs carry the DS4P labels.
 *
 * @param resources - FHIR resources (e.g. the entries of a Bundle)
 * @param contextOf - the program context of a resource (`part2` or a substance-use/co-occurring
 * program type marks Part 2 data); `undefined` when unknown (not checked)
 * @param policy - disabled rules and severities
 * @returns one finding per under-labeled resource, at `meta.security`
 * @example
 * checkSecurityLabels(bundle.entry.map((e) => e.resource), () => ({ programType: 'substance-use' }));
 * See: reference/fhir-mapping.md §2.4
 */
export function checkSecurityLabels(
  resources: readonly Resource[],
  contextOf: (resource: Resource) => LabelContext | undefined,
  policy: Policy = DEFAULT_POLICY,
): Finding[] {
  const rule = ruleById('confidentiality.part2-unlabeled');
  if (policy.disabledRules.includes(rule.id)) return [];
  const findings: Finding[] = [];
  for (const resource of resources) {
    const context = contextOf(resource);
    if (!context) continue;
    const part2 = context.part2 ?? (context.programType === 'substance-use' || context.programType === 'co-occurring');
    if (!part2 || missingPart2Labels(resource).length === 0) continue;
    const place = resource.id === undefined
      ? { recordKind: 'fhir-resource' as const, path: ['meta', 'security'] }
      : { recordKind: 'fhir-resource' as const, recordId: `${resource.resourceType}/${resource.id}`, path: ['meta', 'security'] };
    findings.push(createFinding(rule, severityFor(policy, rule), place));
  }
  return findings;
}
