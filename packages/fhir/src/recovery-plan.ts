/**
 * RecoveryPlan ↔ FHIR `CarePlan` + one `Goal` per goal (MCC eCare Plan pattern: the goal in the
 * peer's own words, `expressedBy` the Patient) + one `Provenance` per signature.
 *
 * See: fhir-mapping.md §1 and §2.1 (US Core CarePlan/Goal; MCC MCCGoal: expressedBy, achievementStatus).
 */
import {
  GOAL_ACHIEVEMENTS,
  GOAL_STATUSES,
  PLAN_STATUSES,
  RECOVERY_DOMAINS,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
  STEP_OWNERS,
  STEP_STATUSES,
  SUPPORT_ROLES,
  type Contact,
  type RecoveryPlan,
} from '@peerkit/model';
import type { CarePlan, CarePlanActivity, Extension, Goal, Provenance, Reference } from 'fhir/r4';
import { isPart2Peer, isPart2Program, patientReference, type FhirContext } from './context';
import { businessIdentifier, businessTag, codeSystemUrl, ext, exts, meta, nonEmpty, peerkitCoding, ref, structureUrl } from './internal/build';
import { compact, extOf, extsOf, isCode, type Reader } from './internal/read';
import {
  businessId,
  code,
  codingOf,
  defined,
  peerIdOf,
  resourceReader,
  sub,
  subs,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { carePlanResourceId, goalResourceId, organizationResourceId, practitionerResourceId, programResourceId, signatureResourceId } from './resource-ids';
import { SYSTEMS } from './systems';

/** ISO/ASTM E1762 signature type "Verification Signature" (the signer verifies the plan). */
export const VERIFICATION_SIGNATURE = {
  system: 'urn:iso-astm:E1762-95:2013',
  code: '1.2.840.10065.1.12.1.5',
  display: 'Verification Signature',
} as const;

/** Whether a plan's resources are Part 2 data: its program, or else any program of the peer. */
export function planIsPart2(plan: RecoveryPlan, ctx: FhirContext): boolean {
  return plan.programId !== undefined ? isPart2Program(ctx, plan.programId) : isPart2Peer(ctx, plan.peerId);
}

function contactExtension(url: string, contact: Contact): Extension {
  return {
    url,
    extension: exts(
      { url: 'name', valueString: contact.name },
      ext('relationship', contact.relationship === undefined ? undefined : { valueString: contact.relationship }),
      ext('phone', contact.phone === undefined ? undefined : { valueString: contact.phone }),
    ) as Extension[],
  };
}

/**
 * Maps a recovery plan to `CarePlan`, its `Goal`s and one `Provenance` per signature.
 *
 * @param plan - the recovery plan record
 * @param ctx - the mapping context
 * @returns the resources, or `undefined` when the plan's peer is not in the context
 * @example
 * const [carePlan, ...rest] = toFhirRecoveryPlan(plan, ctx) ?? [];
 * See: https://hl7.org/fhir/R4/careplan.html, https://hl7.org/fhir/R4/goal.html
 */
export function toFhirRecoveryPlan(plan: RecoveryPlan, ctx: FhirContext): (CarePlan | Goal | Provenance)[] | undefined {
  const patient = patientReference(ctx, plan.peerId);
  if (!patient) return undefined;
  const part2 = planIsPart2(plan, ctx);
  const url = (name: string): string => structureUrl(ctx, name);
  const planRef = ref('CarePlan', carePlanResourceId(plan.id));
  const author = ref('Practitioner', practitionerResourceId(plan.specialistId));
  const goalRef = (goalId: string): Reference => ref('Goal', goalResourceId(plan.id, goalId));
  /** The agency the plan is kept by: its program's organization, else the export's. */
  const agency = (plan.programId === undefined ? undefined : ctx.programs.get(plan.programId)?.organizationId) ?? ctx.organizationId;

  const goals = plan.goals.map(
    (g): Goal =>
      compact({
        resourceType: 'Goal',
        id: goalResourceId(plan.id, g.id),
        meta: meta(ctx, 'peerkit-recovery-goal', part2),
        identifier: [businessIdentifier(ctx, 'recovery-goal', `${plan.id}/${g.id}`)],
        lifecycleStatus: g.status,
        achievementStatus:
          g.achievement === undefined
            ? undefined
            : {
                coding: [
                  { system: SYSTEMS.goalAchievement, code: g.achievement, display: GOAL_ACHIEVEMENTS.find((a) => a.code === g.achievement)?.label },
                ],
              },
        category: [{ coding: [peerkitCoding(ctx, 'recovery-domain', RECOVERY_DOMAINS, g.domain)] }],
        description: { text: g.text },
        subject: { ...patient },
        startDate: g.start,
        target: g.target === undefined ? undefined : [{ dueDate: g.target }],
        expressedBy: { ...patient },
        note: g.measure === undefined ? undefined : [{ text: g.measure }],
      }),
  );

  const activity = plan.steps.map(
    (s): CarePlanActivity => ({
      extension: [
        {
          url: url('step'),
          extension: exts(
            { url: 'id', valueId: s.id },
            { url: 'owner', valueCoding: peerkitCoding(ctx, 'step-owner', STEP_OWNERS, s.owner) },
            ext('completedOn', s.completedOn === undefined ? undefined : { valueDate: s.completedOn }),
          ) as Extension[],
        },
      ],
      detail: {
        status: s.status,
        description: s.description,
        scheduledPeriod: s.due === undefined ? undefined : { end: s.due },
        goal: [goalRef(s.goalId)],
        performer: s.owner === 'peer' ? [{ ...patient }] : s.owner === 'specialist' ? [{ ...author }] : undefined,
      } as CarePlanActivity['detail'],
    }),
  );

  const crisis = plan.crisisPlan;
  const carePlan: CarePlan = compact({
    resourceType: 'CarePlan',
    id: carePlanResourceId(plan.id),
    meta: meta(ctx, 'peerkit-recovery-plan', part2),
    // US Core 5.0.1 requires a narrative (and the AssessPlan category below); it says what the plan
    // is, never what it holds: free text stays in structured elements, where labels and redaction apply.
    text: { status: 'generated', div: planNarrative(plan) },
    extension: exts(
      ext(
        url('program'),
        plan.programId === undefined
          ? undefined
          : {
              valueReference: ref(
                'HealthcareService',
                programResourceId(agency ?? 'unknown', plan.programId),
              ),
            },
      ),
      ...plan.strengths.map((text) => ({ url: url('strength'), valueString: text })),
      ext(url('review-due'), plan.reviewDue === undefined ? undefined : { valueDate: plan.reviewDue }),
      ...plan.supports.map((s) => ({
        url: url('support'),
        extension: exts(
          { url: 'name', valueString: s.name },
          { url: 'role', valueCoding: peerkitCoding(ctx, 'support-role', SUPPORT_ROLES, s.role) },
          ext('phone', s.phone === undefined ? undefined : { valueString: s.phone }),
        ) as Extension[],
      })),
      crisis === undefined
        ? undefined
        : {
            url: url('crisis-plan'),
            extension: [
              ...crisis.warningSigns.map((t) => ({ url: 'warningSign', valueString: t })),
              ...crisis.copingStrategies.map((t) => ({ url: 'copingStrategy', valueString: t })),
              ...crisis.contacts.map((c) => contactExtension('contact', c)),
              ...crisis.professionalContacts.map((c) => contactExtension('professionalContact', c)),
              ...crisis.safeEnvironment.map((t) => ({ url: 'safeEnvironment', valueString: t })),
              { url: 'reviewed', valueDate: crisis.reviewed },
            ],
          },
    ),
    identifier: [businessIdentifier(ctx, 'recovery-plan', plan.id)],
    status: plan.status,
    intent: 'plan',
    category: [
      { coding: [{ system: codeSystemUrl(ctx, 'peerkit-codes'), code: 'peer-recovery-plan', display: 'Peer recovery plan' }] },
      { coding: [{ system: SYSTEMS.usCoreCarePlanCategory, code: 'assess-plan', display: 'Assessment and Plan of Treatment' }] },
    ],
    subject: { ...patient },
    period: { start: plan.period.start, end: plan.period.end },
    created: plan.created,
    author,
    contributor: [{ ...patient }, { ...author }],
    goal: plan.goals.map((g) => goalRef(g.id)),
    activity: nonEmpty(activity),
  });

  const signatures = plan.signatures.map((s, index): Provenance => {
    const who: Reference =
      s.role === 'peer'
        ? { ...patient }
        : s.signerId !== undefined
          ? ref('Practitioner', practitionerResourceId(s.signerId))
          : { display: SIGNER_ROLES.find((r) => r.code === s.role)?.label ?? s.role };
    // Provenance has no identifier element: a tag carries the business key for conditional writes.
    const provenanceMeta = meta(ctx, 'peerkit-signature', part2);
    provenanceMeta.tag = [businessTag(ctx, 'plan-signature', `${plan.id}/${index}`)];
    return compact({
      resourceType: 'Provenance',
      id: signatureResourceId(plan.id, index),
      meta: provenanceMeta,
      target: [{ ...planRef }],
      recorded: s.signedAt,
      agent: [
        {
          type: { coding: [{ system: SYSTEMS.provenanceParticipantType, code: 'attester', display: 'Attester' }] },
          role: [{ coding: [peerkitCoding(ctx, 'signer-role', SIGNER_ROLES, s.role)] }],
          who,
          // US Core provenance-1: a practitioner signs on behalf of the agency.
          onBehalfOf: who.reference?.startsWith('Practitioner/') === true && agency !== undefined ? ref('Organization', organizationResourceId(agency)) : undefined,
        },
      ],
      signature: [
        {
          extension: [{ url: url('signature-method'), valueCoding: peerkitCoding(ctx, 'signature-method', SIGNATURE_METHODS, s.method) }],
          type: [{ ...VERIFICATION_SIGNATURE }],
          when: s.signedAt,
          who: { ...who },
        },
      ],
    });
  });

  return [carePlan, ...goals, ...signatures];
}

const count = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The CarePlan's generated narrative: its kind, status and counts, no content of the plan. */
function planNarrative(plan: RecoveryPlan): string {
  const summary = `Peer recovery plan (${plan.status}): ${count(plan.goals.length, 'goal')}, ${count(plan.steps.length, 'step')}.`;
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p>${summary}</p></div>`;
}

/** Reads recovery plans (`CarePlan` with its `Goal`s and signature `Provenance`s) back from FHIR. */
export const recoveryPlanReader: RecordReader = resourceReader({
  type: 'CarePlan',
  identifier: 'recovery-plan',
  read: readPlan,
  index(ix, resource) {
    if (resource.resourceType !== 'Goal' || typeof resource.id !== 'string') return;
    // The business identifier is `<plan id>/<goal id>`; references to the Goal resolve to the goal id.
    const goal = businessId(resource.identifier, 'recovery-goal');
    const slash = goal?.value.lastIndexOf('/') ?? -1;
    if (goal && slash > 0) ix.recordId.set(`Goal/${resource.id}`, goal.value.slice(slash + 1));
  },
});

function readContact(e: Extension): Json {
  return defined({ name: sub(e, 'name')?.valueString, relationship: sub(e, 'relationship')?.valueString, phone: sub(e, 'phone')?.valueString });
}

function readPlan(ix: ReadIndex, r: Reader, plan: Loose<CarePlan>): Json {
  warnForeignExtensions(ix, r, plan);
  const planId = businessId(plan.identifier, 'recovery-plan')?.value ?? plan.id;
  const goals = (plan.goal ?? []).flatMap((g, i) => {
    const found = typeof g.reference === 'string' ? ix.byRef.get(g.reference) : undefined;
    if (!found) {
      r.unresolved(['goal', i], 'CarePlan.goal');
      return [];
    }
    ix.consumed.add(found.resource);
    const goal = found.resource as Loose<Goal>;
    const value = businessId(goal.identifier, 'recovery-goal')?.value;
    return [
      defined({
        id: value?.slice(value.lastIndexOf('/') + 1) ?? goal.id,
        text: goal.description?.text,
        domain: code(r, RECOVERY_DOMAINS, goal.category?.[0], ix.cs('recovery-domain'), ['goal', i], 'Goal.category'),
        status: isCode(GOAL_STATUSES, goal.lifecycleStatus) ? goal.lifecycleStatus : undefined,
        achievement: code(r, GOAL_ACHIEVEMENTS, goal.achievementStatus, SYSTEMS.goalAchievement, ['goal', i], 'Goal.achievementStatus'),
        start: goal.startDate,
        target: goal.target?.[0]?.dueDate,
        measure: goal.note?.[0]?.text,
      }),
    ];
  });
  const crisis = extOf(plan, ix.url('crisis-plan'));
  const signatures = [...ix.byRef.values()]
    .filter(({ resource }) => resource.resourceType === 'Provenance' && (resource as Loose<Provenance>).target?.some((t) => t.reference === `CarePlan/${String(plan.id)}`))
    .sort((a, b) => a.index - b.index)
    .map(({ resource }) => {
      ix.consumed.add(resource);
      const p = resource as Loose<Provenance>;
      const agent = p.agent?.[0];
      const sig = p.signature?.[0];
      return defined({
        role: code(r, SIGNER_ROLES, agent?.role?.[0], ix.cs('signer-role'), ['Provenance', 'agent'], 'Provenance.agent.role'),
        signerId: ix.idOf(agent?.who, 'Practitioner'),
        signedAt: p.recorded,
        method: codingOf(r, SIGNATURE_METHODS, extOf(sig, ix.url('signature-method')), ix.cs('signature-method'), ['Provenance', 'signature'], 'Signature method'),
      });
    });
  return defined({
    kind: 'recovery-plan',
    id: planId,
    peerId: peerIdOf(ix, r, plan.subject, ['subject']),
    specialistId: ix.idOf(plan.author, 'Practitioner'),
    programId: ix.recordIdOfProgram(extOf(plan, ix.url('program'))?.valueReference),
    status: isCode(PLAN_STATUSES, plan.status) ? plan.status : undefined,
    created: plan.created,
    period: defined({ start: plan.period?.start, end: plan.period?.end }),
    reviewDue: extOf(plan, ix.url('review-due'))?.valueDate,
    strengths: extsOf(plan, ix.url('strength')).map((e) => e.valueString),
    goals,
    steps: (plan.activity ?? []).map((a, i) => {
      const step = extOf(a, ix.url('step'));
      const goalRef = a.detail?.goal?.[0];
      return defined({
        id: sub(step, 'id')?.valueId ?? `step-${i + 1}`,
        goalId: ix.idOf(goalRef, 'Goal'),
        description: a.detail?.description,
        owner: codingOf(r, STEP_OWNERS, sub(step, 'owner'), ix.cs('step-owner'), ['activity', i], 'Step owner') ?? 'other',
        due: a.detail?.scheduledPeriod?.end,
        status: isCode(STEP_STATUSES, a.detail?.status) ? a.detail?.status : undefined,
        completedOn: sub(step, 'completedOn')?.valueDate,
      });
    }),
    supports: extsOf(plan, ix.url('support')).map((e) =>
      defined({
        name: sub(e, 'name')?.valueString,
        role: codingOf(r, SUPPORT_ROLES, sub(e, 'role'), ix.cs('support-role'), ['extension'], 'Support role'),
        phone: sub(e, 'phone')?.valueString,
      }),
    ),
    crisisPlan:
      crisis === undefined
        ? undefined
        : defined({
            warningSigns: subs(crisis, 'warningSign').map((e) => e.valueString),
            copingStrategies: subs(crisis, 'copingStrategy').map((e) => e.valueString),
            contacts: subs(crisis, 'contact').map(readContact),
            professionalContacts: subs(crisis, 'professionalContact').map(readContact),
            safeEnvironment: subs(crisis, 'safeEnvironment').map((e) => e.valueString),
            reviewed: sub(crisis, 'reviewed')?.valueDate,
          }),
    signatures,
  });
}
