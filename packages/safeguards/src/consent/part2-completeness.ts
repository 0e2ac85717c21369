/**
 * Part 2 consent completeness: does a consent meant for Part 2 data carry every element 42 CFR
 * §2.31(a) requires? One issue per missing element, naming the element and its paragraph.
 *
 * Elements (§2.31(a), as amended by the 2024 final rule, Fed. Reg. 2024-02544): (1) the patient;
 * (2) who may make the disclosure; (3) how much and what kind of information; (4)(i) the recipients,
 * or for a single TPO consent a general designation ("my treating providers, health plans,
 * third-party payers, and people helping to operate this program"); (4)(ii) for an intermediary,
 * its name and its member participants or a general designation of participants with a treating
 * provider relationship; (4)(iii) for a covered entity or business associate receiving for TPO, the
 * statement that the record may be redisclosed under HIPAA except for proceedings against the
 * patient; (5) the purpose; (6) the right to revoke; (7) an expiration date or event; (8) the
 * signature; (9) the date signed; (10) the statements (i) that records may be redisclosed by the
 * recipient and no longer protected by Part 2 and (ii) of the consequences of refusing to sign. A
 * consent for SUD counseling notes may be combined only with another such consent (§2.31(b)(2)).
 * The notice against redisclosure (§2.32) is checked as a warning: it accompanies each disclosure,
 * not the form.
 *
 * The statements of (4)(iii) and (10) live in the signed form: they are checked when the caller says
 * what the form states (`statements`) or a FHIR Consent carries PeerKit's `consent-statement`
 * extensions; otherwise they are not checked. (1)-(4)(iii) were read in a copy of the 2024 regulation
 * text, (5)-(10) and (b) in secondary sources (see `verification`).
 */
import type { Consent as ModelConsent, Issue, Result } from '@peerkit/model';
import { fail, ok } from '@peerkit/model';
import type { Consent as FhirConsent, ConsentProvision } from 'fhir/r4';
import { SOURCE_ROLES, TPO_PURPOSES, toCodes } from '../internal/codes';
import { anySameToken, identifierToken, tokensOf } from '../internal/tokens';
import { counselingNoteScope, type CounselingNoteOptions } from '../part2/counseling-notes';
import type { Verification } from '../part2/regulation';

/** One §2.31 element PeerKit checks, with its issue code and citation. */
export interface Part2Element {
  readonly element: string;
  readonly code: `part2.${string}`;
  readonly source: string;
  readonly message: string;
  /** How the element was checked against the regulation (see `part2/regulation.ts`). */
  readonly verification: Verification;
}

/** The statements a Part 2 consent form makes beyond its fields (2024 rule). */
export type Part2Statement = 'hipaa-redisclosure' | 'redisclosure-potential' | 'refusal-consequences';

/** Options of {@link checkPart2Consent} and {@link checkPart2FhirConsent}. */
export interface Part2CompletenessOptions extends CounselingNoteOptions {
  /**
   * What the signed form states (a program's form template states the same for every consent).
   * Default: not known, so the statements are not checked (for a FHIR Consent, PeerKit's
   * `consent-statement` extensions are read instead). When given, every statement that applies and
   * is not `true` is an error.
   */
  statements?: Partial<Record<Part2Statement, boolean>>;
  /**
   * Recipients that are intermediaries (a health information exchange, a research institution…), as
   * tokens: `system|value` identifiers or references. Default none.
   */
  intermediaries?: readonly string[];
}

const S = '42 CFR §2.31(a)';

/** The §2.31 elements, in paragraph order. */
export const PART2_ELEMENTS: readonly Part2Element[] = [
  { element: 'patient', code: 'part2.patient-missing', source: `${S}(1)`, message: 'The consent does not name the patient', verification: 'regulation-text' },
  { element: 'discloser', code: 'part2.discloser-missing', source: `${S}(2)`, message: 'The consent does not name who may make the disclosure', verification: 'regulation-text' },
  {
    element: 'information',
    code: 'part2.information-missing',
    source: `${S}(3)`,
    message: 'The consent does not describe how much and what kind of information may be disclosed',
    verification: 'regulation-text',
  },
  {
    element: 'recipients',
    code: 'part2.recipients-missing',
    source: `${S}(4)`,
    message: 'The consent names no recipient (a general designation is allowed for a single TPO consent)',
    verification: 'regulation-text',
  },
  {
    element: 'intermediary',
    code: 'part2.intermediary-participants-missing',
    source: `${S}(4)(ii)`,
    message: 'A consent to an intermediary must also name its member participants, or designate participants with a treating provider relationship',
    verification: 'regulation-text',
  },
  {
    element: 'hipaa-redisclosure-statement',
    code: 'part2.hipaa-redisclosure-statement-missing',
    source: `${S}(4)(iii)`,
    message: 'A consent for TPO disclosures to a covered entity or business associate must state that the record may be redisclosed under HIPAA, except for proceedings against the patient',
    verification: 'regulation-text',
  },
  { element: 'purpose', code: 'part2.purpose-missing', source: `${S}(5)`, message: 'The consent states no purpose of the disclosure', verification: 'secondary' },
  {
    element: 'right-to-revoke',
    code: 'part2.right-to-revoke-missing',
    source: `${S}(6)`,
    message: 'The consent does not state the right to revoke it and how',
    verification: 'secondary',
  },
  { element: 'expiration', code: 'part2.expiration-missing', source: `${S}(7)`, message: 'The consent has no expiration date, event or condition', verification: 'secondary' },
  { element: 'signature', code: 'part2.signature-missing', source: `${S}(8)`, message: 'The consent is not signed by the patient or an authorized person', verification: 'secondary' },
  { element: 'date-signed', code: 'part2.date-signed-missing', source: `${S}(9)`, message: 'The consent does not record the date it was signed', verification: 'secondary' },
  {
    element: 'redisclosure-statement',
    code: 'part2.redisclosure-statement-missing',
    source: `${S}(10)(i)`,
    message: 'The consent does not state that the recipient may redisclose the records and they may then no longer be protected by 42 CFR part 2',
    verification: 'secondary',
  },
  {
    element: 'refusal-consequences-statement',
    code: 'part2.refusal-consequences-missing',
    source: `${S}(10)(ii)`,
    message: 'The consent does not state the consequences to the patient of refusing to sign it',
    verification: 'secondary',
  },
  {
    element: 'counseling-notes-separate',
    code: 'part2.counseling-notes-combined',
    source: '42 CFR §2.31(b)(2)',
    message: 'A consent for SUD counseling notes may be combined only with another consent for SUD counseling notes',
    verification: 'secondary',
  },
];

const STATEMENT_ELEMENT: Readonly<Record<Part2Statement, string>> = {
  'hipaa-redisclosure': 'hipaa-redisclosure-statement',
  'redisclosure-potential': 'redisclosure-statement',
  'refusal-consequences': 'refusal-consequences-statement',
};

/** Issues for the statements a form does not make; `undefined` statements: not checked. */
function statementIssues(
  statements: Partial<Record<Part2Statement, boolean>> | undefined,
  tpo: boolean,
  path: (string | number)[],
  severity: Issue['severity'],
): Issue[] {
  if (statements === undefined) return [];
  const wanted: Part2Statement[] = [...(tpo ? (['hipaa-redisclosure'] as const) : []), 'redisclosure-potential', 'refusal-consequences'];
  return wanted.filter((s) => statements[s] !== true).map((s) => issue(STATEMENT_ELEMENT[s], path, severity));
}

function element(name: string): Part2Element {
  const found = PART2_ELEMENTS.find((e) => e.element === name);
  if (!found) throw new Error(`unknown element ${name}`);
  return found;
}

function issue(name: string, path: (string | number)[], severity: Issue['severity']): Issue {
  const e = element(name);
  return { severity, code: e.code, path, message: e.message, source: e.source };
}

/**
 * Checks that a PeerKit consent record meant for Part 2 data (`part2-disclosure`, `part2-tpo`)
 * carries every §2.31(a) element. A HIPAA authorization is not checked (no issues). The 2024
 * statements are checked when `options.statements` says what the form states; the intermediary
 * rule when `options.intermediaries` names them (a recipient's `identifier` as `system|value`).
 *
 * @param consent - a parsed `consent` record
 * @param options - the form's statements, the intermediaries
 * @returns the consent, or an `error` issue per missing element (`warning` for a draft or declined
 * consent, which is not in force); the §2.32 notice flag is a warning
 * @example
 * const result = checkPart2Consent(consent);
 * for (const issue of result.issues) console.log(issue.code, issue.source);
 * See: 42 CFR §2.31(a); §2.32
 */
export function checkPart2Consent(consent: ModelConsent, options: Part2CompletenessOptions = {}): Result<ModelConsent> {
  if (consent.consentKind === 'hipaa-authorization') return ok(consent);
  const severity: Issue['severity'] = consent.status === 'draft' || consent.status === 'rejected' ? 'warning' : 'error';
  const issues: Issue[] = [];
  if (consent.peerId.trim() === '') issues.push(issue('patient', ['peerId'], severity));
  if (consent.discloser === undefined) issues.push(issue('discloser', ['discloser'], severity));
  if (consent.dataCategories.length === 0 && consent.informationDescription === undefined) {
    issues.push(issue('information', ['dataCategories'], severity));
  }
  const named = consent.recipients.filter((r) => r.type !== 'general-designation');
  const general = consent.recipients.filter((r) => r.type === 'general-designation');
  if (named.length === 0 && !(consent.consentKind === 'part2-tpo' && general.length > 0)) {
    issues.push(issue('recipients', ['recipients'], severity));
  }
  const intermediaries = options.intermediaries ?? [];
  if (intermediaries.length > 0) {
    const isIntermediary = (r: (typeof consent.recipients)[number]) => {
      const token = r.identifier === undefined ? undefined : identifierToken(r.identifier);
      return token !== undefined && anySameToken([token], intermediaries);
    };
    const via = consent.recipients.findIndex(isIntermediary);
    if (via >= 0 && !consent.recipients.some((r) => !isIntermediary(r))) issues.push(issue('intermediary', ['recipients', via], severity));
  }
  issues.push(...statementIssues(options.statements, consent.consentKind === 'part2-tpo', ['statements'], severity));
  if (consent.purposes.length === 0) issues.push(issue('purpose', ['purposes'], severity));
  if (!consent.rightToRevokeStatement) issues.push(issue('right-to-revoke', ['rightToRevokeStatement'], severity));
  if (consent.expiration?.date === undefined && consent.expiration?.event === undefined) {
    issues.push(issue('expiration', ['expiration'], severity));
  }
  if (consent.signature === undefined) {
    issues.push(issue('signature', ['signature'], severity), issue('date-signed', ['signature', 'signedAt'], severity));
  }
  if (!consent.redisclosureNotice) {
    issues.push({
      severity: 'warning',
      code: 'part2.redisclosure-notice-missing',
      path: ['redisclosureNotice'],
      message: 'The notice prohibiting redisclosure is not recorded as accompanying disclosures',
      source: '42 CFR §2.32',
    });
  }
  return issues.some((i) => i.severity === 'error') ? fail(issues) : ok(consent, issues);
}

function walk(p: ConsentProvision | undefined, visit: (p: ConsentProvision) => void): void {
  if (!p) return;
  visit(p);
  for (const child of p.provision ?? []) walk(child, visit);
}

/**
 * Checks a FHIR R4 Consent meant for Part 2 data for the §2.31(a) elements FHIR can carry:
 * `patient`; `organization` or a source-role actor (discloser); data criteria (`securityLabel`,
 * `class`, `code`, `data`) of a permit provision (information); a recipient-role actor, or the
 * three TPO purposes with no actor (general designation); `purpose`; `provision.period.end`
 * (expiration; a TPO consent may run until revoked: an `information` issue); `performer` (signer);
 * `dateTime` (date signed). The right to revoke lives in the signed form (`source[x]`): an
 * `information` issue when there is nothing to check. PeerKit's profile extensions count too:
 * `consent-signature`, `consent-expiration` (date or event), `right-to-revoke-statement`,
 * `information-description`, and `consent-statement` (one `valueCode` per statement the form makes:
 * `hipaa-redisclosure`, `redisclosure-potential`, `refusal-consequences`), matched by name under any
 * canonical base. Also: a recipient listed in `options.intermediaries` needs another recipient
 * (§2.31(a)(4)(ii)); a consent naming SUD counseling notes must name nothing else (§2.31(b)(2)).
 *
 * @param consent - a FHIR R4 Consent
 * @param options - the form's statements (instead of extensions), the intermediaries, counseling-note codes
 * @returns the consent, or one issue per missing element
 * @example
 * checkPart2FhirConsent(consent).issues.map((i) => i.code); // ['part2.expiration-missing']
 * See: 42 CFR §2.31(a)
 */
export function checkPart2FhirConsent(consent: FhirConsent, options: Part2CompletenessOptions = {}): Result<FhirConsent> {
  const issues: Issue[] = [];
  const severity: Issue['severity'] = consent.status === 'active' || consent.status === 'inactive' ? 'error' : 'warning';
  const source = consent as FhirConsent & { sourceAttachment?: unknown; sourceReference?: unknown };
  const peerkit = (name: string) => (consent.extension ?? []).find((e) => e.url.endsWith(`/StructureDefinition/${name}`));
  const expiration = peerkit('consent-expiration');
  const expirationGiven = (expiration?.extension ?? []).some(
    (e) => (e.url === 'date' && e.valueDate !== undefined) || (e.url === 'event' && e.valueString !== undefined),
  );
  const revokeStatement = peerkit('right-to-revoke-statement')?.valueBoolean;
  if (!consent.patient?.reference && !consent.patient?.identifier) issues.push(issue('patient', ['patient'], severity));

  let sourceActor = false;
  let recipientActor = false;
  const recipientTokens: string[][] = [];
  let data = peerkit('information-description')?.valueString !== undefined;
  const purposes = new Set<string>();
  walk(consent.provision, (p) => {
    for (const a of p.actor ?? []) {
      const roles = toCodes(a.role?.coding).map((c) => c.code);
      if (roles.some((r) => SOURCE_ROLES.includes(r))) sourceActor = true;
      else {
        recipientActor = true;
        recipientTokens.push(tokensOf(a.reference));
      }
    }
    const criteria = (p.securityLabel?.length ?? 0) + (p.class?.length ?? 0) + (p.code?.length ?? 0) + (p.data?.length ?? 0);
    if (p.type !== 'deny' && criteria > 0) data = true;
    for (const c of toCodes(p.purpose)) purposes.add(c.code);
  });
  const tpo = TPO_PURPOSES.every((t) => purposes.has(t));
  if ((consent.organization?.length ?? 0) === 0 && !sourceActor) issues.push(issue('discloser', ['organization'], severity));
  if (!data) issues.push(issue('information', ['provision', 'securityLabel'], severity));
  if (!recipientActor && !tpo) issues.push(issue('recipients', ['provision', 'actor'], severity));
  const intermediaries = options.intermediaries ?? [];
  if (intermediaries.length > 0) {
    const via = recipientTokens.filter((t) => anySameToken(t, intermediaries));
    if (via.length > 0 && via.length === recipientTokens.length) issues.push(issue('intermediary', ['provision', 'actor'], severity));
  }
  const statementExtensions = (consent.extension ?? []).filter((e) => e.url.endsWith('/StructureDefinition/consent-statement'));
  const stated =
    options.statements ??
    (statementExtensions.length === 0
      ? undefined
      : Object.fromEntries(statementExtensions.flatMap((e) => (e.valueCode === undefined ? [] : [[e.valueCode, true]])) as [Part2Statement, boolean][]));
  issues.push(...statementIssues(stated, tpo, ['extension'], severity));
  if (counselingNoteScope(consent, options) === 'combined') issues.push(issue('counseling-notes-separate', ['provision'], severity));
  if (purposes.size === 0) issues.push(issue('purpose', ['provision', 'purpose'], severity));
  if (revokeStatement === false) issues.push(issue('right-to-revoke', ['extension'], severity));
  else if (revokeStatement === undefined && source.sourceAttachment === undefined && source.sourceReference === undefined) {
    issues.push({
      ...issue('right-to-revoke', ['sourceAttachment'], 'information'),
      message: 'The right-to-revoke statement is not in FHIR Consent elements; no signed form (source[x]) to check',
    });
  }
  if (consent.provision?.period?.end === undefined && !expirationGiven) {
    issues.push(
      tpo
        ? {
            ...issue('expiration', ['provision', 'period', 'end'], 'information'),
            message: 'No provision.period.end: a single TPO consent may run until revoked (expiration "none")',
          }
        : issue('expiration', ['provision', 'period', 'end'], severity),
    );
  }
  if ((consent.performer?.length ?? 0) === 0 && peerkit('consent-signature') === undefined) {
    issues.push(issue('signature', ['performer'], severity));
  }
  if (consent.dateTime === undefined) issues.push(issue('date-signed', ['dateTime'], severity));
  return issues.some((i) => i.severity === 'error') ? fail(issues) : ok(consent, issues);
}
