// PeerKit's CodeSystems and their all-codes ValueSets, generated from the code lists of
// @peerkit/model so codes and displays cannot drift from the model: `renderTerminologyFsh()`
// writes fsh/input/fsh/terminology.generated.fsh, and test/profile-pack.test.ts fails when that
// file, or the CodeSystems in the shipped pack, differ from the model.
// See: /work/shared mapping spec ("CodeSystems: codes = the model code lists, display = label").
import * as model from '@peerkit/model';

/**
 * One PeerKit CodeSystem: its id (also the last segment of its canonical URL and of its
 * ValueSet's), the FSH name stem, the model list it comes from and its texts.
 *
 * @typedef {{ id: string, name: string, title: string, description: string, concepts: () => ReadonlyArray<{ code: string, label: string }>, source: string }} CodeSystemSpec
 */

/** @param {string} listName */
const fromModel = (listName) => () => {
  const list = /** @type {Record<string, unknown>} */ (model)[listName];
  if (!Array.isArray(list)) throw new Error(`@peerkit/model exports no code list ${listName}`);
  return list;
};

/** PeerKit's miscellaneous codes (encounter, service, plan and note types) that no standard code covers. */
export const PEERKIT_CODES = [
  { code: 'peer-support-individual', label: 'Peer support encounter' },
  { code: 'peer-support-group-session', label: 'Peer support group session' },
  { code: 'peer-support-group-attendance', label: 'Peer support group attendance' },
  { code: 'peer-support-service', label: 'Peer support service' },
  { code: 'peer-recovery-plan', label: 'Peer recovery plan' },
  { code: 'group-note', label: 'Peer support group note' },
];

/** Labels of the supervision formats (the model has the codes as a schema enum, not a labelled list). */
const SUPERVISION_FORMAT_LABELS = { individual: 'Individual supervision', group: 'Group supervision' };

/** @type {CodeSystemSpec[]} */
export const CODE_SYSTEMS = [
  { id: 'modality', name: 'Modality', list: 'MODALITIES', title: 'Encounter modality', description: 'How a peer support encounter took place (in person, video, audio only).' },
  { id: 'setting', name: 'Setting', list: 'SETTINGS', title: 'Encounter setting', description: 'Where a peer support encounter took place; for video and audio, where the peer was.' },
  { id: 'peer-activity', name: 'PeerActivity', list: 'ACTIVITIES', title: 'Peer support activity', description: 'What a peer support specialist did during an encounter.' },
  { id: 'encounter-outcome', name: 'EncounterOutcome', list: 'ENCOUNTER_STATUSES', title: 'Encounter outcome', description: 'Outcome of a scheduled peer support encounter or group session (completed, no-show, cancelled): finer than Encounter.status.' },
  { id: 'crisis-action', name: 'CrisisAction', list: 'CRISIS_ACTIONS', title: 'Crisis action', description: 'What a peer support specialist did about a crisis during an encounter.' },
  { id: 'recovery-domain', name: 'RecoveryDomain', list: 'RECOVERY_DOMAINS', title: 'Recovery domain', description: "Recovery domain of a goal (SAMHSA's dimensions of recovery: health, home, purpose, community)." },
  { id: 'step-owner', name: 'StepOwner', list: 'STEP_OWNERS', title: 'Recovery plan step owner', description: 'Who owns a step of a recovery plan.' },
  { id: 'support-role', name: 'SupportRole', list: 'SUPPORT_ROLES', title: 'Support role', description: 'Kinds of support person in a recovery plan or crisis plan.' },
  { id: 'signer-role', name: 'SignerRole', list: 'SIGNER_ROLES', title: 'Signer role', description: 'Who signed a recovery plan or a note.' },
  { id: 'signature-method', name: 'SignatureMethod', list: 'SIGNATURE_METHODS', title: 'Signature method', description: 'How a signature was captured.' },
  { id: 'attendance', name: 'Attendance', list: 'ATTENDANCE', title: 'Group attendance', description: "A peer's attendance at a group session." },
  { id: 'group-topic', name: 'GroupTopic', list: 'GROUP_TOPICS', title: 'Group topic', description: 'Topics of peer support groups.' },
  { id: 'consent-kind', name: 'ConsentKind', list: 'CONSENT_KINDS', title: 'Consent kind', description: 'Kinds of consent PeerKit documents. See: 42 CFR 2.31 (Part 2 written consent); 45 CFR 164.508 (HIPAA authorization).' },
  { id: 'data-category', name: 'DataCategory', list: 'DATA_CATEGORIES', title: 'Consent data category', description: 'Categories of information a consent covers (42 CFR 2.31(a)(3): how much and what kind of information).' },
  { id: 'recipient-type', name: 'RecipientType', list: 'RECIPIENT_TYPES', title: 'Consent recipient type', description: 'How a consent recipient is identified (42 CFR 2.31(a)(4) allows a general designation for TPO).' },
  { id: 'consent-signer', name: 'ConsentSigner', list: 'CONSENT_SIGNERS', title: 'Consent signer', description: 'Who signed a consent.' },
  { id: 'referral-category', name: 'ReferralCategory', list: 'REFERRAL_CATEGORIES', title: 'Referral category', description: 'What a referral is for (community resources, crisis services, clinical services).' },
  { id: 'referral-target-type', name: 'ReferralTargetType', list: 'REFERRAL_TARGET_TYPES', title: 'Referral target type', description: 'Where a referral goes.' },
  { id: 'referral-outcome', name: 'ReferralOutcome', list: 'REFERRAL_OUTCOMES', title: 'Referral outcome', description: 'How a closed referral turned out.' },
  { id: 'credential-type', name: 'CredentialType', list: 'CREDENTIAL_TYPES', title: 'Peer credential type', description: 'Credentials a peer support specialist may hold (HL7 v2-0360 has no peer credential; fhir-mapping.md section 1).' },
  { id: 'role-level', name: 'RoleLevel', list: 'ROLE_LEVELS', title: 'Peer specialist role level', description: 'Career level of a peer support specialist, from trainee to supervisor.' },
  { id: 'specialization', name: 'Specialization', list: 'SPECIALIZATIONS', title: 'Peer specialist specialization', description: 'Populations a peer support specialist is trained to serve.' },
  { id: 'lived-experience', name: 'LivedExperience', list: 'LIVED_EXPERIENCE_AREAS', title: 'Lived-experience area', description: "Areas of a specialist's own lived experience. Private: PeerKit exports them only when the caller opts in." },
  { id: 'program-type', name: 'ProgramType', list: 'PROGRAM_TYPES', title: 'Program type', description: 'Program types; substance-use and co-occurring programs may be 42 CFR Part 2 programs.' },
].map(({ list, ...spec }) => ({ ...spec, source: `@peerkit/model ${list}`, concepts: fromModel(list) }));

CODE_SYSTEMS.push(
  {
    id: 'supervision-format',
    name: 'SupervisionFormat',
    title: 'Supervision format',
    description: 'Format of a supervision contact.',
    source: '@peerkit/model supervisionEntrySchema.format',
    concepts: () =>
      model.supervisionEntrySchema.shape.format.options.map((code) => {
        const label = /** @type {Record<string, string>} */ (SUPERVISION_FORMAT_LABELS)[code];
        if (label === undefined) throw new Error(`supervision format ${code} has no label in scripts/terminology.mjs`);
        return { code, label };
      }),
  },
  {
    id: 'peerkit-codes',
    name: 'PeerKitCodes',
    title: 'PeerKit codes',
    description: 'Encounter, service, plan and note types of peer support for which no standard code was found (fhir-mapping.md section 3: no SNOMED CT or LOINC code for the peer support service itself).',
    source: 'scripts/terminology.mjs PEERKIT_CODES',
    concepts: () => PEERKIT_CODES,
  },
);

/** A FSH string literal. */
export function fshString(text) {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The FSH of every PeerKit CodeSystem and its all-codes ValueSet.
 *
 * @returns {string}
 */
/** `Group attendance` → `PeerKit group attendance`. */
const titled = (title) => `PeerKit ${title.charAt(0).toLowerCase()}${title.slice(1)}`;

export function renderTerminologyFsh() {
  const out = [
    '// GENERATED by scripts/terminology.mjs from the code lists of @peerkit/model: do not edit.',
    '// Regenerate with `npm run build:profiles` (test/profile-pack.test.ts fails when this file is stale).',
    '',
  ];
  for (const cs of CODE_SYSTEMS) {
    out.push(
      `CodeSystem: PeerKit${cs.name}CS`,
      `Id: ${cs.id}`,
      `Title: ${fshString(titled(cs.title))}`,
      `Description: ${fshString(`${cs.description} Codes and displays: ${cs.source}.`)}`,
      '* ^caseSensitive = true',
      '* ^content = #complete',
      '* ^experimental = false',
    );
    for (const { code, label } of cs.concepts()) {
      if (!/^[A-Za-z0-9][A-Za-z0-9.\-]*$/.test(code)) throw new Error(`code ${code} of ${cs.id} is not a plain FSH code`);
      out.push(`* #${code} ${fshString(label)}`);
    }
    out.push(
      '',
      `ValueSet: PeerKit${cs.name}VS`,
      `Id: ${cs.id}`,
      `Title: ${fshString(titled(cs.title))}`,
      `Description: ${fshString(`All codes of the ${titled(cs.title)} CodeSystem.`)}`,
      '* ^experimental = false',
      `* include codes from system PeerKit${cs.name}CS`,
      '',
    );
  }
  return out.join('\n');
}
