/**
 * Synthetic consents written in other engines' shapes, for the fail-closed tests of issue 15:
 * LEAP / Consent2Share-style R4 consents with a permit root and one deny sub-provision (by actor,
 * purpose, security label or class), each with and without an `action`; a Consent2Share-shaped one
 * with contained Organizations as INF/IRCP actors; an R5 Consent; an R5 Permission; and the
 * Organizations a host would supply to resolve literal actor references. No real people or
 * organizations; identifiers are synthetic.
 */
import type { Bundle, Consent, ConsentProvision, Organization, Practitioner } from 'fhir/r4';
import type { Consent as R5Consent, Permission } from 'fhir/r5';
import { CONSENT_ACTION, NPI, NPI_A, NPI_B, PATIENT, PROGRAM_ID, RESOURCE_TYPES, V3_ACT, V3_PARTICIPATION, V3_REASON } from './consents';

/** Legacy STU3-era URIs, as C2S writes them (normalized by the engine). */
const LEGACY_ACT = 'http://hl7.org/fhir/v3/ActCode';

/** Organization A (a clinic, NPI A) and B (another clinic, NPI B); a practitioner at neither. */
export const ORG_A: Organization = { resourceType: 'Organization', id: 'org-a', identifier: [NPI_A], name: 'Synthetic Clinic A' };
export const ORG_B: Organization = { resourceType: 'Organization', id: 'org-b', identifier: [NPI_B], name: 'Synthetic Clinic B' };
export const PRACTITIONER_C: Practitioner = { resourceType: 'Practitioner', id: 'prac-c', identifier: [{ system: NPI, value: '1000000046' }] };

/** What a host supplies to resolve `Organization/org-a`, `Organization/org-b`, `Practitioner/prac-c`. */
export const ACTOR_RESOURCES: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ resource: ORG_A }, { resource: ORG_B }, { resource: PRACTITIONER_C }],
};

const access = [{ coding: [{ system: CONSENT_ACTION, code: 'access' }] }];

/** The kinds of deny sub-provision the issue names. */
export type DenyKind = 'actor' | 'purpose' | 'label' | 'class';

/** A deny sub-provision of one kind, with or without `action: access` (the fail-open trigger). */
export function denyProvision(kind: DenyKind, withAction: boolean): ConsentProvision {
  const p: ConsentProvision = { type: 'deny' };
  switch (kind) {
    case 'actor':
      p.actor = [{ role: { coding: [{ system: V3_PARTICIPATION, code: 'IRCP' }] }, reference: { reference: 'Organization/org-b' } }];
      break;
    case 'purpose':
      p.purpose = [{ system: V3_REASON, code: 'HMARKT' }];
      break;
    case 'label':
      p.securityLabel = [{ system: LEGACY_ACT, code: 'ETH' }];
      break;
    case 'class':
      p.class = [{ system: RESOURCE_TYPES, code: 'DocumentReference' }];
      break;
  }
  if (withAction) p.action = access;
  return p;
}

/**
 * LEAP / C2S style: a permit root (no criteria but its period) with one deny sub-provision.
 *
 * @param kind - what the deny is about
 * @param withAction - whether the deny carries `action: access`
 */
export function permitRootWithDeny(kind: DenyKind, withAction: boolean): Consent {
  return {
    resourceType: 'Consent',
    id: `leap-deny-${kind}${withAction ? '-access' : ''}`,
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: PATIENT },
    dateTime: '2026-01-05',
    provision: { type: 'permit', period: { start: '2026-01-05', end: '2027-01-04' }, provision: [denyProvision(kind, withAction)] },
  };
}

/**
 * Consent2Share shape ("share all except"): contained Organizations as INF ("from") and IRCP ("to"),
 * scope in `category` (no `scope`), legacy URIs; a permit for treatment with a deny of the
 * categories the patient did not agree to share, carrying `action: access`.
 */
export function c2sShareAllExcept(): Consent {
  // R4 requires `scope`; this producer puts it in `category`, as some do.
  return {
    resourceType: 'Consent',
    id: 'c2s-share-all-except',
    status: 'active',
    contained: [
      { resourceType: 'Organization', id: 'from', identifier: [PROGRAM_ID], name: 'Synthetic Program' } as Organization,
      { resourceType: 'Organization', id: 'to', identifier: [NPI_A], name: 'Synthetic Clinic A' } as Organization,
    ],
    category: [
      { coding: [{ system: 'http://hl7.org/fhir/consentscope', code: 'patient-privacy' }] },
      { coding: [{ system: LEGACY_ACT, code: 'IDSCL' }] },
    ],
    patient: { reference: PATIENT },
    dateTime: '2026-01-12T09:30:00-05:00',
    provision: {
      type: 'permit',
      period: { start: '2026-01-12', end: '2027-01-11' },
      actor: [
        { role: { coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'INF' }] }, reference: { reference: '#from' } },
        { role: { coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'IRCP' }] }, reference: { reference: '#to' } },
      ],
      purpose: [{ system: 'http://hl7.org/fhir/v3/ActReason', code: 'TREAT' }],
      provision: [{ type: 'deny', action: access, securityLabel: [{ system: LEGACY_ACT, code: 'HIV' }, { system: LEGACY_ACT, code: 'PSY' }] }],
    },
  } as Consent;
}

/**
 * An R5 Consent: permit by default within `Consent.period`, except (R5 exceptions carry no type)
 * access by Organization B, and anything labelled SUD.
 */
export function r5Consent(): R5Consent {
  return {
    resourceType: 'Consent',
    id: 'r5-consent',
    status: 'active',
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    subject: { reference: PATIENT },
    date: '2026-01-20',
    period: { start: '2026-01-20', end: '2026-12-31' },
    decision: 'permit',
    provision: [
      {
        actor: [{ role: { coding: [{ system: V3_PARTICIPATION, code: 'IRCP' }] }, reference: { reference: 'Organization/org-b' } }],
        action: access,
      },
      { securityLabel: [{ system: V3_ACT, code: 'SUD' }] },
    ],
  };
}

/** An R5 Consent as LEAP writes it: one base provision holding the period, the exceptions nested in it. */
export function r5ConsentWithBaseProvision(): R5Consent {
  return {
    resourceType: 'Consent',
    id: 'r5-base',
    status: 'active',
    subject: { reference: PATIENT },
    date: '2026-01-20',
    regulatoryBasis: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes', code: 'hipaa-self-pay' }] }],
    decision: 'permit',
    provision: [
      {
        period: { start: '2026-01-20', end: '2027-01-01' },
        provision: [{ actor: [{ role: { coding: [{ system: V3_PARTICIPATION, code: 'IRCP' }] }, reference: { reference: 'Organization/org-b' } }] }],
      },
    ],
  };
}

/**
 * An R5 Permission (deny-overrides): Organization A may have the patient's data for treatment,
 * except data labelled ETH.
 */
export function r5Permission(): Permission {
  return {
    resourceType: 'Permission',
    id: 'r5-permission',
    status: 'active',
    date: ['2026-01-15'],
    validity: { start: '2026-01-15', end: '2026-12-31' },
    combining: 'deny-overrides',
    rule: [
      {
        type: 'permit',
        data: [{ resource: [{ meaning: 'dependents', reference: { reference: PATIENT } }] }],
        activity: [{ actor: [{ reference: 'Organization/org-a' }], purpose: [{ coding: [{ system: V3_REASON, code: 'TREAT' }] }] }],
      },
      { type: 'deny', data: [{ security: [{ system: V3_ACT, code: 'ETH' }] }] },
    ],
  };
}
