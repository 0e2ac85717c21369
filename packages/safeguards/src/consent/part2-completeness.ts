/**
 * Part 2 consent completeness: does a consent meant for Part 2 data carry every element 42 CFR
 * §2.31(a) requires? One issue per missing element, naming the element and its paragraph.
 *
 * Elements (§2.31(a), as amended by the 2024 final rule, Fed. Reg. 2024-02544): (1) the patient;
 * (2) who may make the disclosure; (3) how much and what kind of information; (4) the recipients, or
 * for a single TPO consent a general designation; (5) the purpose; (6) the right to revoke; (7) an
 * expiration date or event; (8) the signature; (9) the date signed. The notice against
 * redisclosure (§2.32) is checked as a warning: it accompanies each disclosure, not the form.
 */
import type { Consent as ModelConsent, Issue, Result } from '@peerkit/model';
import { fail, ok } from '@peerkit/model';
import type { Consent as FhirConsent, ConsentProvision } from 'fhir/r4';
import { SOURCE_ROLES, TPO_PURPOSES, toCodes } from '../internal/codes';

/** One §2.31(a) element PeerKit checks, with its issue code and citation. */
export interface Part2Element {
  readonly element: string;
  readonly code: `part2.${string}`;
  readonly source: string;
  readonly message: string;
}

const S = '42 CFR §2.31(a)';

/** The §2.31(a) elements, in paragraph order. */
export const PART2_ELEMENTS: readonly Part2Element[] = [
  { element: 'patient', code: 'part2.patient-missing', source: `${S}(1)`, message: 'The consent does not name the patient' },
  { element: 'discloser', code: 'part2.discloser-missing', source: `${S}(2)`, message: 'The consent does not name who may make the disclosure' },
  {
    element: 'information',
    code: 'part2.information-missing',
    source: `${S}(3)`,
    message: 'The consent does not describe how much and what kind of information may be disclosed',
  },
  {
    element: 'recipients',
    code: 'part2.recipients-missing',
    source: `${S}(4)`,
    message: 'The consent names no recipient (a general designation is allowed for a single TPO consent)',
  },
  { element: 'purpose', code: 'part2.purpose-missing', source: `${S}(5)`, message: 'The consent states no purpose of the disclosure' },
  {
    element: 'right-to-revoke',
    code: 'part2.right-to-revoke-missing',
    source: `${S}(6)`,
    message: 'The consent does not state the right to revoke it and how',
  },
  { element: 'expiration', code: 'part2.expiration-missing', source: `${S}(7)`, message: 'The consent has no expiration date, event or condition' },
  { element: 'signature', code: 'part2.signature-missing', source: `${S}(8)`, message: 'The consent is not signed by the patient or an authorized person' },
  { element: 'date-signed', code: 'part2.date-signed-missing', source: `${S}(9)`, message: 'The consent does not record the date it was signed' },
];

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
 * carries every §2.31(a) element. A HIPAA authorization is not checked (no issues).
 *
 * @param consent - a parsed `consent` record
 * @returns the consent, or an `error` issue per missing element (`warning` for a draft or declined
 * consent, which is not in force); the §2.32 notice flag is a warning
 * @example
 * const result = checkPart2Consent(consent);
 * for (const issue of result.issues) console.log(issue.code, issue.source);
 * See: 42 CFR §2.31(a); §2.32
 */
export function checkPart2Consent(consent: ModelConsent): Result<ModelConsent> {
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
 * `information-description` (matched by name under any canonical base).
 *
 * @param consent - a FHIR R4 Consent
 * @returns the consent, or one issue per missing element
 * @example
 * checkPart2FhirConsent(consent).issues.map((i) => i.code); // ['part2.expiration-missing']
 * See: 42 CFR §2.31(a)
 */
export function checkPart2FhirConsent(consent: FhirConsent): Result<FhirConsent> {
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
  let data = peerkit('information-description')?.valueString !== undefined;
  const purposes = new Set<string>();
  walk(consent.provision, (p) => {
    for (const a of p.actor ?? []) {
      const roles = toCodes(a.role?.coding).map((c) => c.code);
      if (roles.some((r) => SOURCE_ROLES.includes(r))) sourceActor = true;
      else recipientActor = true;
    }
    const criteria = (p.securityLabel?.length ?? 0) + (p.class?.length ?? 0) + (p.code?.length ?? 0) + (p.data?.length ?? 0);
    if (p.type !== 'deny' && criteria > 0) data = true;
    for (const c of toCodes(p.purpose)) purposes.add(c.code);
  });
  const tpo = TPO_PURPOSES.every((t) => purposes.has(t));
  if ((consent.organization?.length ?? 0) === 0 && !sourceActor) issues.push(issue('discloser', ['organization'], severity));
  if (!data) issues.push(issue('information', ['provision', 'securityLabel'], severity));
  if (!recipientActor && !tpo) issues.push(issue('recipients', ['provision', 'actor'], severity));
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
