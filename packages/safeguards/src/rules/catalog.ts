/**
 * The boundary and scope rule catalog: every rule with a stable id, its category, default
 * severity, rationale, source and what it applies to. The note rules are defined here and
 * detected in `note-rules.ts` (free text); the label rule is checked in `check-labels.ts`; each
 * record rule is defined together with its check in its family's file under `record/`.
 */
import { RECORD_RULES } from './record/record-rules';
import type { NoteContext, RuleDefinition } from './rule-definition';
import { SOURCES } from './sources';

const ALL_NOTES: readonly NoteContext[] = ['one-on-one', 'group-attendee', 'group'];

const S = SOURCES;

/** The rules over note text and FHIR labels, in catalog order. */
const NOTE_AND_LABEL_RULES: readonly RuleDefinition[] = [
  // scope-of-practice
  {
    id: 'scope.diagnosing',
    category: 'scope-of-practice',
    severity: 'error',
    title: 'The specialist names or suggests a diagnosis',
    rationale: 'Diagnosing is a clinical act outside the peer role; a suggested label can mislead the peer and the care team.',
    source: `${S.seedScope}; ${S.icrcScope}; ${S.arkansasScope}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Describe what the peer said or experienced in their own words, and that you encouraged them to talk with their clinician about it, e.g. 'Peer described mood swings that worry them; we talked about bringing this up with their doctor.'",
  },
  {
    id: 'scope.medication-advice',
    category: 'scope-of-practice',
    severity: 'error',
    title: 'The specialist advises starting, stopping or changing a medication',
    rationale: 'Medication decisions belong to the prescriber; advice to change a dose can cause harm.',
    source: `${S.seedScope}; ${S.icrcScope}; ${S.arkansasScope}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Record the peer's concern and the support you gave to raise it with the prescriber, e.g. 'Peer is bothered by side effects; we wrote down questions for their prescriber.'",
  },
  {
    id: 'scope.treatment-advice',
    category: 'scope-of-practice',
    severity: 'warning',
    title: 'The specialist tells the peer which clinical treatment they need',
    rationale: 'Peers link people to treatment options and support their choice; prescribing a treatment is clinical.',
    source: `${S.seedScope}; ${S.icrcScope}; ${S.napsMutual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Write what options you explored together and what the peer chose, e.g. 'We looked at treatment options; peer wants to call about an intake.'",
  },
  {
    id: 'scope.clinical-language',
    category: 'scope-of-practice',
    severity: 'warning',
    title: 'The note uses clinical-assessment or deficit language',
    rationale: 'Peer notes describe experience and strengths in plain words; assessment terms imply a clinical evaluation the peer role does not make.',
    source: `${S.napsStrengths}; ${S.seedScope}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Use plain, strengths-based words and the peer's own description, e.g. 'Peer said it has been hard to take the medication and wants to talk about why' rather than 'noncompliant'.",
  },
  // dual-relationship
  {
    id: 'dual.money',
    category: 'dual-relationship',
    severity: 'error',
    title: 'Money changes hands between the specialist and the peer',
    rationale: 'Loans, payments and sales create obligations that conflict with the support relationship.',
    source: `${S.minnesotaMoney}; ${S.idahoDual}; ${S.scDual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: 'Connect the peer with emergency funds, benefits or community resources instead, and note the resource offered.',
  },
  {
    id: 'dual.gift',
    category: 'dual-relationship',
    severity: 'warning',
    title: 'A gift is exchanged between the specialist and the peer',
    rationale: 'Gifts of value blur the professional relationship; agencies set a nominal limit.',
    source: `${S.idahoGifts}; ${S.minnesotaMoney}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Thank the peer, explain the program's gift policy, and note how it was handled.",
  },
  {
    id: 'dual.romantic',
    category: 'dual-relationship',
    severity: 'error',
    title: 'Romantic or sexual interest between the specialist and the peer',
    rationale: 'Romantic or sexual contact with a person served is prohibited by every peer code of ethics read.',
    source: `${S.idahoSexual}; ${S.scDual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: 'Talk with your supervisor today; keep contact within the program, and document the boundary you set.',
  },
  {
    id: 'dual.social-media',
    category: 'dual-relationship',
    severity: 'warning',
    title: 'Personal contact details or social-media connections are exchanged',
    rationale: 'Personal phone numbers and social-media connections move the relationship outside the program.',
    source: `${S.scContact}; ${S.scDual}; social media: ${S.policy}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Give the program's contact number and hours; note that you did.",
  },
  {
    id: 'dual.business',
    category: 'dual-relationship',
    severity: 'error',
    title: 'A business or employment relationship between the specialist and the peer',
    rationale: 'Hiring, selling to or doing business with a person served creates a conflicting commitment.',
    source: `${S.idahoDual}; ${S.scDual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: 'Link the peer to supported-employment or job programs instead, and note the referral.',
  },
  {
    id: 'dual.housing',
    category: 'dual-relationship',
    severity: 'error',
    title: "Shared housing with the specialist or the specialist's family or friends",
    rationale: "Living with, or renting from, the specialist's circle makes the specialist a landlord or housemate.",
    source: `${S.idahoDual}; ${S.scDual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: 'Connect the peer with housing programs and listings; note the resources shared.',
  },
  {
    id: 'dual.friendship',
    category: 'dual-relationship',
    severity: 'warning',
    title: 'Socializing with the peer outside the role',
    rationale: 'Invitations into the specialist’s personal social life turn support into friendship.',
    source: `${S.scDual}; ${S.idahoDual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: 'Link the peer with community, recovery or mutual-aid activities they can join on their own terms.',
  },
  {
    id: 'dual.personal-vehicle',
    category: 'dual-relationship',
    severity: 'warning',
    title: "The specialist transports the peer in a personal vehicle where policy forbids it",
    rationale: 'Personal-vehicle transport carries liability and blurs roles; many agencies forbid it (policy personalVehicleTransport).',
    source: S.policy,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: 'Arrange agency transport, transit, paratransit or a ride program, and note which.',
  },
  // self-disclosure
  {
    id: 'self-disclosure.dominating',
    category: 'self-disclosure',
    severity: 'warning',
    title: "The specialist's own story dominates the contact",
    rationale: 'Lived experience is shared briefly and purposefully, for the peer; a contact spent on the specialist’s story is not peer support.',
    source: `${S.minnesotaStory}; ${S.napsMutual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Note a brief, purposeful share and how you turned the focus back, e.g. 'Specialist briefly shared how they handled a similar setback, then asked what might help peer this week.'",
  },
  // crisis-follow-up
  {
    id: 'crisis.no-follow-up',
    category: 'crisis-follow-up',
    severity: 'error',
    title: 'Crisis indicators with no documented crisis action or referral',
    rationale: 'Suicidal ideation, self-harm or overdose must be followed by a documented action: safety plan, supervisor, warm handoff, 988, mobile crisis or emergency services.',
    source: `${S.seedCrisis}; ${S.arkansasCrisis}; ${S.illinoisCrisis}`,
    appliesTo: ['note', 'encounter', 'group-session'],
    notes: ALL_NOTES,
    suggestion: "Document what you did: e.g. 'Reviewed the safety plan together, consulted the supervisor, and peer agreed to a check-in tomorrow; shared the 988 Lifeline.' If nothing was done, do it now and add a late entry.",
  },
  // confidentiality
  {
    id: 'confidentiality.group-member-named',
    category: 'confidentiality',
    severity: 'error',
    title: "A group note identifies another person by name",
    rationale: "Each attendee's copy of a group note goes into their own record; naming another member discloses that member's participation.",
    source: `${S.idahoPrivacy}; ${S.part2Consent}`,
    appliesTo: ['note'],
    notes: ['group-attendee', 'group'],
    suggestion: "Refer to others by role, e.g. 'Peer offered support to another group member.'",
  },
  {
    id: 'confidentiality.person-named',
    category: 'confidentiality',
    severity: 'warning',
    title: "A peer's note identifies another person by name",
    rationale: "Names of others in a peer's record disclose information about people who did not consent.",
    source: `${S.idahoPrivacy}; naming threshold: ${S.policy}`,
    appliesTo: ['note'],
    notes: ['one-on-one'],
    suggestion: "Use the relationship instead of the name, e.g. 'peer's sister'.",
  },
  {
    id: 'confidentiality.part2-unlabeled',
    category: 'confidentiality',
    severity: 'error',
    title: 'Data from a 42 CFR Part 2 program is not labeled',
    rationale: 'Part 2 records need confidentiality R with the 42CFRPart2 basis, a SUD sensitivity tag and the NORDSCLCD refrain so receivers enforce them.',
    source: S.ds4p,
    appliesTo: ['fhir-resource'],
  },
];

/** Every rule of the catalog: note and label rules, then the record rules by family. */
export const RULES: readonly RuleDefinition[] = [...NOTE_AND_LABEL_RULES, ...RECORD_RULES.map((r) => r.definition)];

/** The ids of every rule. */
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

/** The rule with an id. */
export function ruleById(id: string): RuleDefinition {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}
