import { describe, expect, it } from 'vitest';
import { createCodeVocabulary, relateCodes, type CodeCriterion, type CodeRelation } from './compile-codes';

const V3 = 'http://terminology.hl7.org/CodeSystem';
const ACTION = `${V3}/consentaction`;
const REASON = `${V3}/v3-ActReason`;
const ACT = `${V3}/v3-ActCode`;
const CONF = `${V3}/v3-Confidentiality`;
const TYPES = 'http://hl7.org/fhir/resource-types';
const LOINC = 'http://loinc.org';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const vocabulary = createCodeVocabulary();

type Row = [name: string, criterion: CodeCriterion, provision: [string | undefined, string], request: [string | undefined, string], relation: CodeRelation];

const rows: Row[] = [
  ['same code', 'action', [ACTION, 'access'], [ACTION, 'access'], 'covers'],
  ['disclose begins with access (deny of access applies)', 'action', [ACTION, 'access'], [ACTION, 'disclose'], 'overlaps'],
  ['use begins with access', 'action', [ACTION, 'access'], [ACTION, 'use'], 'overlaps'],
  ['correct begins with access', 'action', [ACTION, 'access'], [ACTION, 'correct'], 'overlaps'],
  ['access is not a disclosure', 'action', [ACTION, 'disclose'], [ACTION, 'access'], 'distinct'],
  ['collect is not a disclosure', 'action', [ACTION, 'disclose'], [ACTION, 'collect'], 'distinct'],
  ['an action of an unknown system', 'action', [ACTION, 'disclose'], ['urn:local', 'read'], 'unknown'],
  ['a provision action of an unknown system', 'action', ['urn:local', 'read'], [ACTION, 'disclose'], 'unknown'],
  ['purpose: narrower request (ETREAT under TREAT) meets a deny, not a permit', 'purpose', [REASON, 'TREAT'], [REASON, 'ETREAT'], 'overlaps'],
  ['purpose: two levels down (BTG under ETREAT under TREAT)', 'purpose', [REASON, 'TREAT'], [REASON, 'BTG'], 'overlaps'],
  ['purpose: COC is treatment', 'purpose', [REASON, 'TREAT'], [REASON, 'COC'], 'overlaps'],
  ['purpose: broader request', 'purpose', [REASON, 'ETREAT'], [REASON, 'TREAT'], 'overlaps'],
  ['purpose: unrelated', 'purpose', [REASON, 'TREAT'], [REASON, 'HMARKT'], 'distinct'],
  ['purpose: research is not payment', 'purpose', [REASON, 'HPAYMT'], [REASON, 'CLINTRCH'], 'distinct'],
  ['purpose: ActReason code outside PurposeOfUse', 'purpose', [REASON, 'TREAT'], [REASON, 'OVRER'], 'unknown'],
  ['purpose: bare code, different', 'purpose', [undefined, 'TREAT'], [REASON, 'HMARKT'], 'unknown'],
  ['purpose: bare code, same', 'purpose', [undefined, 'TREAT'], [REASON, 'TREAT'], 'covers'],
  ['label: OPIOIDUD is a SUD', 'securityLabel', [ACT, 'SUD'], [ACT, 'OPIOIDUD'], 'overlaps'],
  ['label: SUD data may be alcohol use', 'securityLabel', [ACT, 'ETHUD'], [ACT, 'SUD'], 'overlaps'],
  ['label: ETH (older code) overlaps SUD', 'securityLabel', [ACT, 'ETH'], [ACT, 'SUD'], 'overlaps'],
  ['label: 42CFRPart2 records are SUD records', 'securityLabel', [ACT, 'SUD'], [ACT, '42CFRPart2'], 'overlaps'],
  ['label: behavioral health includes mental health', 'securityLabel', [ACT, 'BH'], [ACT, 'MH'], 'overlaps'],
  ['label: HIV and STD overlap', 'securityLabel', [ACT, 'HIV'], [ACT, 'STD'], 'overlaps'],
  ['label: SUD is not HIV', 'securityLabel', [ACT, 'SUD'], [ACT, 'HIV'], 'distinct'],
  ['label: SUD is not mental health (labels are complete: co-occurring data carries both)', 'securityLabel', [ACT, 'SUD'], [ACT, 'MH'], 'distinct'],
  ['label: alcohol and opioid use disorders are distinct', 'securityLabel', [ACT, 'ETHUD'], [ACT, 'OPIOIDUD'], 'distinct'],
  ['label: sensitivity vs handling caveat', 'securityLabel', [ACT, 'HIV'], [ACT, 'NORDSCLCD'], 'distinct'],
  ['label: confidentiality lower is covered (R covers N)', 'securityLabel', [CONF, 'R'], [CONF, 'N'], 'covers'],
  ['label: confidentiality higher (V above R)', 'securityLabel', [CONF, 'R'], [CONF, 'V'], 'overlaps'],
  ['label: confidentiality vs sensitivity are independent fields', 'securityLabel', [ACT, 'HIV'], [CONF, 'R'], 'distinct'],
  ['label: an ActCode code PeerKit does not list', 'securityLabel', [ACT, 'HIV'], [ACT, 'XYZZY'], 'unknown'],
  ['label: a local label system', 'securityLabel', [ACT, 'HIV'], ['urn:local:labels', 'secret'], 'unknown'],
  ['label: legacy URI normalized upstream is the same system', 'securityLabel', [ACT, 'ETH'], [ACT, 'ETH'], 'covers'],
  ['class: other resource type', 'class', [TYPES, 'DocumentReference'], [TYPES, 'Encounter'], 'distinct'],
  ['class: Resource covers every type', 'class', [TYPES, 'Resource'], [TYPES, 'Encounter'], 'covers'],
  ['class: a MIME type vs a resource type', 'class', ['urn:ietf:bcp:13', 'text/plain'], [TYPES, 'DocumentReference'], 'unknown'],
  ['code: other LOINC code', 'code', [LOINC, '11506-3'], [LOINC, '34904-3'], 'distinct'],
  ['code: SNOMED (hierarchy not held)', 'code', ['http://snomed.info/sct', '410606002'], ['http://snomed.info/sct', '1234567'], 'unknown'],
  ['code: LOINC vs SNOMED', 'code', [LOINC, '11506-3'], ['http://snomed.info/sct', '410606002'], 'unknown'],
  ['code: ICD-10-CM category and a subcode overlap', 'code', [ICD, 'F10'], [ICD, 'F10.20'], 'overlaps'],
  ['code: ICD-10-CM subcode inside a broader request', 'code', [ICD, 'F10.20'], [ICD, 'F10'], 'overlaps'],
  ['code: ICD-10-CM other category', 'code', [ICD, 'F10'], [ICD, 'F32.9'], 'distinct'],
];

const code = ([system, c]: [string | undefined, string]) => (system === undefined ? { code: c } : { system, code: c });

describe('relateCodes', () => {
  it.each(rows)('%s', (_name, criterion, p, r, relation) => {
    expect(relateCodes(vocabulary, criterion, code(p), code(r))).toBe(relation);
  });

  it('lets a host add a code system (same system: replaces)', () => {
    const host = createCodeVocabulary([{ system: 'urn:local:labels', criteria: ['securityLabel'], kind: 'closed', source: 'host policy' }]);
    expect(relateCodes(host, 'securityLabel', { system: 'urn:local:labels', code: 'a' }, { system: 'urn:local:labels', code: 'b' })).toBe('distinct');
  });
});
