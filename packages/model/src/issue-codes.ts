/**
 * Every issue code @peerkit/model emits, with its meaning. Codes are stable: a host may switch on
 * them. The package README lists the same table (a test keeps the two in step).
 */
export const ISSUE_CODES = {
  // Reading a clinic export
  'record.invalid-json': 'The line is not valid JSON.',
  'record.too-large': 'The line is longer than the reader accepts; it was skipped without being read.',
  'record.not-object': 'The line is JSON but not an object.',
  'record.missing-kind': 'The record has no `kind` field.',
  'record.unknown-kind': 'The record has a `kind` PeerKit does not know.',
  'record.duplicate-id': 'Another record of the same kind earlier in the export has the same id.',
  'reference.unresolved': 'A reference (peerId, specialistId, planId…) names a record the export does not hold (warning).',
  // Schema
  'schema.required': 'A required field is missing.',
  'schema.invalid-type': 'A field has the wrong JSON type.',
  'schema.invalid-value': 'A field has a value outside its code list or allowed values.',
  'schema.invalid-format': 'A field is not in its format (date, date-time, id, URL, phone, pattern).',
  'schema.too-small': 'A number, text or list is below its minimum.',
  'schema.too-big': 'A number, text or list is above its maximum.',
  'schema.unknown-field': 'The record has a field its schema does not define.',
  // Shared
  'period.end-before-start': 'A date range ends before it starts.',
  // Organization
  'organization.duplicate-program': 'Two programs share an id.',
  'organization.part2-program-type': 'A 42 CFR Part 2 program is typed mental-health only.',
  // Specialist
  'specialist.certification-expires-before-issued': 'A certification expires on or before its issue date.',
  'specialist.self-supervision': 'A specialist is listed as their own supervisor.',
  'specialist.supervisor-missing': 'A trainee or certified specialist has no assigned supervisor (warning).',
  'specialist.certification-missing': 'A specialist above trainee level holds no certification (warning).',
  'specialist.duplicate-certification': 'The same credential and number appear twice.',
  'specialist.education-before-hire': 'Continuing education predates the hire date (information).',
  // Peer
  'peer.patient-unidentified': 'The patient reference has neither a reference nor an identifier.',
  'peer.enrollment-before-birth': 'An enrollment starts before the birth date.',
  'peer.overlapping-enrollment': 'Two enrollments in the same program overlap (warning).',
  'peer.duplicate-coverage': 'The same payer membership is listed twice.',
  // Recovery plan
  'plan.duplicate-id': 'Two goals or two steps of a plan share an id.',
  'plan.goal-target-outside-period': 'A goal target date falls outside the plan period.',
  'plan.goal-target-before-start': 'A goal target date is before the goal start.',
  'plan.step-unknown-goal': 'A step names a goal that is not in the plan.',
  'plan.step-due-outside-period': 'A step due date falls outside the plan period (warning).',
  'plan.step-completion-mismatch': 'A step has completedOn without status completed, or the reverse.',
  'plan.review-before-start': 'The review due date is before the plan starts.',
  'plan.signature-before-created': 'A signature predates the plan.',
  'plan.peer-signature-missing': 'An active or completed plan has no signature by the peer or guardian (warning).',
  'plan.created-after-start': 'The plan was documented after its period started (information).',
  'plan.crisis-plan-reviewed-before-created': 'The crisis plan review date predates the plan (warning).',
  // Encounter
  'encounter.end-before-start': 'The encounter ends at or before its start.',
  'encounter.duration-exceeds-span': 'The stated minutes exceed the time between start and end.',
  'encounter.duration-missing': 'A completed encounter has neither end nor durationMinutes.',
  'encounter.not-held-with-service': 'A no-show or cancelled encounter records minutes or activities.',
  'encounter.status-reason-missing': 'A no-show or cancelled encounter does not say why (warning).',
  'encounter.activities-missing': 'A completed encounter lists no activity.',
  'encounter.note-missing': 'A completed encounter has no progress note.',
  'encounter.note-unsigned': 'The progress note is not signed (warning).',
  'encounter.note-signed-before-start': 'The note was signed before the encounter started.',
  'encounter.note-signer-mismatch': 'The note is signed by someone other than the encounter specialist.',
  'encounter.cosign-incomplete': 'The co-signature is partial, by the author, or before the signature.',
  'encounter.cosign-missing': "A trainee's signed note has no supervisor co-signature (warning, cross-record).",
  'encounter.crisis-action-missing': 'A crisis is indicated but no action is recorded.',
  'encounter.crisis-activity-missing': 'A crisis is indicated but crisis-support is not among the activities (warning).',
  'encounter.goals-without-plan': 'Goals are addressed without naming the plan.',
  'encounter.setting-modality-mismatch': 'Street outreach or a mobile unit with a remote modality (warning).',
  // Group session
  'group.end-before-start': 'The session ends at or before its start.',
  'group.minutes-exceed-session': "An attendee's minutes exceed the session's length.",
  'group.duplicate-attendee': 'A peer is listed twice.',
  'group.duplicate-facilitator': 'A facilitator is listed twice.',
  'group.absent-with-minutes': 'An absent or excused attendee has minutes or a note.',
  'group.minutes-missing': 'An attendee who was present has no minutes.',
  'group.cancelled-with-attendance': 'A cancelled session has attendees marked present.',
  'group.note-missing': 'An attendee who was present has no individual note.',
  'group.note-signer-not-facilitator': 'A note is signed by someone who did not facilitate.',
  'group.no-attendees': 'A held session has nobody marked present (warning).',
  // Consent
  'consent.signature-missing': 'An active or revoked consent has no signature.',
  'consent.expiry-before-signature': 'The consent expires on or before the date it was signed.',
  'consent.period-after-expiry': 'The consent period runs past its expiration date.',
  'consent.revocation-missing': 'A revoked consent has no revocation date.',
  'consent.revocation-status-mismatch': 'A revocation is recorded but the status is not revoked.',
  'consent.revoked-before-signed': 'The revocation predates the signature.',
  'consent.effective-before-signed': 'The consent period starts before it was signed (warning).',
  'consent.recipient-incomplete': 'A recipient is neither named nor described.',
  'consent.tpo-purpose': 'A single TPO consent lists a purpose other than treatment, payment or operations.',
  // Referral
  'referral.closure-missing': 'A closed referral has no closing date.',
  'referral.closed-while-open': 'A closing date is set on an open referral.',
  'referral.closed-before-created': 'The referral closed before it was created.',
  'referral.outcome-missing': 'A completed referral has no outcome (warning).',
  'referral.crisis-routine': 'A crisis referral has routine urgency (warning).',
  'referral.goal-without-plan': 'A goal is named without its plan.',
} as const;

/** A stable issue code; see {@link ISSUE_CODES}. Other packages extend the set with their own prefix. */
export type IssueCode = keyof typeof ISSUE_CODES | `${string}.${string}`;
