/**
 * The boundary and scope rule catalog: every rule with a stable id, its category, default
 * severity, rationale, source and what it applies to. Each note rule is defined together with its
 * check in its category's file under `note/` (run by `note-rules.ts`); the label rule is checked in
 * `check-labels.ts`; each record rule is defined together with its check in its family's file
 * under `record/`.
 */
import { MODEL_RULE_DEFINITIONS } from './note/model/model-rules';
import { NOTE_RULES } from './note-rules';
import { RECORD_RULES } from './record/record-rules';
import type { RuleDefinition } from './rule-definition';
import { SOURCES } from './sources';

/** The rule over FHIR labels. */
const LABEL_RULES: readonly RuleDefinition[] = [
  {
    id: 'confidentiality.part2-unlabeled',
    category: 'confidentiality',
    severity: 'error',
    title: 'Data from a 42 CFR Part 2 program is not labeled',
    rationale: 'Part 2 records need confidentiality R with the 42CFRPart2 basis, a SUD sensitivity tag and the NORDSCLCD refrain so receivers enforce them.',
    source: SOURCES.ds4p,
    appliesTo: ['fhir-resource'],
  },
];

/**
 * The note model's rules (`note-model.<category>`, one per note category): the warnings `lintNote`
 * and `checkClinic` add by default where the model trained on the labelled corpus reads a category
 * no rule found (see docs/note-linter.md). Part of {@link RULES}, so a policy can disable or
 * re-grade them like any rule.
 */
export const NOTE_MODEL_RULES: readonly RuleDefinition[] = MODEL_RULE_DEFINITIONS;

/** Every rule of the catalog: note rules by category, the note model's rules, the label rule, then the record rules by family. */
export const RULES: readonly RuleDefinition[] = [...NOTE_RULES.map((r) => r.definition), ...NOTE_MODEL_RULES, ...LABEL_RULES, ...RECORD_RULES.map((r) => r.definition)];

/** The ids of every rule (accepted in a policy's `disabledRules` and `severity`). */
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/**
 * The rule with an id.
 *
 * @param id - a rule id of {@link RULES}
 * @returns the rule
 * @throws Error when no rule has the id
 */
export function ruleById(id: string): RuleDefinition {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}
