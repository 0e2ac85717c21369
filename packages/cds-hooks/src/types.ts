/**
 * The CDS Hooks 2.0 shapes PeerKit's service reads and writes: the discovery document, the hook
 * request, cards with suggestions and links, and feedback.
 *
 * See: https://cds-hooks.hl7.org/2.0/
 */
import type { Resource } from 'fhir/r4';

/** A card's urgency. See: https://cds-hooks.hl7.org/2.0/#card-attributes */
export type CardIndicator = 'info' | 'warning' | 'critical';

/** Who a card's guidance comes from. See: https://cds-hooks.hl7.org/2.0/#source */
export interface CardSource {
  /** Short, human-readable name of the source (required by the spec). */
  label: string;
  /** A page about the source, shown as a link. */
  url?: string;
  /** A coded topic, for the client's analytics. */
  topic?: { system?: string; code: string; display?: string };
}

/** What a suggestion asks the client to do with one resource. See: https://cds-hooks.hl7.org/2.0/#action */
export interface CardAction {
  type: 'create' | 'update' | 'delete';
  /** What the action does, for the user. */
  description: string;
  /** The resource to create or update. */
  resource?: Resource;
  /** `<type>/<id>` of the resource to delete. */
  resourceId?: string;
}

/** A set of actions the user may accept. See: https://cds-hooks.hl7.org/2.0/#suggestion */
export interface CardSuggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: CardAction[];
}

/** A link on a card. See: https://cds-hooks.hl7.org/2.0/#link */
export interface CardLink {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
}

/** A reason a user may give for not following a card. See: https://cds-hooks.hl7.org/2.0/#overridereason */
export interface OverrideReason {
  code: string;
  system?: string;
  display?: string;
}

/** One card. See: https://cds-hooks.hl7.org/2.0/#card-attributes */
export interface Card {
  /** Identifies the card for feedback. */
  uuid: string;
  /** One line, at most 140 characters. */
  summary: string;
  /** Markdown detail. */
  detail?: string;
  indicator: CardIndicator;
  source: CardSource;
  suggestions?: CardSuggestion[];
  /** Required when there are suggestions. */
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: OverrideReason[];
  links?: CardLink[];
}

/** The body of a hook response. See: https://cds-hooks.hl7.org/2.0/#cds-service-response */
export interface CdsResponse {
  cards: Card[];
  systemActions?: CardAction[];
}

/** The access token the client grants for its FHIR server. See: https://cds-hooks.hl7.org/2.0/#fhir-resource-access */
export interface FhirAuthorization {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  subject: string;
  patient?: string;
}

/** A hook call's body, as the service received it (validated). See: https://cds-hooks.hl7.org/2.0/#http-request_1 */
export interface CdsRequest {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  /** The hook's context: at least `userId` and `patientId` for PeerKit's hooks. */
  context: Readonly<Record<string, unknown>>;
  /** Prefetched data by template key; `null` = the client has no data for it. */
  prefetch?: Readonly<Record<string, unknown>>;
}

/** One service of the discovery document. See: https://cds-hooks.hl7.org/2.0/#response */
export interface CdsServiceDefinition {
  hook: string;
  id: string;
  title: string;
  description: string;
  /** Prefetch templates by key. */
  prefetch: Readonly<Record<string, string>>;
  usageRequirements?: string;
}

/** One feedback entry. See: https://cds-hooks.hl7.org/2.0/#feedback */
export interface CardFeedback {
  /** The card's `uuid`. */
  card: string;
  outcome: 'accepted' | 'overridden';
  /** Accepted suggestions, by `uuid`. */
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: OverrideReason; userComment?: string };
  outcomeTimestamp: string;
}

/** Feedback as the service received it: which service, and the entries. */
export interface ReceivedFeedback {
  /** The service id the feedback was posted to. */
  readonly serviceId: string;
  /** The calling client (`iss` of its JWT), when authenticated. */
  readonly client?: string;
  readonly feedback: readonly CardFeedback[];
}
