/**
 * PeerKit's data categories (`progress-notes`, `attendance`…) by resource type: what the disclosure
 * gate matches against `provision.code` of PeerKit consents, and what the disclosure ledger records
 * about the data sent.
 *
 * See: @peerkit/fhir (which record maps to which resource type)
 */
import type { Resource } from 'fhir/r4';

/** PeerKit data categories by resource type (what `@peerkit/fhir` maps each record to). */
const CATEGORY_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  DocumentReference: ['progress-notes'],
  Encounter: ['attendance'],
  EpisodeOfCare: ['attendance'],
  Procedure: ['attendance'],
  CarePlan: ['recovery-plan'],
  Goal: ['recovery-plan'],
  ServiceRequest: ['referrals'],
  Task: ['referrals'],
  Claim: ['billing'],
  ChargeItem: ['billing'],
  Coverage: ['billing'],
  ExplanationOfBenefit: ['billing'],
};

/**
 * The PeerKit data categories of a resource, by its type: DocumentReference → progress-notes;
 * Encounter, EpisodeOfCare, Procedure → attendance; CarePlan, Goal → recovery-plan; ServiceRequest,
 * Task → referrals; Claim, ChargeItem, Coverage, ExplanationOfBenefit → billing. Sensitive categories
 * (substance-use, mental-health, hiv) travel as security labels instead.
 *
 * @param resource - a FHIR resource
 * @returns data-category codes (PeerKit's `data-category` CodeSystem)
 * @example
 * peerkitDataCategories({ resourceType: 'Goal', … }); // ['recovery-plan']
 */
export function peerkitDataCategories(resource: Resource): readonly string[] {
  return CATEGORY_OF_TYPE[resource.resourceType] ?? [];
}
