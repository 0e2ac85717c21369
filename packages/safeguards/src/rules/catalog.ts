/**
 * The boundary and scope rule catalog: every rule with a stable id, its category, default
 * severity, rationale, source and what it applies to. The checks themselves live in
 * `note-rules.ts` (free text) and `record-rules.ts` (records); each declares when it applies.
 *
 * Sources are cited by what PeerKit actually read (see the package README for the list). A
 * threshold or choice no source fixes is marked `PeerKit policy default` and is configurable.
 */
import type { IssueSeverity } from '@peerkit/model';

/** Rule categories, exactly as the safeguards issue names them. */
export const RULE_CATEGORIES = [
  'scope-of-practice',
  'dual-relationship',
  'self-disclosure',
  'crisis-follow-up',
  'confidentiality',
  'credential',
  'supervision',
  'workload',
  'documentation',
] as const;
/** A rule category. */
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** What a rule looks at. */
export type RuleTarget = 'note' | 'encounter' | 'group-session' | 'specialist' | 'referral' | 'consent' | 'fhir-resource';

/** Which notes a note rule reads: a one-on-one progress note, an attendee's group note, the session's group note. */
export type NoteContext = 'one-on-one' | 'group-attendee' | 'group';

/** A rule of the catalog. */
export interface RuleDefinition {
  /** Stable id, e.g. `scope.diagnosing`. */
  readonly id: string;
  readonly category: RuleCategory;
  /** Default severity; a policy may change it. */
  readonly severity: IssueSeverity;
  /** What the finding means; names no value. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
  /** Citation(s) the rule relies on; `PeerKit policy default` where none fixes it. */
  readonly source: string;
  readonly appliesTo: readonly RuleTarget[];
  /** For note rules: the notes it reads. */
  readonly notes?: readonly NoteContext[];
  /** For note rules: a peer-appropriate alternative. */
  readonly suggestion?: string;
}

const ALL_NOTES: readonly NoteContext[] = ['one-on-one', 'group-attendee', 'group'];

/** Sources, cited by short name in the rules and listed in full in the README. */
export const SOURCES = {
  seedScope: 'reference/seeds/001 (Step 1): "your role is not to diagnose or treat illnesses – that\'s the role of clinicians"',
  seedCrisis: 'reference/seeds/001 (Crisis Support): "Refer peers to appropriate crisis services when needed"',
  seedCe: 'reference/seeds/001 (Step 6): continuing education hours to maintain certification',
  seedSupervision: 'reference/seeds/001 (Step 10): "consistently seek supervision"',
  seedDocument: 'reference/seeds/002: "Document peer progress and interactions as required by the program"',
  seedBoundaries: 'reference/seeds/001 (Step 10): maintain confidentiality, avoid conflicts of interest, keep a professional relationship',
  icrcScope: 'IC&RC Peer Recovery Code of Ethics (preamble): not perform services outside the boundaries and scope of their expertise',
  icrcSupervision: 'IC&RC Peer Recovery Code of Ethics (Supervision): one supervision session per week, at least 4 hours a month',
  arkansasScope: 'Arkansas Peer Recovery Code of Ethics: provide services only inside my lived experience, training, competence or scope of practice',
  arkansasCrisis: 'Arkansas Peer Recovery Code of Ethics: inform my supervisor immediately if a person is at risk of harming themselves',
  illinoisCrisis: 'Illinois Peer Specialist Code of Conduct 4: inform appropriate staff immediately about any possible harm to self or others',
  napsStrengths: 'N.A.P.S. National Practice Guidelines for Peer Supporters (2013), core value 10: peer support is strengths-focused',
  napsMutual: 'N.A.P.S. National Practice Guidelines (2013), core values 8 (mutual and reciprocal) and 12 (person-driven)',
  idahoPrivacy: 'Idaho CPSS Code of Ethics 3: respect the privacy and confidentiality of those served',
  idahoSexual: 'Idaho CPSS Code of Ethics 8: never engage in sexual/intimate activities with those served',
  idahoGifts: 'Idaho CPSS Code of Ethics 9: not accept gifts of significant value from those served',
  idahoDual: 'Idaho CPSS Code of Ethics 10: not enter into dual relationships or commitments that conflict with the interests of those served',
  scDual: 'South Carolina CPSS Code of Ethics 4: avoid dual relationships (friendships, business, bartering) while the support relationship is ongoing',
  scContact: 'South Carolina CPSS Code of Ethics 5: never give out personal contact information to clients',
  scHours: 'South Carolina CPSS Code of Ethics 6: provide service only within the hours, days and locations the agency sanctions',
  minnesotaMoney: 'Minnesota Certification Board PRS Code of Ethical Conduct: not accept money or items of significant value',
  minnesotaStory: 'Minnesota Certification Board PRS Code of Ethical Conduct: share lived experience only when it benefits the person served',
  smdl: 'CMS SMDL #07-011 (supervision, care coordination, training and credentialing of peer support providers)',
  paPlan: 'PA OMHSAS-09-07: recovery-focused individual service plan within one month of enrollment (reference/billing.md S5)',
  vaNote: '12VAC30-130-5160 to 5210: progress note in each person\'s record (reference/billing.md S4)',
  part2Consent: '42 CFR §2.31 (consent), §2.33 (uses and disclosures with consent), §2.51 (medical emergencies); Fed. Reg. 2024-02544',
  ds4p: 'FHIR DS4P IG 1.0.0; THO v3-ActCode 42CFRPart2 usage note (reference/fhir-mapping.md §2.4)',
  policy: 'PeerKit policy default',
} as const;

const S = SOURCES;

/** Every rule of the catalog. */
export const RULES: readonly RuleDefinition[] = [
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
  {
    id: 'confidentiality.referral-without-consent',
    category: 'confidentiality',
    severity: 'warning',
    title: 'A referral from a Part 2 program names no active consent',
    rationale: 'A referral discloses that the person is in a Part 2 program; outside a medical emergency it needs a written consent in effect.',
    source: S.part2Consent,
    appliesTo: ['referral'],
  },
  {
    id: 'confidentiality.part2-consent-incomplete',
    category: 'confidentiality',
    severity: 'error',
    title: 'A Part 2 consent lacks an element 42 CFR §2.31 requires',
    rationale: 'A consent missing a required element is not valid for Part 2 disclosures.',
    source: '42 CFR §2.31(a)(1)-(9); §2.32',
    appliesTo: ['consent'],
  },
  // credential
  {
    id: 'credential.expired',
    category: 'credential',
    severity: 'error',
    title: 'Certification expired and not renewed',
    rationale: 'Certified specialists must hold a current certification to practice and bill; a lapsed credential also narrows which programs they may serve.',
    source: `${S.smdl}; ${S.seedCe}; look-back for a lapse next to a current certification: ${S.policy}`,
    appliesTo: ['specialist'],
  },
  {
    id: 'credential.expiring',
    category: 'credential',
    severity: 'warning',
    title: 'Certification expires soon',
    rationale: 'Renewal takes time; a lapse stops billable service.',
    source: `${S.smdl}; warning window: ${S.policy}`,
    appliesTo: ['specialist'],
  },
  {
    id: 'credential.service-while-expired',
    category: 'credential',
    severity: 'error',
    title: 'Service delivered while the certification had lapsed',
    rationale: 'Contacts by a specialist without a current certification may not be billable as certified peer support.',
    source: S.smdl,
    appliesTo: ['encounter'],
  },
  {
    id: 'credential.ce-short',
    category: 'credential',
    severity: 'warning',
    title: 'Continuing-education hours short for the renewal window',
    rationale: 'Certification boards require continuing education, often including ethics, to renew.',
    source: `${S.seedCe}; hours and window: ${S.policy} (state boards differ)`,
    appliesTo: ['specialist'],
  },
  // supervision
  {
    id: 'supervision.overdue',
    category: 'supervision',
    severity: 'warning',
    title: 'Supervision is overdue',
    rationale: 'Peer specialists work under supervision; gaps leave boundary and crisis questions unsupported.',
    source: `${S.smdl}; ${S.icrcSupervision}; ${S.seedSupervision}; interval: ${S.policy}`,
    appliesTo: ['specialist'],
  },
  // workload
  {
    id: 'workload.caseload-over-limit',
    category: 'workload',
    severity: 'warning',
    title: 'Caseload over the limit',
    rationale: 'Caseloads over the limit thin out contact and raise burnout risk.',
    source: `specialist.caseloadLimit; ${S.policy}`,
    appliesTo: ['specialist'],
  },
  {
    id: 'workload.outside-hours',
    category: 'workload',
    severity: 'information',
    title: 'Contact outside the configured working hours',
    rationale: 'Contacts outside sanctioned hours may be outside the agency’s coverage and supervision.',
    source: `${S.scHours}; hours: ${S.policy}`,
    appliesTo: ['encounter', 'group-session'],
  },
  {
    id: 'workload.contact-too-frequent',
    category: 'workload',
    severity: 'warning',
    title: 'More contacts with the same peer in one day than policy allows',
    rationale: 'Many contacts in a day can signal dependency, a crisis that needs escalation, or a documentation error.',
    source: S.policy,
    appliesTo: ['encounter'],
  },
  // documentation
  {
    id: 'documentation.note-unsigned-late',
    category: 'documentation',
    severity: 'warning',
    title: 'Note unsigned past the signature deadline',
    rationale: 'Unsigned notes are drafts: not part of the record and not billable.',
    source: `${S.vaNote}; ${S.seedDocument}; deadline: ${S.policy}`,
    appliesTo: ['encounter', 'group-session'],
  },
  {
    id: 'documentation.no-active-plan',
    category: 'documentation',
    severity: 'warning',
    title: 'Contact with no active recovery plan',
    rationale: 'Peer support is delivered under a person-centered recovery plan; contacts outside one are hard to justify and bill.',
    source: `${S.smdl}; ${S.paPlan}`,
    appliesTo: ['encounter'],
  },
];

/** The ids of every rule. */
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

/** The rule with an id. */
export function ruleById(id: string): RuleDefinition {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}
