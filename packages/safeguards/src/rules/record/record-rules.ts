/**
 * Every record rule, family by family in catalog order. A new rule goes into its family's list; a
 * new family file is added here.
 */
import { CONSENT_RULES } from './consent';
import { CREDENTIAL_RULES } from './credentials';
import { DOCUMENTATION_RULES } from './documentation';
import type { RecordRule } from './record-rule';
import { SUPERVISION_RULES } from './supervision';
import { WORKLOAD_RULES } from './workload';

/** The record rules, in catalog order. */
export const RECORD_RULES: readonly RecordRule[] = [
  ...CONSENT_RULES,
  ...CREDENTIAL_RULES,
  ...SUPERVISION_RULES,
  ...WORKLOAD_RULES,
  ...DOCUMENTATION_RULES,
];
