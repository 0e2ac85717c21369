/**
 * The checks that judge one service on its own (caps and MUE, which need all of a member's lines,
 * are in caps.ts). Each rule reads its own part of the pack and does nothing when the pack has none.
 */
import {
  addMonths,
  ageOn,
  covers,
  datePart,
  isConsentInForce,
  isServiceConsentInForce,
  type Consent,
  type ServiceConsent,
  type IssuePath,
  type IssueSeverity,
  type Peer,
  type RecoveryPlan,
  type Specialist,
} from '@peerkit/model';
import type { BillingEvidence } from '../billing-context';
import type { BillingCheck } from '../checks';
import type { Enforcement, FigureStatus, PayerPack } from '../pack-schema';
import { isPlaceOfServiceCode } from '../place-of-service';
import type { ServiceItem } from './service-items';

type Diagnosis = NonNullable<BillingEvidence['diagnoses']>[number];
type Authorization = NonNullable<BillingEvidence['authorizations']>[number];
type InitiatingVisit = NonNullable<BillingEvidence['initiatingVisits']>[number];
type OtherService = NonNullable<BillingEvidence['otherServices']>[number];

/** A member's evidence; `undefined` lists were not supplied at all. */
export interface PeerEvidence {
  diagnoses: readonly Diagnosis[] | undefined;
  authorizations: readonly Authorization[] | undefined;
  initiatingVisits: readonly InitiatingVisit[] | undefined;
  otherServices: readonly OtherService[] | undefined;
}

/** Everything a rule may look at for one service. */
export interface RuleEnv {
  readonly pack: PayerPack;
  readonly item: ServiceItem;
  readonly peer: Peer;
  readonly specialist: Specialist | undefined;
  readonly plans: readonly RecoveryPlan[];
  readonly consents: readonly Consent[];
  readonly serviceConsents: readonly ServiceConsent[];
  readonly evidence: PeerEvidence;
  readonly serviceState: string | undefined;
  readonly missingEvidence: 'warn' | 'hold';
  readonly placeOfService: string;
  /** The service overlaps an earlier peer service of the member. */
  readonly overlapsEarlier: boolean;
}

/** Where a finding's rule comes from. */
export interface Cite {
  source: string;
  status: FigureStatus;
}

/** Reports one finding. */
export type Emit = (check: BillingCheck, severity: IssueSeverity, message: string, path: IssuePath, cite: Cite | undefined) => void;

/** A check over one service. */
export interface LineRule {
  readonly check: BillingCheck;
  run(env: RuleEnv, emit: Emit): void;
}

const severityOf = (enforcement: Enforcement): IssueSeverity => (enforcement === 'hold' ? 'error' : 'warning');

function missing(env: RuleEnv, emit: Emit, check: BillingCheck, what: string, cite: Cite): void {
  emit(
    check,
    env.missingEvidence === 'hold' ? 'error' : 'warning',
    `Not checked: no ${what} evidence was supplied; the payer requires it, confirm before submission`,
    env.item.path,
    cite,
  );
}

const appliesToProgram = (programs: readonly string[] | undefined, env: RuleEnv): boolean =>
  programs === undefined || programs.includes(env.item.programType);

const rank = (status: string): number => (status === 'active' ? 0 : 1);

const ageRule: LineRule = {
  check: 'AGE',
  run(env, emit) {
    const rule = env.pack.rules.age;
    if (!rule || !appliesToProgram(rule.programs, env)) return;
    const sev = severityOf(rule.enforcement);
    const born = env.peer.birthDate;
    if (born === undefined) {
      emit('AGE', sev, "The member's birthDate is missing: the payer's age limit cannot be checked", env.item.path, rule);
      return;
    }
    const age = ageOn(born, env.item.date);
    if (rule.minAge !== undefined && age < rule.minAge) {
      emit('AGE', sev, `Member is under the payer's minimum age (${rule.minAge}) on the date of service`, env.item.path, rule);
    }
    if (rule.maxAge !== undefined && age > rule.maxAge) {
      emit('AGE', sev, `Member is over the payer's maximum age (${rule.maxAge}) on the date of service`, env.item.path, rule);
    }
  },
};

const credentialRule: LineRule = {
  check: 'CREDENTIAL',
  run(env, emit) {
    const rule = env.pack.rules.credential;
    if (!rule) return;
    const sev = severityOf(rule.enforcement);
    const path = [...env.item.path, env.item.session === 'group' ? 'facilitatorIds' : 'specialistId'];
    const s = env.specialist;
    if (!s) {
      emit('CREDENTIAL', sev, 'The rendering specialist is not in the export: credentials cannot be checked', path, rule);
      return;
    }
    const date = env.item.date;
    const current = s.certifications.filter(
      (c) => rule.accepted.includes(c.credential) && c.issued <= date && (c.expires === undefined || date <= c.expires),
    );
    if (current.length === 0) {
      emit('CREDENTIAL', sev, 'The rendering specialist holds no accepted certification current on the date of service', path, rule);
      return;
    }
    if (rule.stateCertification && env.serviceState !== undefined && !current.some((c) => c.state === env.serviceState)) {
      emit(
        'CREDENTIAL',
        sev,
        'The rendering specialist holds no current certification from the state where the service is delivered',
        path,
        rule,
      );
    }
  },
};

const supervisionRule: LineRule = {
  check: 'SUPERVISION',
  run(env, emit) {
    const rule = env.pack.rules.supervision;
    const s = env.specialist;
    // An unknown specialist is already held by CREDENTIAL when the pack checks credentials.
    if (!rule || !s || rule.exemptRoleLevels.includes(s.roleLevel)) return;
    if (s.supervisorId === undefined || s.supervisorId === s.id) {
      emit('SUPERVISION', severityOf(rule.enforcement), 'The rendering specialist has no supervisor of record (supervisorId)', env.item.path, rule);
    }
  },
};

const planRule: LineRule = {
  check: 'PLAN',
  run(env, emit) {
    const rule = env.pack.rules.plan;
    if (!rule) return;
    const sev = severityOf(rule.enforcement);
    const date = env.item.date;
    const current = env.plans
      .filter((p) => rule.statuses.includes(p.status) && covers(date, p.period.start, p.period.end))
      .sort((a, b) => rank(a.status) - rank(b.status) || (a.period.start < b.period.start ? 1 : -1));
    const plan = current[0];
    if (!plan) {
      const grace = rule.graceMonthsAfterEnrollment?.value;
      if (grace !== undefined) {
        const enrolled = env.peer.enrollments.filter((e) => covers(date, e.start, e.end));
        if (enrolled.some((e) => date <= addMonths(e.start, grace))) return;
      }
      emit('PLAN', sev, 'No current recovery plan of the member covers the date of service', env.item.path, rule);
      return;
    }
    const every = rule.reviewEveryMonths;
    if (every !== undefined) {
      // The payer counts from the last review; the plan records when it was reviewed by being signed
      // again, so its latest signature by the date stands for it (else its start). reviewDue is the
      // plan's own next review: past it, the plan is overdue too, whatever the payer's interval.
      const reviewed = plan.signatures.map((s) => datePart(s.signedAt)).filter((d) => d <= date && d >= plan.period.start).sort().pop() ?? plan.period.start;
      const payerDue = addMonths(reviewed, every.value);
      if (date > payerDue) {
        emit('PLAN', sev, `The recovery plan was last reviewed more than ${every.value} months before the service (signatures.signedAt, period.start)`, env.item.path, every);
      } else if (plan.reviewDue !== undefined && date > plan.reviewDue) {
        emit('PLAN', sev, 'The recovery plan is past its own review date (reviewDue)', env.item.path, every);
      }
    }
    const lacking = (rule.signatures?.value ?? []).filter(
      (role) => !plan.signatures.some((sig) => sig.role === role || (role === 'peer' && sig.role === 'guardian')),
    );
    if (lacking.length > 0) {
      emit(
        'PLAN',
        sev,
        `The recovery plan lacks a signature in a role the payer requires (${lacking.join(', ')})`,
        env.item.path,
        rule.signatures ?? rule,
      );
    }
  },
};

const orderAuthRule: LineRule = {
  check: 'ORDER_AUTH',
  run(env, emit) {
    const rule = env.pack.rules.orderAuth;
    if (!rule || !(rule.serviceOrder || rule.assessment || rule.priorAuthorization)) return;
    const auths = env.evidence.authorizations;
    if (auths === undefined) {
      missing(env, emit, 'ORDER_AUTH', 'service order or authorization', rule);
      return;
    }
    const sev = severityOf(rule.enforcement);
    const date = env.item.date;
    const has = (kind: Authorization['kind'], needsEnd: boolean): boolean =>
      auths.some((a) => a.kind === kind && a.start <= date && (!needsEnd || a.end === undefined || date <= a.end));
    if (rule.serviceOrder && !has('service-order', false)) {
      emit('ORDER_AUTH', sev, 'No service order on file on or before the date of service', env.item.path, rule);
    }
    if (rule.assessment && !has('assessment', false)) {
      emit('ORDER_AUTH', sev, 'No assessment on file on or before the date of service', env.item.path, rule);
    }
    if (rule.priorAuthorization && !has('prior-authorization', true)) {
      emit('ORDER_AUTH', sev, 'No prior authorization covers the date of service', env.item.path, rule);
    }
  },
};

function normalizeCode(code: string): string {
  return code.toUpperCase().replace('.', '');
}

/** Diagnosis codes on file for the date that qualify under the pack's diagnosis rule (all when it has none). */
export function qualifyingDiagnoses(pack: PayerPack, diagnoses: readonly Diagnosis[] | undefined, date: string): string[] {
  if (!diagnoses) return [];
  const prefixes = pack.rules.diagnosis?.codePrefixes?.value.map(normalizeCode);
  return diagnoses
    .filter((d) => covers(date, d.start, d.end) && (!prefixes || prefixes.some((p) => normalizeCode(d.code).startsWith(p))))
    .map((d) => d.code);
}

const diagnosisRule: LineRule = {
  check: 'DX',
  run(env, emit) {
    const rule = env.pack.rules.diagnosis;
    if (!rule || !appliesToProgram(rule.programs, env)) return;
    if (env.evidence.diagnoses === undefined) {
      missing(env, emit, 'DX', 'diagnosis', rule);
      return;
    }
    if (qualifyingDiagnoses(env.pack, env.evidence.diagnoses, env.item.date).length === 0) {
      emit('DX', severityOf(rule.enforcement), 'No qualifying diagnosis on file for the member on the date of service', env.item.path, rule);
    }
  },
};

function overlapsInterval(other: OtherService, item: ServiceItem): boolean {
  // A date-only bound covers whole days.
  if (other.start.length === 10 || (other.end !== undefined && other.end.length === 10)) {
    return covers(item.date, other.start, other.end);
  }
  const end = other.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(other.end);
  return Date.parse(other.start) < item.endMs && item.startMs < end;
}

const duplicateRule: LineRule = {
  check: 'DUPLICATE_SERVICE',
  run(env, emit) {
    const rule = env.pack.rules.duplicateService;
    if (!rule) return;
    const sev = severityOf(rule.enforcement);
    if (rule.overlappingPeerServices && env.overlapsEarlier) {
      emit('DUPLICATE_SERVICE', sev, 'Overlaps an earlier peer service of the same member (start, end)', [...env.item.path], rule);
    }
    if (!rule.otherBehavioralHealth && !rule.peerInclusivePrograms) return;
    const others = env.evidence.otherServices;
    if (others === undefined) {
      missing(env, emit, 'DUPLICATE_SERVICE', 'other-service', rule);
      return;
    }
    if (rule.otherBehavioralHealth && others.some((o) => o.kind === 'behavioral-health' && overlapsInterval(o, env.item))) {
      emit('DUPLICATE_SERVICE', sev, 'At the same time as another behavioral health service of the member', env.item.path, rule);
    }
    if (
      rule.peerInclusivePrograms &&
      others.some((o) => o.kind === 'peer-inclusive-program' && covers(env.item.date, o.start, o.end))
    ) {
      emit('DUPLICATE_SERVICE', sev, 'Member is in a program that already includes peer support on the date of service', env.item.path, rule);
    }
  },
};

const telehealthRule: LineRule = {
  check: 'TELEHEALTH_MODALITY',
  run(env, emit) {
    const rule = env.pack.rules.telehealth;
    const sev = severityOf(rule.enforcement);
    const { modality, setting, path } = env.item;
    if (!rule.modalities.value.includes(modality)) {
      emit('TELEHEALTH_MODALITY', sev, 'The payer does not reimburse this modality (modality)', [...path, 'modality'], rule.modalities);
      return;
    }
    if (modality === 'audio-only' && rule.audioOnlyAtHome?.value === true && setting !== 'home') {
      emit(
        'TELEHEALTH_MODALITY',
        sev,
        'Audio-only is reimbursed only with the member at home (setting)',
        [...path, 'setting'],
        rule.audioOnlyAtHome,
      );
    }
  },
};

const groupSizeRule: LineRule = {
  check: 'GROUP_SIZE',
  run(env, emit) {
    const rule = env.pack.rules.groupSize;
    if (!rule || env.item.session !== 'group') return;
    const limit = rule.max * (rule.per === 'facilitator' ? env.item.facilitators : 1);
    if (env.item.present > limit) {
      emit(
        'GROUP_SIZE',
        severityOf(rule.enforcement),
        `More members present than the payer allows (${rule.max} per ${rule.per})`,
        env.item.path.slice(0, 2).concat('attendees'),
        rule,
      );
    }
  },
};

const activityRule: LineRule = {
  check: 'ACTIVITY',
  run(env, emit) {
    const rule = env.pack.rules.activities;
    const { activities, path } = env.item;
    if (!rule || activities.length === 0) return;
    const excluded = activities.filter((a) => rule.nonBillable.includes(a));
    if (excluded.length === activities.length) {
      emit('ACTIVITY', severityOf(rule.enforcement), 'Every activity of the encounter is one the payer does not reimburse (activities)', [...path, 'activities'], rule);
    } else if (excluded.length > 0) {
      emit(
        'ACTIVITY',
        'warning',
        'Some activities are ones the payer does not reimburse: bill only the minutes of the others (activities)',
        [...path, 'activities'],
        rule,
      );
    }
  },
};

const facilityRule: LineRule = {
  check: 'PIN_PREREQS',
  run(env, emit) {
    const rule = env.pack.rules.pinPrerequisites;
    const facility = env.pack.placeOfService.facility?.value ?? [];
    if (!rule?.nonFacility.value || !facility.includes(env.placeOfService)) return;
    emit(
      'PIN_PREREQS',
      severityOf(rule.enforcement),
      'Facility place of service: the service is billed incident-to, non-facility only (setting)',
      [...env.item.path, 'setting'],
      rule.nonFacility,
    );
  },
};

const placeOfServiceRule: LineRule = {
  check: 'PLACE_OF_SERVICE',
  run(env, emit) {
    const path = [...env.item.path, 'setting'];
    if (!isPlaceOfServiceCode(env.placeOfService)) {
      // Only a host's map can name such a code: packs are checked when they are parsed.
      emit('PLACE_OF_SERVICE', 'error', 'The place of service mapped for the setting is not an assigned CMS code (placeOfService)', path, undefined);
      return;
    }
    const allowed = env.pack.placeOfService.allowed;
    if (allowed && !allowed.value.includes(env.placeOfService)) {
      emit('PLACE_OF_SERVICE', 'error', 'The payer does not reimburse the service in this place of service (setting, placeOfService.allowed)', path, allowed);
    }
  },
};

/** The per-service rules, in the order their findings are listed. */
export const LINE_RULES: readonly LineRule[] = [
  telehealthRule,
  placeOfServiceRule,
  facilityRule,
  groupSizeRule,
  activityRule,
  ageRule,
  credentialRule,
  supervisionRule,
  planRule,
  orderAuthRule,
  diagnosisRule,
  duplicateRule,
];

/** `true` when a disclosure consent of the member has one of `purposes` and is in force on `date`. */
export function hasConsentForPurposes(consents: readonly Consent[], purposes: readonly string[], date: string): boolean {
  return consents.some((c) => isConsentInForce(c, date) && c.purposes.some((p) => purposes.includes(p)));
}

/** What the consent prerequisite looks at for a line. */
export interface ConsentEnv {
  readonly consents: readonly Consent[];
  readonly serviceConsents: readonly ServiceConsent[];
  /** Program of the line's service (a consent for another program does not count). */
  readonly programId: string;
  readonly missingEvidence: 'warn' | 'hold';
}

/**
 * The payer's consent to the service: a service consent in force on the date for the code (and the
 * program) passes; else, when the pack accepts disclosure consents for some purposes, one in force
 * passes with a warning to record a service consent (held under `missingEvidence: 'hold'`); else the
 * line is held.
 */
function checkServiceConsent(pack: PayerPack, env: ConsentEnv, date: string, code: string, path: IssuePath, emit: Emit): void {
  const rule = pack.rules.pinPrerequisites;
  if (!rule?.consent.value) return;
  const given = env.serviceConsents.some((c) => (c.programId === undefined || c.programId === env.programId) && isServiceConsentInForce(c, date, code));
  if (given) return;
  const purposes = rule.consentPurposes?.value;
  if (purposes !== undefined && hasConsentForPurposes(env.consents, purposes, date)) {
    emit(
      'PIN_PREREQS',
      env.missingEvidence === 'hold' ? 'error' : 'warning',
      'Consent to the service taken from a disclosure consent\'s purpose: record a service consent (service-consent) before submission',
      path,
      rule.consentPurposes,
    );
    return;
  }
  emit('PIN_PREREQS', severityOf(rule.enforcement), 'No consent to the service (service-consent) in effect on the date of service', path, rule.consent);
}

/** The initiating-visit and consent prerequisites of a month line (PIN), checked on its date. */
export function monthPrerequisites(
  pack: PayerPack,
  env: ConsentEnv & { evidence: PeerEvidence },
  date: string,
  code: string,
  path: IssuePath,
  emit: Emit,
): void {
  const rule = pack.rules.pinPrerequisites;
  if (!rule) return;
  const sev = severityOf(rule.enforcement);
  if (rule.initiatingVisit.value) {
    const visits = env.evidence.initiatingVisits;
    if (visits === undefined) {
      emit(
        'PIN_PREREQS',
        env.missingEvidence === 'hold' ? 'error' : 'warning',
        'Not checked: no initiating-visit evidence was supplied; the payer requires one, confirm before submission',
        path,
        rule.initiatingVisit,
      );
    } else {
      const excluded = rule.excludedVisitCodes.value;
      if (!visits.some((v) => v.date <= date && (v.code === undefined || !excluded.includes(v.code)))) {
        emit('PIN_PREREQS', sev, 'No qualifying initiating visit on or before the date of service', path, rule.initiatingVisit);
      }
    }
  }
  checkServiceConsent(pack, env, date, code, path, emit);
}
