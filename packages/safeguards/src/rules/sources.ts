/**
 * The sources the boundary and scope rules cite, by short name. Sources are cited by what PeerKit
 * actually read (see the package README for the list). A threshold or choice no source fixes is
 * marked `PeerKit policy default` and is configurable.
 */

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
  noteModel:
    'PeerKit note model: L2-regularised logistic regression per category over sentence features, trained on packages/safeguards/test/notes/dev.jsonl (synthetic notes labelled with the issue 16 categories) by scripts/train-note-model.mjs; a second opinion where no rule matched (docs/note-linter.md)',
} as const;
