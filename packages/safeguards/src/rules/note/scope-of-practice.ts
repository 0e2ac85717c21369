/**
 * Scope-of-practice rules: the specialist diagnoses, advises on medication (start, stop, dose,
 * taper, interactions, supplements), tells the peer which clinical treatment they need, writes a
 * clinical assessment as their own, or delivers therapy. Not: the peer's own words, a clinician's
 * diagnosis relayed, a medication question taken to the prescriber or pharmacist, a strengths
 * "Assessment" heading, a housing assessment, a coping skill taught.
 */
import type { Span } from '../../internal/names';
import { termsPattern } from '../../internal/text';
import type { Policy } from '../policy';
import { SOURCES as S } from '../sources';
import { actorAt, anyOf, byWriter, clauseAt, matchesIn, NOT_ONLY_THE_WRITER, perObject, QUESTION_VERBS, quotedAt, targets, writerWords, type NoteSentence, type NoteView } from './context';
import { hasCue, modifiersOf } from './modifiers';
import { ALL_NOTES, type NoteRule } from './note-rule';

const CONDITIONS = String.raw`bipolar(?:\s+(?:disorder|i{1,2}))?|manic[- ]depressi\w*|manic|hypomanic|adhd|add\b|ptsd|post[- ]traumatic stress(?: disorder)?|ocd|obsessive[- ]compulsive(?: disorder)?|schizo\w*|borderline(?: personality(?: disorder)?)?|(?:\w+ )?personality disorder|major depressi\w*|clinical depression|depression|postpartum depression|post-partum depression|depressive disorder|(?:generali[sz]ed )?anxiety disorder|social anxiety(?: disorder)?|gad|panic disorder|autis\w*|asperger\w*|psychosis|psychotic disorder|dementia|eating disorder|anorexi\w*|bulimi\w*|(?:alcohol|opioid|substance|stimulant|cannabis) use disorder|alcoholi\w*|dissociative(?: identity)? disorder|narcissis\w*|sociopath\w*|psychopath\w*|adjustment disorder|mood disorder|conduct disorder|somatic symptom disorder|attachment disorder|cirrhosis|(?:type (?:1|2|one|two) )?diabetes|hepatitis(?: [abc])?|hep c|copd|sleep apnea|fibromyalgia|endocarditis|pancreatitis|hypertension`;
/** Medication words: classes, brand and generic names, supplements, dose units (also the crisis rule's saved-up medication). */
export const MEDICATION_TERMS = String.raw`medications?|meds?|doses?|dosages?|dosing|pills?|prescriptions?|scripts?|antidepressants?|antipsychotics?|mood stabili[sz]ers?|stimulants?|benzos?|benzodiazepines?|sleeping pills?|pain (?:pills|meds)|insulin|lithium|sertraline|zoloft|prozac|fluoxetine|lexapro|escitalopram|wellbutrin|bupropion|seroquel|quetiapine|abilify|aripiprazole|risperdal|risperidone|zyprexa|olanzapine|xanax|alprazolam|ativan|lorazepam|klonopin|clonazepam|valium|adderall|ritalin|vyvanse|methadone|suboxone|subutex|sublocade|buprenorphine|bup|naltrexone|vivitrol|antabuse|disulfiram|gabapentin|trazodone|lamictal|lamotrigine|depakote|buspirone|buspar|hydroxyzine|vistaril|paxil|paroxetine|effexor|venlafaxine|pristiq|celexa|citalopram|cymbalta|duloxetine|remeron|mirtazapine|trintellix|viibryd|elavil|amitriptyline|latuda|lurasidone|geodon|ziprasidone|haldol|haloperidol|invega|paliperidone|clozapine|clozaril|rexulti|vraylar|saphris|topamax|topiramate|clonidine|prazosin|propranolol|strattera|concerta|focalin|dexedrine|methylphenidate|sonata|lunesta|restoril|temazepam|chantix|varenicline|acamprosate|campral|librium|chlordiazepoxide|phenobarbital|baclofen|lyrica|pregabalin|tramadol|hydrocodone|morphine|dilaudid|soma|flexeril|cyclobenzaprine|zyban|nicotine gum|narcan|naloxone|patch(?:es)?|nicotine patch|tylenol(?: \d)?|advil|ibuprofen|aspirin|benadryl|nyquil|unisom|percocet|oxy\w*|norco|vicodin|ambien|fish oil|vitamins?(?: \w)?|magnesium|valerian|thyroid|levothyroxine|strips|shot|injection|mg|\d+\s?mg|st\.? john's wort|cbd(?: oil)?|milk thistle|melatonin|kratom|supplements?|ashwagandha|omega[- ]3s?|5-htp|sam-e|turmeric|ginkgo|kava|herbal (?:supplements?|remed(?:y|ies)|pills?)`;
const CHANGE = String.raw`cut(?:ting)?|bump(?:ed|ing|s)?\s+(?:(?:it|them|her|his|their|the)\s+)?(?:\w+\s+)?up|halv\w*|in half|split|reduce|reducing|lower(?:ing)?|increase[sd]?|increasing|double|doubling|skip(?:ping)?|stop(?:ping)?|quit(?:ting)?|taper(?:ing)?|wean\w*|come off|coming off|go off|get off|drop(?:ping)?|switch(?:ing)?|go up|go down|up (?:her|his|their|the) dose|change (?:her|his|their|the) dose|take (?:two|2|three|3|more|less|extra|fewer|an extra|one of|half|a half)|half (?:a|of (?:a|her|his|their|the)) (?:pill|tab|tablet|dose)|try (?:[\w'.]+ ){0,3}instead|instead of (?:her|his|their|the)|(?:is|was|it's|its) (?:fine|ok|okay|safe|better)|(?:are|is) better|fine without|doesn't have to|does not have to|(?:don't|doesn't|does not|do not) (?:really |even )?need|no longer need|every other day|stretch(?:ing)? (?:it|them|out|the|her|his|their)|(?:\d+\s?mg|a pill|one|half) (?:less|more|fewer) (?:every|each|a)|(?:taking|take) (?:it|them|\w+) (?:\w+ ){0,5}instead|(?:taking|take) (?:it|them) (?:only )?(?:every (?:few|other|couple|\w+ days)|once a|twice a|as needed|when(?:ever)? (?:she|he|they) (?:needs?|wants?|feels?))|restart\w*|resum\w+|start (?:it |them )?(?:back|again)|go(?:ing)? back on|start (?:on )?(?:\w+ )?(?:antabuse|\w+)|recommend\w*|should (?:ask|try|take|start|go)|ask (?:for|to switch)`;
const DRUG_NAMES = String.raw`paxil|effexor|celexa|cymbalta|remeron|latuda|geodon|haldol|invega|clozapine|strattera|concerta|focalin|chantix|lithium|sertraline|zoloft|prozac|fluoxetine|lexapro|escitalopram|wellbutrin|bupropion|seroquel|quetiapine|abilify|aripiprazole|risperdal|risperidone|zyprexa|olanzapine|xanax|alprazolam|ativan|lorazepam|klonopin|clonazepam|valium|adderall|ritalin|vyvanse|suboxone|sublocade|methadone|vivitrol|naltrexone|antabuse|gabapentin|trazodone|lamictal|depakote|buspirone|ambien`;
/** Telling the peer which drug to ask the prescriber for ("ask her PCP for Xanax", "ask to switch to Abilify"). */
const ASK_FOR_DRUG = new RegExp(String.raw`\b(?:ask|request|push)\b[^.;]{0,30}?\b(?:for|on|to)\s+(?:switch\w*\s+(?:\w+\s+)?to\s+|put (?:her|him|them) on\s+)?(?:${DRUG_NAMES})\b`, 'gi');
/** "Gave him a few of my own" when a medication is in reach: the specialist's own supply. */
const OWN_SHARE = /\b(?:gave|give|giving|handed|shared|sold|lent|loaned)\s+(?:the\s+)?(?:peer|pt|him|her|them)\s+(?:some|a few|a couple|one|two|three|several|\d+)\s+of\s+(?:my|pss's|writer's)\s+own\b/gi;
/** The specialist's own supply of any medication (not a naloxone kit, which is harm-reduction supply): "a few of my leftover gabapentin". */
const OWN_PILLS = new RegExp(
  String.raw`\b(?:gave|give|giving|handed|shared|sold|slipped|passed)\s+(?:the\s+)?(?:peer|pt|him|her|them)\s+(?:some\s+|a few\s+|a couple\s+|\w+\s+)?(?:of\s+)?(?:my|pss's|writer's)\s+(?:own\s+)?(?:[\w-]+\s+)?(?!narcan|naloxone)(?:tablets?|tabs|tylenol\w*|\w+ 3s|${MEDICATION_TERMS})\b`,
  'gi',
);
const ADVICE = /\b(?:told|tell|tells|telling|said|say|says|(?:texted|messaged|wrote|emailed) back|replied|responded|walk(?:ed|ing)? (?:\w+ )?thr(?:ough|u)|went over|mapped out|wrote out|laid out|drew up|worked out|set (?:\w+ )?up (?:on|with)|advis\w+|reassur\w+|suggest\w*|recommend\w*|instruct\w*|urg\w+|encourag\w+|insist\w*|should|could|ought to|let's|why not|it's fine|its fine)\b/i;
const TREATMENTS = String.raw`detox|rehab|inpatient|residential(?: treatment)?|intensive outpatient|iop|partial hospitali[sz]ation|hospitali[sz]ation|psychiatric (?:hold|admission)|electroconvulsive|ect|methadone clinic`;
const CLINICAL = String.raw`pressured speech|tangential(?:ity)?|circumstantial(?:ity)?|(?:appeared|appears)\s+(?:\w+\s+)?(?:manic|hypomanic|psychotic|delusional|catatonic|disorganized)|(?:observed|noted|appeared|presents?|presented)\s+(?:(?:pt|peer|client|him|her|them)\s+)?(?:to be|as)\s+(?:\w+\s+)?(?:paranoid|psychotic|manic|hypomanic|delusional|disorganized|catatonic|dissociat\w+|grandiose|decompensat\w+)|responding to internal stimuli|internally preoccupied|psychomotor (?:agitation|retardation)|loose associations|thought blocking|flight of ideas|present(?:s|ed|ing)? (?:w\/|with|as) (?:flat|blunted|labile|psychotic|manic|hypomanic|paranoid|agitated|disorganized|delusional|tangential|pressured|poverty|grandiose|labile|a? ?(?:depressed|anxious) (?:mood|affect))|mental status|clinical impression|mse\b|per (?:this )?(?:writer's|pss's|my) (?:evaluation|assessment|clinical judge?ment|judge?ment)|(?:flat|blunted|labile|constricted|restricted) affect|affect (?:was |is |appeared )?(?:flat|blunted|labile|constricted|restricted)|poverty of speech|exhibit(?:s|ed|ing)? (?:psychotic|manic|paranoid|depressive|delusional|bizarre)|decompensat\w*|non-?complian\w*|med(?:ication)? complian\w*|symptomatic|prognosis|malinger\w*|delusional|paranoid ideation|psychotic features|thought disorder(?:ed)?|poor insight|insight (?:and judge?ment )?(?:is |was |are |were )?(?:poor|limited|impaired)|poor judge?ment|judge?ment (?:is|was) (?:poor|impaired)|oriented x ?[1-4]|a ?& ?o ?x ?[1-4]|treatment[- ]resistant|attention[- ]seeking|manipulative|in denial|unmotivated|drug[- ]seeking|interpret\w*\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:scores?|results?|labs?|test results)|cows (?:score )?(?:of )?\d+|ciwa (?:score )?(?:of )?\d+|(?:scored|assessed|evaluated) (?:pt|peer|client|him|her|them) (?:at|for|as)|determined (?:she|he|they|pt|peer) (?:is|was|does|did|needs|need|doesn't|don't|meets)`;
const THERAPY = /\b(?:thought records?|cognitive distortions|challeng\w+ (?:her |his |their )?(?:distortions|distorted thoughts|automatic thoughts)|emdr|bilateral tapping|exposure (?:therapy|session|techniques?|work|exercises?|hierarchy)|prolonged exposure|(?:session|round|course) of (?:\w+ )?exposure|cognitive restructuring|cbt|dbt|psychotherapy|trauma processing|trauma narratives?|process(?:ing)? the (?:\w+ )?memory|process(?:ing)? (?:it|them|the (?:assault|abuse|trauma|memories|rape|attack)) (?:next|in|this|during)|therapy|counseling session|(?:grief|trauma|family|couples|marriage|addiction|substance abuse|individual|mental health) counseling|counsel(?:ed|led) (?:pt|peer|her|him|them) (?:on|about|through)|to treat (?:her|his|their|pt's|peer's) (?:\w+ )?(?:phobia|anxiety|depression|ptsd|trauma|symptoms|disorder|ocd|panic))\b/gi;
const DELIVERS = /\b(?:had (?:\w+ )?(?:write|do|complete|describe|retell|picture|imagine|list)|work(?:ed|ing)? (?:on|through|thru)|went (?:through|thru|over)|process(?:ed|ing)|taught|teach|assigned|led|lead|leads|provided|provide|provides|conducted|conduct|delivered|deliver|did|do|does|continue|continued|continuing|performed|started|use[ds]?|using|utiliz\w+|employ\w+|appl(?:y|ied|ies|ying)|implement\w*|practiced|walk(?:ed|s|ing)? (?:\w+ )?through|guid(?:ed|e|es|ing)|coach(?:ed|es|ing)?|ran|run|running|facilitat\w+|began|begin|will)\b/i;

const conditionRe = perObject((policy: Policy) => withTerms(CONDITIONS, policy.terms.diagnoses));
const medicationRe = perObject((policy: Policy) => withTerms(MEDICATION_TERMS, policy.terms.medications));
const clinicalRe = perObject((policy: Policy) => withTerms(CLINICAL, policy.terms.clinicalLanguage));
const CHANGE_RE = new RegExp(String.raw`\b(?:${CHANGE})\b`, 'gi');
const TREATMENT_RE = new RegExp(String.raw`\b(?:${TREATMENTS})\b`, 'gi');

/** A whole-word, case-insensitive pattern of built-in terms and a policy's extra terms. */
function withTerms(base: string, extra: readonly string[]): RegExp {
  const more = termsPattern(extra);
  return new RegExp(String.raw`\b(?:${more === undefined ? base : `${base}|${more}`})\b`, 'gi');
}

/** The specialist's own condition ("my own ADHD", "their own PTSD"), not a label put on the peer. */
const OWN_BEFORE = /\b(?:my|their|his|her|pss's|writer's|facilitator's) own\s+(?:\w+\s+){0,2}$|\b(?:my|i|i've|i have|i had)\b[^.;]{0,30}\b(?:experience|history|struggles?|journey|recovery|battle|bouts?)\s+(?:with|from|of)\s+(?:\w+\s+)?$/i;
/** Words that frame a condition as what the peer "has" or "is". */
const DIAGNOSING_FRAME =
  /\b(?:has|have|had|is|are|'s|got|gotten|sound(?:s|ed)? like|look(?:s|ed)? like|seem(?:s|ed)?(?: like| to have)?|appear(?:s|ed)? to (?:have|be)|suspects?|suspected|pretty sure|wonder(?:s|ed)? if|signs? of|symptoms? of|case of|classic|textbook|probably|clearly|obvious(?:ly)?|definitely|certainly|likely|for sure|must|might|may|suffers? from|diagnos\w*|meets? (?:the )?criteria(?: for)?|thinks?|believes?|assessment|impression|opinion)\b[^.;]{0,30}$/i;
/** The peer's own report of how they feel. */
const SELF_REPORT = /\b(?:pt|peer|client|she|he|they)\s+(?:says?|said|reports?|reported|states?|stated|describes?|described|feels?|felt|complains? of|complained of)\b|\bfeeling\s+(?:\w+\s+){0,3}$/i;
/** The writer diagnosed it ("I diagnosed", "PSS dx'd"): the writer alone, not "we" or "staff" (NOT_ONLY_THE_WRITER). */
const WRITER_DIAGNOSED = new RegExp(String.raw`\b${writerWords(NOT_ONLY_THE_WRITER)}\s+(?:\w+\s+)?(?:diagnosed|dx'?d)\b[^.;]*$`, 'i');
const JUDGEMENT_NEGATED =
  /\b(?:not|never|didn't|did not|don't|won't|can't|cannot|avoid(?:ed)?)\s+(?:\w+\s+)?(?:tell|told|say|said|suggest\w*|think|believe|assess\w*|label\w*|diagnos\w*|call|imply|implied)\b|\b(?:no|not|never|denies|denied|without)\s+(?:\w+\s+){0,2}$/i;
const REPORTED = /\b(?:per (?:pt|peer|client|her|his)|(?:pt|peer|client|she|he) (?:says|said|reports|reported|states|stated|describes|described)|diagnosed by|(?:doctor|dr\.?|psychiatrist|prescriber|therapist|clinician|pcp|np)\b)/i;
const ASSESSMENT_SECTIONS = new Set(['a', 'assessment']);
const FOR_SURE_AFTER = /^\s*(?:for sure|for certain|definitely|clearly)\b/i;
/**
 * The writer's own certainty about a label ("Based on what she described, she definitely has OCD"):
 * a certainty adverb and *has / is* right before the condition, in a sentence that reports no one's words.
 */
const CERTAIN_BEFORE =
  /\b(?:(?:definitely|clearly|obviously|certainly|undoubtedly|no doubt|for sure|without a doubt)\s+(?:has|have|is|are|suffers? from|struggles? with)|(?:meets?|met|meeting)\s+(?:the\s+|full\s+)?(?:dsm(?:-5)?\s+)?criteria\s+for|(?:consistent|congruent)\s+with|indicative of|diagnostic of|suggestive of|textbook|classic)\s+(?:an?\s+|some\s+)?(?:\w+\s+)?$/i;
const SOMEONE_SAYS = /\b(?:says?|said|states?|stated|reports?|reported|told|tells|thinks?|thought|believes?|feels?|per|according to|diagnosed)\b/i;

/**
 * The specialist says or judges what is at `at`: it is in a clause of theirs, or in what a clause of
 * theirs says ("I told her …, she probably has bipolar"), or after "this writer thinks".
 */
function specialistSpeaks(note: NoteView, s: NoteSentence, at: number): boolean {
  if (byWriter(actorAt(note, s, at)) || SAID_AFTER.test(s.text)) return true;
  return WRITER_JUDGES.test(s.text.slice(0, at - s.start)) || WRITER_JUDGES_AFTER.test(s.text.slice(at - s.start)) || saidByWriter(note, s, at);
}

/**
 * The writer's own judgement: "this writer thinks", "in my opinion", "writer's clinical impression";
 * the writer alone, not "we" or "staff" (NOT_ONLY_THE_WRITER).
 */
const WRITER_JUDGES = new RegExp(
  String.raw`\b(?:(?:this writer|${writerWords(NOT_ONLY_THE_WRITER)})\s+(?:\w+\s+)?(?:thinks?|believes?|feels?|suspects?|assess\w*|determined|diagnosed)|(?:in|per|from) my (?:opinion|view|experience|observation|assessment|judge?ment)|(?:my|writer's|pss's|specialist's)\s+(?:clinical\s+)?(?:impression|opinion|assessment))\b`,
  'i',
);

/** "… per my observation", "… in my opinion" after the label. */
const WRITER_JUDGES_AFTER = /\b(?:(?:in|per|from|based on) (?:my|this writer's|writer's|pss's|specialist's) (?:opinion|view|observations?|assessment|impression|judge?ment|clinical judge?ment)|per (?:this )?(?:writer|pss|specialist))\b/i;

/** The words before a quote's opening mark are the writer's ("I told her \"…"). */
function quotedByWriter(note: NoteView, s: NoteSentence, before: string): boolean {
  const open = Math.max(before.lastIndexOf('"'), before.lastIndexOf('\u201c'));
  const lead = before.slice(0, Math.max(0, open)).trimEnd();
  return lead !== '' && byWriter(actorAt(note, s, s.start + lead.length - 1));
}

/** An earlier clause of the sentence is the writer's speech act, and no clinician speaks after it. */
function saidByWriter(note: NoteView, s: NoteSentence, at: number): boolean {
  let said = false;
  for (const c of s.clauses) {
    if (c.start >= at) break;
    const speaks = ADVICE.test(note.text.slice(c.start, Math.min(c.end, at)));
    if (speaks && byWriter(c.subject)) said = true;
    else if (speaks && c.subject === 'clinician') said = false;
  }
  return said;
}

const diagnosing: NoteRule = {
  definition: {
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
  trigger: conditionRe,
  detect: (note, { policy }) =>
    targets(note, conditionRe(policy), (s, m) => {
      const before = note.text.slice(s.start, m.start);
      if (OWN_BEFORE.test(before)) return false;
      // "Pt asked if I thought she has ADHD": asked, not judged.
      if (IN_QUESTION.test(before)) return false;
      // A label inside quoted words is the speaker's ("Pt said \"I think I'm bipolar\""): their words,
      // relayed. Not when the writer is the one who says them ("I told her \"you have ADHD\"").
      if (quotedAt(note, m.start) && !quotedByWriter(note, s, before)) return false;
      // A condition written as the Assessment ("A: Generalized anxiety disorder, worsening") is the writer's diagnosis.
      if (ASSESSMENT_SECTIONS.has(s.section ?? '') && actorAt(note, s, m.start) === 'implicit' && /^[\s\w-]{0,12}$/.test(before)) return !modifiersOf(s, m, ['negated']).has('negated');
      if (WRITER_DIAGNOSED.test(before) && byWriter(actorAt(note, s, m.start))) return !modifiersOf(s, m, ['negated']).has('negated');
      if (CERTAIN_BEFORE.test(before) && !SOMEONE_SAYS.test(before) && actorAt(note, s, m.start) !== 'clinician') return !modifiersOf(s, m, ['negated']).has('negated');
      // The Assessment section is the writer's voice: "A: Pt meets criteria for …" unless a clinician or the peer says so.
      const assessed = ASSESSMENT_SECTIONS.has(s.section ?? '') && actorAt(note, s, m.start) !== 'clinician' && !REPORTED.test(s.text);
      if (!assessed && !specialistSpeaks(note, s, m.start)) return false;
      if (!DIAGNOSING_FRAME.test(before.slice(-80)) && !FOR_SURE_AFTER.test(note.text.slice(m.end, s.end))) return false;
      // "did not suggest that peer has bipolar" takes the judgement back; "told her she doesn't have depression" is one.
      return !JUDGEMENT_NEGATED.test(before);
    }),
};

/** A medication mentioned in the sentence or the one before it (the referent of "it", "them", "two"). */
function medicationInReach(note: NoteView, s: NoteSentence, policy: Policy): boolean {
  const re = medicationRe(policy);
  for (const k of [s.index, s.index - 1, s.index - 2]) {
    const other = note.sentences[k];
    if (!other) continue;
    re.lastIndex = 0;
    if (re.test(other.text)) return true;
  }
  return false;
}

/** The medication words, and the two forms that need none of them in reach (own pills, a drug to ask for). */
const medicationTrigger = perObject((policy: Policy) => anyOf([medicationRe(policy), OWN_PILLS, ASK_FOR_DRUG]));

const medicationAdvice: NoteRule = {
  definition: {
    id: 'scope.medication-advice',
    category: 'scope-of-practice',
    severity: 'error',
    title: 'The specialist advises starting, stopping, changing or combining a medication',
    rationale: 'Medication decisions belong to the prescriber; advice to change a dose, stop, combine or substitute a medication can cause harm.',
    source: `${S.seedScope}; ${S.icrcScope}; ${S.arkansasScope}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Record the peer's concern and the support you gave to raise it with the prescriber, e.g. 'Peer is bothered by side effects; we wrote down questions for their prescriber.'",
  },
  trigger: (policy) => medicationTrigger(policy),
  detect: (note, { policy }) => {
    const out: Span[] = [];
    for (const s of note.sentences) {
      const ownShare = medicationInReach(note, s, policy) ? matchesIn(OWN_SHARE, s) : [];
      const own = [...matchesIn(OWN_PILLS, s), ...ownShare].find((c) => byWriter(actorAt(note, s, c.start)) && !modifiersOf(s, c, ['negated', 'declined']).size);
      if (own) {
        out.push(own);
        continue;
      }
      if (!medicationInReach(note, s, policy)) continue;
      // One finding per sentence: "cut … in half" is one piece of advice.
      const advice = matchesIn(CHANGE_RE, s).find((c) => {
        const before = note.text.slice(s.start, c.start);
        if (!ADVICE.test(before) && !/^(?:recommend|should|ask)/i.test(note.text.slice(c.start, c.end))) return false;
        if (IN_QUESTION.test(before)) return false;
        // What the writer said is to take the question to the prescriber, or that it is not theirs
        // to answer (as adviceAbout reads what follows an advice verb).
        // Only in the target's own clause, and not a redirect waved off ("…, no need to call the doctor").
        const clause = clauseAt(s, c.start);
        const said = firstMatch(ADVICE, note.text.slice(clause.start, c.start));
        const rest = note.text.slice(clause.start + (said ?? 0), clause.end);
        if (said !== undefined && !REDIRECT_WAVED_OFF.test(rest) && (hasCue(rest, 'redirected') || hasCue(rest, 'declined')) && !toldToChange(note.text.slice(clause.start + said, c.start), note.text.slice(c.start, clause.end))) return false;
        if (!byWriter(actorAt(note, s, c.start)) && !saidByWriter(note, s, c.start)) return false;
        // The change is the clinician's plan the writer helps with ("a calendar for the taper her doctor wrote").
        if (CLINICIANS_PLAN.test(note.text.slice(c.start, s.end))) return false;
        return modifiersOf(s, c, ['negated', 'redirected']).size === 0;
      });
      // Naming the drug to ask for is advice even when the peer is sent to the prescriber with it.
      const named = advice ?? adviceAbout(note, s) ?? matchesIn(ASK_FOR_DRUG, s).find((c) => byWriter(actorAt(note, s, c.start)) && !modifiersOf(s, c, ['negated']).has('negated'));
      if (named) out.push(named);
    }
    return out;
  },
};

/** A change written as the clinician's own plan: "the taper her doctor wrote", "per the prescriber's schedule". */
const CLINICIANS_PLAN = /^\S+\s+(?:\w+\s+){0,3}?(?:(?:her|his|their|the)\s+(?:doctor|prescriber|psychiatrist|np|pcp|nurse|md|provider)\s+(?:wrote|ordered|prescribed|set|planned|gave|made|started)|(?:from|per|by)\s+(?:her|his|their|the)\s+(?:doctor|prescriber|psychiatrist|np|pcp|nurse|md|provider)(?:'s)?)/i;

/** What the peer is told to do with a medication: take, stop, skip, hold, restart, mix it … or that it is fine. */
const MED_ACTION = new RegExp(
  String.raw`\b(?:(?:get|go|be|start)\s+on\s+(?:an?\s+|some\s+|the\s+)?(?:${MEDICATION_TERMS})\b)|\b(?:go|goes|going|went|come|coming|step|stepping)\s+(?:down|up)\b|\b\d+(?:\.\d+)?\s?mg\s+(?:a|per|every|each)\s+(?:day|week|night|morning)\b|` +
  /\b(?:(?:get|gets|getting|go|going|went|got) back on|(?:full|same|old|higher|lower|half (?:the|a)|double (?:the|a)?) dose|takes?|taking|stops?|stopping|quits?|quitting|skips?|skipping|holds?|holding|starts?|starting|(?:pull|take|peel)s? (?:it|them) off|bump(?:ed|ing|s)? (?:(?:it|them|her|his|their|the) )?(?:\w+ )?up|needs? (?:a |an |to (?:be on|start|take|get on) )|restart\w*|resum\w+|switch\w*|doubl\w*|halv\w*|cut|no harm in|split|drop|lower|raise|increase|decrease|reduce|go back|come off|go off|get off|wean\w*|taper\w*|mix|mixing|combine|drink|drinking|try|use|up (?:it|her|his|the)|change)\b|alternat\w*|every \d+\s?(?:hrs?|hours)|won't hurt|wouldn't hurt|(?:won't|will not|wouldn't|doesn't|does not|shouldn't|should not|don't|do not)\s+(?:\w+\s+)?(?:mess|interact|interfere|react|clash)\s+with|go ahead|(?:it's|its|it is|they're|they are) (?:all )?natural|safe to (?:mix|combine|take)|stretch\w*|(?:is|are|it's|its|was|that's|thats|that is) (?:fine|ok|okay|safe|better|not addictive)|works? better|(?:should|would|will|'d|'ll) be (?:fine|ok|okay|safe|alright|all right)|not addictive|fine without|(?:doesn't|don't|does not|do not) (?:really |even )?need/gi.source,
  'gi',
);
/** Keep taking it as prescribed: adherence, not advice ("reminded peer not to stop", "take it as prescribed"). */
const ADHERENCE = /\b(?:not|n't|never)\s+(?:to\s+)?(?:just\s+)?(?:stop|skip|quit|change|miss|go off|come off)\b|as (?:prescribed|directed)|like (?:the|her|his|their) (?:doctor|prescriber|nurse) (?:said|told|ordered)|per (?:the|her|his) (?:doctor|prescriber|label|bottle)|on time\b/i;
const ADVICE_VERB = /\b(?:(?:my|writer's|pss's|this writer's) (?:advice|recommendation|suggestion|thought)|(?:think|thinks|thought|believe|believes|feel|feels|felt)\s+(?:that\s+)?(?:she|he|they|pt|peer)(?=\s+(?:should|could|can|needs? to|ought to|would be better|might want to))|why not|green light|go-ahead|(?:gave|give)\s+(?:\w+\s+)?(?:the\s+)?(?:ok|okay|permission)|told|tell|tells|telling|said|say|says|advis\w+|educat\w+|inform\w+|assur\w+|reassur\w+|suggest\w*|recommend\w*|instruct\w*|urg\w+|encourag\w+|insist\w*|let (?:her|him|them|pt|peer) know|explained|okay(?:ed)?|ok'?d|agreed|(?:texted|messaged|wrote|emailed) back|replied|responded)\b/gi;
const ABOUT_SELF = /^\s+(?:(?:the\s+)?(?:peer|pt|her|him|them|group)\s+)?(?:all\s+)?about\s+(?:my|when i|how i|the time i)\b/i;
/** The writer saying what they themselves take or took ("I said I take medication for my own…"): the experiencer is the writer. */
const OWN_MEDICATION = /^\s+(?:(?:the\s+)?(?:peer|pt|her|him|them)\s+)?(?:that\s+)?(?:i|i've|i'm)\s+(?:also\s+|still\s+)?(?:take|took|am on|on|was on|have been on|been on|used to|use|stopped|quit|came off|tapered)\b/i;
const SPEECH_NEGATED = /\b(?:not|never|didn't|did not|don't|won't|can't|cannot|refused to|declined to)\s+(?:\w+\s+)?$/i;

/**
 * Inside a question ("asked if I thought he should get on …", "asked PSS how fast she can taper"):
 * what a question holds is asked, not advised, whoever asks it. The writer's own clause after it
 * ("… and I said strips are better", "…, I told her …") ends the question. Anyone's question, so
 * more verbs than the crisis rule's screening question (see QUESTION_VERBS); the writer's reply is
 * "I", "we", "PSS" or "writer" only, as it was tuned.
 */
const ANYONE_ASKS = String.raw`(?:${QUESTION_VERBS}|asks|wondered|wondering|wonders|wanted to know|wants to know)`;
const WRITER_REPLIES = writerWords(['specialist', 'facilitator', 'co-facilitator', 'cofacilitator', 'staff']);
const IN_QUESTION = new RegExp(
  String.raw`\b${ANYONE_ASKS}\s+(?:(?:me|pss|writer|staff|the writer|(?:her|his|their) \w+)\s+)?(?:if|whether|how|what|why|when|about)\b(?:(?![,]?\s+(?:and|but|so|then)\s+${WRITER_REPLIES}\b|,\s+${WRITER_REPLIES}\s+\w)[^.;?!])*$`,
  'i',
);
/** What the writer told the peer to do, right before the change ("Told pt to double …", "said she should cut …"). */
const TOLD_TO = /\b(?:to|should|could|can|needs? to|ought to|go ahead and)\s+(?:just\s+|go\s+ahead\s+and\s+)?$/i;

/**
 * The writer told the peer to make the change themselves and the redirect only follows it ("Told
 * pt to double his Abilify and bring it up with his prescriber"): the advice is given, not taken
 * to the prescriber.
 *
 * @param toChange - the words from the writer's advice verb to the change
 * @param fromChange - the words from the change to the end of its clause
 */
function toldToChange(toChange: string, fromChange: string): boolean {
  return TOLD_TO.test(toChange) && !hasCue(toChange, 'redirected') && !hasCue(toChange, 'declined') && (hasCue(fromChange, 'redirected') || hasCue(fromChange, 'declined'));
}
/** A redirect the writer waves off or replaces ("no need to call the doctor", "instead of asking her prescriber"). */
const REDIRECT_WAVED_OFF = /\b(?:no need to|not to|never|don't|didn't|do not|did not|without|instead of|rather than)\s+(?:\w+\s+)?(?:call|calling|ask|asking|talk|talking|check|checking|bring|bringing|take|taking|bother|bothering)\b/i;
/** Where the first match of a pattern starts in a text (undefined without one). */
function firstMatch(pattern: RegExp, text: string): number | undefined {
  const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
  return m?.index;
}
/**
 * Words attributed to the writer after them: "…, I said." / "…, I told her." Narrower than the
 * writer's own words elsewhere: only "I", "PSS", "(this) writer", as it was tuned.
 */
const SAID_AFTER_WRITER = writerWords([...NOT_ONLY_THE_WRITER, 'specialist', 'facilitator']);
const SAID_AFTER = new RegExp(String.raw`,\s*(?:${SAID_AFTER_WRITER}|this writer)\s+(?:said|told (?:her|him|them|pt|peer|the peer)|advised|suggested|explained|asked (?:her|him|them))\s*[.!]?\s*$`, 'i');

/**
 * Medication advice in general form: the writer's advice verb, then in what it says a medication
 * (or "it", "them" after one) and what to do with it — unless what it says is to ask the prescriber,
 * or to keep taking it as prescribed.
 */
function adviceAbout(note: NoteView, s: NoteSentence): Span | undefined {
  const said = SAID_AFTER.exec(s.text);
  if (said) {
    const words = s.text.slice(0, said.index);
    if (!ADHERENCE.test(words) && !hasCue(words, 'redirected') && !SPEECH_NEGATED.test(words)) {
      MED_ACTION.lastIndex = 0;
      const m = MED_ACTION.exec(words);
      if (m) return { start: s.start + m.index, end: s.start + m.index + m[0].length };
    }
  }
  for (const v of matchesIn(ADVICE_VERB, s)) {
    const actor = actorAt(note, s, v.start);
    // "Says he wants to try…" with no subject is the peer talking; "I said" is the writer.
    const explicit = actor === 'specialist' || actor === 'joint';
    if (!(explicit || (actor === 'implicit' && !/^say/i.test(note.text.slice(v.start, v.end)))) || SPEECH_NEGATED.test(note.text.slice(s.start, v.start))) continue;
    const rest = note.text.slice(v.end, s.end);
    // Asked, not advised; or the advice verb is the role the writer declines ("I'm not the right person to advise on …").
    if (IN_QUESTION.test(note.text.slice(s.start, v.start)) || hasCue(note.text.slice(clauseAt(s, v.start).start, v.start), 'declined')) continue;
    // "told her all about my own …" is the writer's story, not advice; "told him I'm not the right
    // person to advise on …" declines the role (the declined cue), as a redirect does.
    if (ABOUT_SELF.test(rest) || OWN_MEDICATION.test(rest) || ADHERENCE.test(rest) || hasCue(rest, 'redirected') || hasCue(rest, 'declined')) continue;
    MED_ACTION.lastIndex = 0;
    const m = MED_ACTION.exec(rest);
    if (m) return { start: v.end + m.index, end: v.end + m.index + m[0].length };
    // "suggested Benadryl", "recommended fish oil": a drug or supplement named right after the verb.
    const named = SUGGESTED_DRUG.exec(rest);
    if (named) return { start: v.end + named.index, end: v.end + named.index + named[0].length };
  }
  return undefined;
}
const SUGGESTED_DRUG = /^\s+(?:(?:she|he|they|pt|peer|her|him|them)\s+)?(?:try\s+|start\s+|take\s+|use\s+|get\s+)?(?:some\s+|a\s+)?(?:benadryl|nyquil|unisom|melatonin|fish oil|omega[- ]3s?|vitamin \w+|vitamins|magnesium|valerian|ashwagandha|kratom|cbd(?: oil| gummies)?|st\.? john's wort|milk thistle|5-htp|sam-e|herbal \w+|supplements?)\b/i;

const NEED_FRAME = /\b(?:need(?:s|ed)?(?: to)?|should|must|has to|have to|ought to|go to|get into)\b[^.;]{0,40}$/i;

const treatmentAdvice: NoteRule = {
  definition: {
    id: 'scope.treatment-advice',
    category: 'scope-of-practice',
    severity: 'warning',
    title: 'The specialist tells the peer which clinical treatment they need',
    rationale: 'Peers link people to treatment options and support their choice; prescribing a treatment or a level of care is clinical.',
    source: `${S.seedScope}; ${S.icrcScope}; ${S.napsMutual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Write what options you explored together and what the peer chose, e.g. 'We looked at treatment options; peer wants to call about an intake.'",
  },
  trigger: () => TREATMENT_RE,
  detect: (note) =>
    targets(note, TREATMENT_RE, (s, m) => {
      const before = note.text.slice(s.start, m.start);
      // The writer's speech governs what it says ("Writer told pt that since he relapsed he needs to go to …").
      if (!ADVICE.test(before) || !NEED_FRAME.test(before) || !specialistSpeaks(note, s, m.start)) return false;
      return modifiersOf(s, m, ['negated', 'redirected']).size === 0;
    }),
};

const clinicalLanguage: NoteRule = {
  definition: {
    id: 'scope.clinical-language',
    category: 'scope-of-practice',
    severity: 'warning',
    title: 'The note writes a clinical assessment or deficit language as the specialist’s own judgement',
    rationale: 'Peer notes describe experience and strengths in plain words; mental-status findings, withdrawal scores, level-of-care decisions and deficit labels imply a clinical evaluation the peer role does not make.',
    source: `${S.napsStrengths}; ${S.seedScope}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Use plain, strengths-based words and the peer's own description, e.g. 'Peer said it has been hard to take the medication and wants to talk about why' rather than 'noncompliant'.",
  },
  trigger: clinicalRe,
  detect: (note, { policy }) =>
    targets(note, clinicalRe(policy), (s, m) => {
      const actor = actorAt(note, s, m.start);
      if (actor === 'clinician' || note.tokens.some((t) => t.quoted && t.start >= m.start && t.end <= m.end)) return false;
      // The peer describing themself ("Pt says she's been feeling flat and unmotivated") is their own word.
      if (actor === 'peer' && SELF_REPORT.test(note.text.slice(s.start, m.start))) return false;
      // "… does not need inpatient per this writer's evaluation": the evaluation is the act, whatever it found.
      if (/^per\b/i.test(note.text.slice(m.start, m.end))) return true;
      return !modifiersOf(s, m, ['negated']).has('negated');
    }),
};

const therapy: NoteRule = {
  definition: {
    id: 'scope.therapy',
    category: 'scope-of-practice',
    severity: 'error',
    title: 'The specialist delivers or frames therapy as their own act',
    rationale: 'Psychotherapy (CBT, exposure, EMDR, trauma processing) is a licensed clinical service; a peer teaches coping skills and links to therapy.',
    source: `${S.seedScope}; ${S.icrcScope}; ${S.arkansasScope}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Describe the peer support you gave and the link to a therapist, e.g. 'Practiced a grounding skill together; peer wants to ask her therapist about trauma therapy.'",
  },
  trigger: () => THERAPY,
  detect: (note) =>
    targets(note, THERAPY, (s, m) => {
      if (!byWriter(actorAt(note, s, m.start))) return false;
      const clause = note.text.slice(Math.max(s.start, m.start - 80), m.start);
      if (!DELIVERS.test(clause)) return false;
      return modifiersOf(s, m, ['negated', 'redirected', 'hypothetical']).size === 0;
    }),
};

/** The scope-of-practice rules, in catalog order. */
export const SCOPE_OF_PRACTICE_RULES: readonly NoteRule[] = [diagnosing, medicationAdvice, treatmentAdvice, clinicalLanguage, therapy];
