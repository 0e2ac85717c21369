/**
 * One AuditEvent per consent decision: who asked, for what, the decision and its basis. It carries
 * references, identifiers and codes only: never note text, names or other clinical content.
 *
 * See: reference/fhir-mapping.md §1 (IHE BALP AuthZconsent: type DCM 110113; its subtype
 * CodeSystem URL is UNVERIFIED, so PeerKit's own subtype code is the default);
 * https://hl7.org/fhir/R4/auditevent.html
 */
import type { AuditEvent, AuditEventAgent, AuditEventEntity, AuditEventEntityDetail, Coding, Reference } from 'fhir/r4';
import type { Code } from '../internal/codes';
import type { ConsentDecisionCode, DecisionBasis } from './decision';
import type { DisclosureRequest, RequestActor } from './request';

/** Options for the AuditEvent a decision produces. */
export interface AuditOptions {
  /** `AuditEvent.id`. Default: none (the server assigns one). */
  id?: string;
  /** `AuditEvent.source.observer`. Default `{ display: 'PeerKit safeguards' }`. */
  observer?: Reference;
  /** The system that made the decision, as a non-requesting agent. Default none. */
  decider?: Reference;
  /** `AuditEvent.type`. Default DICOM `110113` Security Alert (IHE BALP AuthZconsent). */
  type?: Coding;
  /** `AuditEvent.subtype`. Default PeerKit `consent-decision` (or `break-glass`). */
  subtype?: Coding;
}

/** What {@link createConsentAuditEvent} records. */
export interface AuditInput {
  readonly decision: ConsentDecisionCode;
  readonly breakGlass: boolean;
  readonly basis: DecisionBasis;
  readonly request: DisclosureRequest;
  readonly now: string | Date;
  /** References of the consents that decided. */
  readonly consents: readonly string[];
  /** Resources disclosed (the disclosure gate), as references. */
  readonly disclosed?: readonly AuditEntityInput[];
}

/** A disclosed resource, by reference only. */
export interface AuditEntityInput {
  readonly reference: string;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const AUDIT_SUBTYPE = 'https://peerkit.dev/fhir/CodeSystem/audit-subtype';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';

/** An instant (`AuditEvent.recorded` needs a time and zone) from the clock option. */
export function toInstant(now: string | Date): string {
  if (now instanceof Date) return now.toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(now)) return `${now}T00:00:00Z`;
  if (/^\d{4}-\d{2}$/.test(now)) return `${now}-01T00:00:00Z`;
  if (/^\d{4}$/.test(now)) return `${now}-01-01T00:00:00Z`;
  if (/T\d{2}:\d{2}$/.test(now)) return `${now}:00Z`;
  return /(Z|[+-]\d{2}:\d{2})$/.test(now) ? now : `${now}Z`;
}

function toCoding(code: Code): Coding {
  return code.system === undefined ? { code: code.code } : { system: code.system, code: code.code };
}

function who(actor: RequestActor): Reference {
  if (actor.reference !== undefined) return { reference: actor.reference };
  const id = actor.identifier[0];
  if (!id) return {};
  return { identifier: id.system === undefined ? { value: id.value } : { system: id.system, value: id.value } };
}

function patientReference(request: DisclosureRequest): Reference {
  if (request.patient.reference !== undefined) return { reference: request.patient.reference };
  const id = request.patient.identifier[0];
  return id ? { identifier: id.system === undefined ? { value: id.value } : { system: id.system, value: id.value } } : {};
}

/** `Consent/1` → a reference; `Consent?identifier=s|v` → an identifier; `#2` → a display. */
function consentWhat(ref: string): Reference {
  if (ref.startsWith('#')) return { display: `consent ${ref}` };
  const conditional = /^Consent\?identifier=(?:(.*)\|)?(.+)$/.exec(ref);
  if (conditional?.[2] !== undefined) {
    return { type: 'Consent', identifier: conditional[1] === undefined ? { value: conditional[2] } : { system: conditional[1], value: conditional[2] } };
  }
  return { reference: ref };
}

function describeBasis(basis: DecisionBasis): string {
  switch (basis.kind) {
    case 'consent':
      return `consent ${basis.consent ?? ''} ${basis.provision ?? ''} (${basis.strategy})`.replace(/\s+/g, ' ').trim();
    case 'part2':
      return `42 CFR Part 2: no covering consent (${basis.strategy})`;
    case 'break-glass':
      return 'break-glass: medical emergency (42 CFR 2.51)';
    case 'none':
      return 'no applicable consent';
  }
}

/**
 * Builds the AuditEvent of a consent decision.
 *
 * @param input - the decision, its basis and the request
 * @param options - id, observer, type and subtype
 * @returns an R4 AuditEvent (action `E`, outcome `0`, `outcomeDesc` = the decision)
 * @example
 * const audit = createConsentAuditEvent({ decision: 'DENY', breakGlass: false, basis, request, now, consents: [] });
 * See: https://hl7.org/fhir/R4/auditevent.html
 */
export function createConsentAuditEvent(input: AuditInput, options: AuditOptions = {}): AuditEvent {
  const { request } = input;
  const purposes = request.purposeOfUse.map(toCoding);
  const agents: AuditEventAgent[] = request.actor.map((actor) => {
    const agent: AuditEventAgent = { who: who(actor), requestor: true };
    if (purposes.length > 0) agent.purposeOfUse = [{ coding: purposes }];
    return agent;
  });
  if (agents.length === 0) agents.push({ who: { display: 'unidentified requester' }, requestor: true });
  if (options.decider) agents.push({ who: options.decider, requestor: false });

  const details: AuditEventEntityDetail[] = [
    { type: 'decision', valueString: input.decision },
    { type: 'basis', valueString: describeBasis(input.basis) },
    { type: 'action', valueString: request.action?.code ?? 'unstated' },
    { type: 'break-glass', valueString: String(input.breakGlass) },
  ];
  if (request.class) details.push({ type: 'class', valueString: request.class.map((c) => c.code).join(' ') });
  const query: AuditEventEntity = {
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
    detail: details,
  };
  if (request.securityLabel && request.securityLabel.length > 0) query.securityLabel = request.securityLabel.map(toCoding);

  const entities: AuditEventEntity[] = [
    {
      what: patientReference(request),
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    },
    query,
    ...input.consents.map(
      (ref): AuditEventEntity => ({
        what: consentWhat(ref),
        type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      }),
    ),
    ...(input.disclosed ?? []).map(
      (d): AuditEventEntity => ({
        what: { reference: d.reference },
        type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
        role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      }),
    ),
  ];

  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    type: options.type ?? { system: DCM, code: '110113', display: 'Security Alert' },
    subtype: [options.subtype ?? { system: AUDIT_SUBTYPE, code: input.breakGlass ? 'break-glass' : 'consent-decision' }],
    action: 'E',
    recorded: toInstant(input.now),
    outcome: '0',
    outcomeDesc: input.decision,
    agent: agents,
    source: {
      observer: options.observer ?? { display: 'PeerKit safeguards' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    entity: entities,
  };
  if (purposes.length > 0) event.purposeOfEvent = [{ coding: purposes }];
  if (options.id !== undefined) return { ...event, id: options.id };
  return event;
}
