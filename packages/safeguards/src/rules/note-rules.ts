/**
 * The note rules: detectors over the free text of progress notes. Each finds spans of its problem
 * in a sentence, then drops what is negated ("denies suicidal thoughts"), attributed to a clinician
 * ("her doctor diagnosed her"), reported by the peer, deferred to a clinician ("ask the prescriber
 * about lowering the dose") or refused ("…and specialist declined"). A cheap trigger on the whole
 * note skips a rule when none of its words occur.
 */
import { findPersonNames, type Span } from '../internal/names';
import {
  attributedToClinician,
  clauseBefore,
  deferredToClinician,
  negatedBefore,
  refusedAfter,
  reportedByPeer,
  sentences,
  specialistActs,
  specialistInvolved,
  termsPattern,
} from '../internal/text';
import type { NoteContext } from './rule-definition';
import type { Policy } from './policy';

const CONDITIONS = String.raw`bipolar(?:\s+(?:disorder|i{1,2}))?|manic[- ]depressi\w*|adhd|add\b|ptsd|post[- ]traumatic stress(?: disorder)?|ocd|obsessive[- ]compulsive(?: disorder)?|schizo\w*|borderline(?: personality(?: disorder)?)?|(?:\w+ )?personality disorder|major depressi\w*|clinical depression|depressive disorder|(?:generali[sz]ed )?anxiety disorder|panic disorder|autis\w*|asperger\w*|psychosis|psychotic disorder|dementia|eating disorder|anorexi\w*|bulimi\w*|(?:alcohol|opioid|substance|stimulant|cannabis) use disorder|alcoholi\w*|dissociative(?: identity)? disorder|narcissis\w*|sociopath\w*|psychopath\w*`;
const MEDICATIONS = String.raw`medications?|meds|med|doses?|dosages?|pills?|prescriptions?|antidepressants?|antipsychotics?|mood stabili[sz]ers?|stimulants?|benzos?|benzodiazepines?|sleeping pills?|insulin|lithium|sertraline|zoloft|prozac|fluoxetine|lexapro|escitalopram|wellbutrin|bupropion|seroquel|quetiapine|abilify|aripiprazole|risperdal|risperidone|xanax|alprazolam|klonopin|clonazepam|adderall|ritalin|methadone|suboxone|buprenorphine|naltrexone|vivitrol|gabapentin|trazodone|lamictal|lamotrigine|depakote`;
const CHANGE = String.raw`cut(?:ting)?|halv\w*|in half|reduce|reducing|lower|lowering|increase|increasing|double|doubling|skip|skipping|stop|stopping|quit|quitting|taper|tapering|come off|coming off|go off|get off|wean\w*|switch|switching|change|changing|adjust|adjusting|take (?:more|less|extra|fewer|an extra)|(?:don't|do not|doesn't|does not) need (?:it|them|their|the)|no longer need|try (?:a |an |some )?(?:different|new|other)`;
const TREATMENTS = String.raw`psychotherapy|therapy|cbt|dbt|emdr|ect|electroconvulsive|inpatient|detox|rehab|residential(?: treatment)?|intensive outpatient|iop|partial hospitali[sz]ation|hospitali[sz]ation|medication[- ]assisted treatment|mat|moud|methadone clinic|psychiatric (?:hold|admission)|counseling`;
const CLINICAL = String.raw`present(?:s|ed|ing)? (?:with|as)|mental status|(?:flat|blunted|labile|constricted|restricted) affect|affect (?:was |is |appeared )?(?:flat|blunted|labile|constricted|restricted)|exhibit(?:s|ed|ing)? (?:psychotic|manic|paranoid|depressive|delusional|bizarre)|decompensat\w*|non-?complian\w*|med(?:ication)? complian\w*|symptomatic|prognosis|malinger\w*|delusional|paranoid ideation|psychotic features|thought disorder(?:ed)?|poor insight|insight (?:is|was) (?:poor|limited|impaired)|poor judge?ment|judge?ment (?:is|was) (?:poor|impaired)|oriented x ?[1-4]|a ?& ?o ?x ?[1-4]|treatment[- ]resistant|attention[- ]seeking|manipulative|in denial|unmotivated|drug[- ]seeking`;
const CRISIS = String.raw`suicid\w*|(?:thoughts?|thinking|thought) (?:about |of )?(?:death|dying|ending (?:it|(?:my|their|his|her) (?:own )?life))|kill(?:ing)? (?:myself|themselves|themself|himself|herself)|end(?:ing)? (?:my|their|his|her) (?:own )?life|tak(?:e|ing) (?:my|their|his|her) (?:own )?life|want(?:s|ed)? to die|wish(?:es|ed)? (?:i|they|she|he) (?:was|were) dead|better off dead|no reason to live|self[- ]?harm\w*|hurt(?:ing)? (?:myself|themselves|themself|himself|herself)|cut(?:ting)? (?:myself|themselves|themself|himself|herself)|overdos\w*|od'?d`;

const CRISIS_NOT_INDICATOR = /^(?:\S+)\s+(?:prevention|awareness|training|education|kits?|reversal|response|hotline|lifeline|line|risk screening)\b|^suicide\s+(?:&|and)\s+crisis\b/i;
const HISTORICAL = /\b(?:years ago|in the past|history of|used to|long ago|as a (?:teen|teenager|kid|child)|when (?:they|she|he) (?:was|were) (?:younger|a teen|a kid))\b/i;
const THIRD_PARTY = /\b(?:peer's|their|his|her|a|the)\s+(?:friend|brother|sister|mother|father|mom|dad|son|daughter|cousin|partner|roommate|uncle|aunt|husband|wife|boyfriend|girlfriend|neighbou?r|sponsor|classmate|coworker|co-worker)s?\b/i;
const THIRD_PARTY_EVENT = /\b(?:died|passed|lost|killed|attempted)\b/i;
const SCREENING_BEFORE = /\b(?:asked|screened|checked|assessed|reviewed)\b[^.;]{0,50}$/i;
const DENIAL_AFTER = /\b(?:said no|answered no|replied no|denied|denies|negative|none reported|no concerns)\b/i;

/** Documented crisis actions in text: safety plan, supervisor, warm handoff, 988, mobile crisis, 911, ED. */
export const CRISIS_ACTION_TEXT =
  /\b(?:988|lifeline|mobile crisis|crisis (?:team|line|center|services?|unit|counsell?or)|safety plan|warm hand-?off|911|emergency (?:department|room|services)|(?:consulted|notified|called|informed|contacted|alerted)(?: with)? (?:the |my |their |an )?(?:supervisor|clinician|on-call|therapist|counsell?or)|supervisor (?:was )?(?:consulted|notified|called|informed|contacted)|stayed with (?:the )?peer until|accompanied (?:the )?peer to)\b|\b(?:ED|ER)\b/;

/** Terms from the policy, compiled once per policy. */
interface Compiled {
  readonly condition: RegExp;
  readonly medication: RegExp;
  readonly crisis: RegExp;
  readonly clinical: RegExp;
}

const compiledCache = new WeakMap<Policy, Compiled>();

function compile(policy: Policy): Compiled {
  const cached = compiledCache.get(policy);
  if (cached) return cached;
  const withExtra = (base: string, extra: readonly string[]): RegExp => {
    const more = termsPattern(extra);
    return new RegExp(String.raw`\b(?:${more === undefined ? base : `${base}|${more}`})\b`, 'gi');
  };
  const compiled: Compiled = {
    condition: withExtra(CONDITIONS, policy.terms.diagnoses),
    medication: withExtra(MEDICATIONS, policy.terms.medications),
    crisis: withExtra(CRISIS, policy.terms.crisis),
    clinical: withExtra(CLINICAL, policy.terms.clinicalLanguage),
  };
  compiledCache.set(policy, compiled);
  return compiled;
}

/** Matches of a global regex inside a sentence, as spans of the whole text. */
function matchesIn(re: RegExp, text: string, s: Span): Span[] {
  const sub = text.slice(s.start, s.end);
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(sub); m; m = re.exec(sub)) {
    if (m[0] === '') {
      re.lastIndex += 1;
      continue;
    }
    out.push({ start: s.start + m.index, end: s.start + m.index + m[0].length });
  }
  return out;
}

const sentenceNegated = (text: string, s: Span, at: number): boolean => negatedBefore(text, s, at, Number.POSITIVE_INFINITY);

/** A note detector. */
export interface NoteDetector {
  readonly id: string;
  /** Notes it reads. */
  readonly contexts: readonly NoteContext[];
  /** A necessary condition on the whole note (case-insensitive), to skip clean notes cheaply. */
  readonly trigger: (policy: Policy) => RegExp;
  /** Whether the policy turns it on. */
  readonly enabled?: (policy: Policy) => boolean;
  /** Spans of the problem in one sentence. */
  readonly detect: (text: string, s: Span, policy: Policy) => Span[];
}

const ALL: readonly NoteContext[] = ['one-on-one', 'group-attendee', 'group'];

const DIAGNOSING_FRAME =
  /\b(?:sound(?:s|ed)? like|look(?:s|ed)? like|seem(?:s|ed)? like|seems? to have|probably|likely|clearly|obvious(?:ly)?|definitely|certainly|must (?:have|be)|might (?:have|be)|may (?:have|be)|diagnos\w*|meets? (?:the )?criteria|classic case|textbook|case of|label(?:l)?ed|suffers? from|(?:peer|client|they|she|he) (?:is|are|has|have) (?:an? )?)[^.;]{0,50}$/i;
const OWN_DIAGNOSIS =
  /\b(?:specialist|facilitator|I)\s+(?:\w+\s+){0,2}(?:shared|said|mentioned|disclosed|talked about|explained)\s+(?:that\s+)?(?:they|I|he|she)\s+(?:have|has|had|live with|lives with|lived with|was|were|am|'m)\b|\b(?:their|my|his|her) own\b/i;

const ADVICE = /\b(?:suggest\w*|recommend\w*|advis\w*|told|tell\w*|said|encourag\w*|instruct\w*|urg\w*|should|could|can|ought to|might want to|why not|let's)\b/i;
const CHANGE_RE = new RegExp(String.raw`\b(?:${CHANGE})\b`, 'gi');
const TREATMENT_RE = new RegExp(String.raw`\b(?:${TREATMENTS})\b`, 'gi');
const NEED_FRAME =
  /\b(?:told|tell\w*|advis\w*|recommend\w*|insist\w*|said|instruct\w*|urg\w*)\b[^.;]{0,60}\b(?:need(?:s|ed)?(?: to)?|should|must|has to|have to|ought to|go to|start|get into)\b[^.;]{0,40}$/i;
const LINKAGE = /\b(?:refer\w*|connect\w*|link\w*|look(?:ed|ing)? up|helped (?:peer )?(?:find|look|apply|schedule|call)|gave (?:peer )?(?:information|info|a list)|explor\w*|options|resources)\b/i;

const MONEY =
  /\b(?:(?:lent|loaned|lends?|lending)\s+(?:the\s+)?peer\b|peer\s+(?:\w+\s+){0,3}borrow\w*|borrow\w*\s+[^.;]{0,30}\bfrom\s+(?:the\s+)?(?:specialist|me|staff|writer|facilitator)\b|(?:gave|give|giving|handed|sent)\s+(?:the\s+)?peer\s+(?:some\s+)?(?:money|cash|\$\s?\d+)|(?:gave|give)\s+(?:some\s+)?(?:money|cash)\s+to\s+(?:the\s+)?peer\b|(?:paid|pay|paying)\s+(?:for\s+)?(?:the\s+)?peer(?:'s)?\b|bought\s+[^.;]{0,30}\bfrom\s+(?:the\s+)?peer\b|sold\s+[^.;]{0,30}\bto\s+(?:the\s+)?peer\b|loan\s+(?:to|from)\s+(?:the\s+)?(?:peer|specialist)\b|(?:venmo|zelle|paypal|cash ?app)(?:ed)?\b)/gi;
const GIFT =
  /\b(?:(?:accept|accepted|receive|received|take|took|got|keep|kept)\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){0,2}(?:gift cards?|gifts?|presents?|tips?)\s+from\s+(?:the\s+)?peer\b|(?:accept|accepted)\s+(?:the\s+)?peer's\s+(?:\w+\s+){0,2}(?:gift|present)|(?:gave|give|bought|buy|brought|sent)\s+(?:the\s+)?peer\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}(?:gift cards?|gifts?|presents?)\b|peer\s+(?:gave|bought|brought|offered|sent)\s+(?:the\s+)?(?:specialist|me|staff|writer|facilitator)\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}(?:gift cards?|gifts?|presents?)\b)/gi;
const ROMANTIC =
  /\b(?:(?:find|finds|found)\s+(?:the\s+)?(?:peer|them|him|her)\s+(?:very\s+|really\s+)?attractive|(?:told|tell\w*)\s+(?:the\s+)?peer\s+(?:that\s+)?(?:they|she|he)\s+(?:are|is|were|was|look|looks|looked)\s+(?:\w+\s+)?(?:attractive|beautiful|handsome|cute|sexy|hot)|(?:ask|asked|invite|invited)\s+(?:the\s+)?peer\s+(?:out|on a date|to dinner|for drinks)|suggest\w*\s+(?:a\s+)?date\b|(?:went|go|going)\s+on\s+a\s+date\s+with\s+(?:the\s+)?(?:peer|specialist)|kiss\w*\s+(?:the\s+)?peer|flirt\w*|(?:romantic|sexual|intimate)\s+(?:relationship|contact|activity|activities|interest|feelings)\s+(?:with|for|toward|towards)\s+(?:the\s+)?(?:peer|specialist)|(?:dating|hooked up with|sleeping with)\s+(?:the\s+)?(?:peer|specialist))/gi;
const SOCIAL =
  /\b(?:(?:sent|accepted|send|accept)\s+(?:a\s+)?(?:(?:the\s+)?peer's\s+)?(?:facebook\s+)?friend requests?|friend(?:ed)?\s+(?:the\s+)?(?:peer|specialist)\s+on|(?:followed|follow|added)\s+(?:the\s+)?(?:peer|specialist|each other)\s+on|connected\s+on\s+(?:facebook|instagram|snapchat|tiktok|linkedin|social media)|(?:dm'?d|direct[- ]messag\w*|messag\w*)\s+(?:the\s+)?(?:peer|each other)\s+on|(?:exchanged|shared|gave|swapped)\s+(?:(?:their|his|her|my|the specialist's)\s+)?personal\s+(?:phone\s+|cell\s+)?(?:numbers?|contacts?)|(?:gave|give|shared)\s+(?:the\s+)?peer\s+(?:(?:their|his|her|my)\s+)?(?:personal|own|private|cell)\s+(?:phone\s+|cell\s+)?(?:number|contact|email)|text(?:ed|ing)?\s+(?:the\s+)?peer\s+from\s+(?:(?:their|his|her|my)\s+)?(?:personal|own)\s+phone)/gi;
const BUSINESS =
  /\b(?:(?:offered|gave|give|offer)\s+(?:the\s+)?peer\s+(?:a\s+|some\s+)?(?:paid\s+)?(?:\w+\s+)?(?:job|work|gig|shifts?)\b|hir(?:ed|e|ing)\s+(?:the\s+)?peer\b|(?:specialist's|my|staff's|writer's)\s+(?:own\s+)?(?:side\s+)?(?:business|company|shop|store|restaurant|farm|crew)\b|work(?:ing)?\s+for\s+(?:the\s+)?(?:specialist|me)\b|(?:sell|sold|selling)\s+[^.;]{0,30}\bto\s+(?:the\s+)?peer\b|(?:invest\w*|business|partnership)\s+(?:with|together with)\s+(?:the\s+)?(?:peer|specialist)\b|multi-level marketing|mlm)/gi;
const HOUSING =
  /\b(?:rent(?:s|ed|ing)?\s+(?:a\s+|the\s+)?(?:room|apartment|house|place|couch|space)\s+from\s+(?:the\s+)?(?:specialist|me|writer|staff)\b(?!')|(?:stay|stays|stayed|staying|live|lives|lived|living|move|moves|moved|moving|sleep|slept|sleeping|crash|crashed|crashing)\s+(?:in\s+)?(?:with|at)\s+(?:the\s+)?(?:specialist|me|writer|staff)\b(?!')|(?:the\s+)?(?:specialist's|my|writer's)\s+(?:\w+\s+)?(?:cousin|sister|brother|friend|family|relative|parents?|mother|father|mom|dad|aunt|uncle|roommate)\b|(?:the\s+)?(?:specialist's|writer's)\s+(?:house|home|apartment|place|spare room|basement|couch)\b)/gi;
const RELATIVE = /^(?:the\s+)?(?:specialist's|my|writer's)\s+(?:\w+\s+)?(?:cousin|sister|brother|friend|family|relative|parents?|mother|father|mom|dad|aunt|uncle|roommate)\b/i;
const HOUSING_WORDS = /\b(?:rent\w*|room|live|lives|living|stay\w*|move|moving|housing|apartment|house|home|lease|landlord|couch|sleep\w*)\b/i;
const FRIENDSHIP =
  /\b(?:invit\w*\s+(?:the\s+)?peer\s+(?:to\s+)?(?:join\s+)?(?:\w+\s+){0,2}(?:the\s+specialist's|my|his|her)\s+(?:own\s+)?(?:\w+\s+){0,2}(?:party|game|games|dinner|home|house|wedding|birthday|barbecue|bbq|church|family|friends|poker|night)\b|(?:hang(?:ing|s)?|hung)\s+out\s+(?:with\s+(?:the\s+)?(?:peer|specialist)|together)\b|(?:meet(?:ing)?|met|get(?:ting)? together)\s+(?:up\s+)?(?:for|over)\s+(?:dinner|drinks|a drink|a beer)\b|(?:became|become|becoming|be)\s+(?:close\s+|good\s+|best\s+)?friends\b|(?:with|and)\s+(?:the\s+specialist's|my)\s+friends\b)/gi;
const VEHICLE =
  /\b(?:drove|drive|driving|gave\s+(?:the\s+)?peer\s+a\s+ride|give\s+(?:the\s+)?peer\s+a\s+ride|(?:picked|pick)\s+(?:the\s+)?peer\s+up|dropped\s+(?:the\s+)?peer\s+off|transport\w*)\b[^.;]{0,50}\b(?:in|with|using)\s+(?:the\s+)?(?:specialist's|my|(?:their|his|her)\s+(?:own|personal)|a\s+personal|personal|own|private)\s+(?:car|vehicle|truck|van|suv)\b/gi;
const DOMINATE =
  /\b(?:specialist|facilitator|writer|staff|I)\s+(?:\w+\s+){0,2}(?:spent|spend|spending|talked|talking|talk|spoke|spoken|went on|shared|sharing|told|telling|described|describing)\b[^.;]{0,40}?\b(?:most of|much of|the majority of|the whole|the entire|over half|more than half|half (?:of )?the|at length|for (?:a long time|an hour|over an hour|most)|in (?:great )?detail)\b[^.]{0,80}?\b(?:their|his|her|my) own\b|\b(?:their|his|her|my) own\s+(?:\w+\s+){0,3}(?:story|stories|history|relapse|recovery|divorce|treatment|struggles?|drinking|using|life|past|experiences?|problems?|issues)\b[^.;]{0,60}\b(?:in (?:great )?detail|at length|for (?:over|more than) half|most of the (?:session|visit|time|group|meeting|hour)|for most of)/gi;
const NEGATION_INSIDE = /\b(?:not|never|no|didn't|did not|don't|do not|doesn't|does not|avoided|avoid)\b/i;

/**
 * Spans of crisis indicators in a note that are not negated, screened-and-denied, about someone
 * else, historical (unless the policy counts history), or crisis resources ("suicide prevention").
 *
 * @param text - the note text
 * @param policy - for extra crisis terms and `crisisIncludesHistory`
 */
export function findCrisisIndicators(text: string, policy: Policy): Span[] {
  const { crisis } = compile(policy);
  crisis.lastIndex = 0;
  if (!crisis.test(text)) return [];
  const out: Span[] = [];
  for (const s of sentences(text)) {
    for (const m of matchesIn(crisis, text, s)) {
      const rest = text.slice(m.start, s.end);
      if (CRISIS_NOT_INDICATOR.test(rest)) continue;
      if (/^(?:naloxone|narcan)/i.test(clauseBefore(text, s, m.start).trim().split(/\s+/).slice(-2).join(' '))) continue;
      if (negatedBefore(text, s, m.start)) continue;
      const before = text.slice(s.start, m.start);
      if (SCREENING_BEFORE.test(before) && DENIAL_AFTER.test(text.slice(m.end, s.end))) continue;
      const third = THIRD_PARTY.exec(clauseBefore(text, s, m.start));
      if (third && (/^(?:overdosed|od'?d)/i.test(text.slice(m.start, m.end)) || THIRD_PARTY_EVENT.test(text.slice(s.start, s.end)))) continue;
      if (/\blost (?:a|her|his|their|peer's) \w+ to (?:an? )?$/i.test(before)) continue;
      if (!policy.crisisIncludesHistory && HISTORICAL.test(text.slice(s.start, s.end))) continue;
      out.push(m);
    }
  }
  return out;
}

/** The note detectors, by rule id. */
export const NOTE_DETECTORS: readonly NoteDetector[] = [
  {
    id: 'scope.diagnosing',
    contexts: ALL,
    trigger: (p) => compile(p).condition,
    detect: (text, s, policy) =>
      matchesIn(compile(policy).condition, text, s).filter((m) => {
        if (!specialistActs(text, s, m.start)) return false;
        if (attributedToClinician(text, s, m.start) || deferredToClinician(text, s, m.start) || reportedByPeer(text, s, m.start)) return false;
        const before = text.slice(s.start, m.start);
        if (OWN_DIAGNOSIS.test(before)) return false;
        if (!DIAGNOSING_FRAME.test(before)) return false;
        return !sentenceNegated(text, s, m.start);
      }),
  },
  {
    id: 'scope.medication-advice',
    contexts: ALL,
    trigger: (p) => compile(p).medication,
    detect: (text, s, policy) => {
      const meds = matchesIn(compile(policy).medication, text, s);
      if (meds.length === 0) return [];
      // One finding per sentence: "cut … in half" is one piece of advice.
      const advice = matchesIn(CHANGE_RE, text, s).find((c) => {
        const before = text.slice(s.start, c.start);
        if (!specialistActs(text, s, c.start) || !ADVICE.test(before)) return false;
        if (deferredToClinician(text, s, c.start) || attributedToClinician(text, s, c.start) || reportedByPeer(text, s, c.start)) return false;
        return !sentenceNegated(text, s, c.start);
      });
      return advice ? [advice] : [];
    },
  },
  {
    id: 'scope.treatment-advice',
    contexts: ALL,
    trigger: () => TREATMENT_RE,
    detect: (text, s) => {
      if (LINKAGE.test(text.slice(s.start, s.end))) return [];
      return matchesIn(TREATMENT_RE, text, s).filter((m) => {
        const before = text.slice(s.start, m.start);
        if (!specialistActs(text, s, m.start) || !NEED_FRAME.test(before)) return false;
        if (deferredToClinician(text, s, m.start) || attributedToClinician(text, s, m.start) || reportedByPeer(text, s, m.start)) return false;
        return !sentenceNegated(text, s, m.start);
      });
    },
  },
  {
    id: 'scope.clinical-language',
    contexts: ALL,
    trigger: (p) => compile(p).clinical,
    detect: (text, s, policy) =>
      matchesIn(compile(policy).clinical, text, s).filter(
        (m) => !attributedToClinician(text, s, m.start) && !negatedBefore(text, s, m.start),
      ),
  },
  {
    id: 'dual.money',
    contexts: ALL,
    trigger: () => /lent|lend|loan|borrow|money|cash|\$|paid|pay|bought|sold|venmo|zelle|paypal/i,
    detect: (text, s) => dual(MONEY, text, s, /^(?:peer|loan|venmo|zelle|paypal|cash)/i),
  },
  {
    id: 'dual.gift',
    contexts: ALL,
    trigger: () => /gift|present/i,
    detect: (text, s) => dual(GIFT, text, s),
  },
  {
    id: 'dual.romantic',
    contexts: ALL,
    trigger: () => /attractive|beautiful|handsome|cute|sexy|date|kiss|flirt|romantic|sexual|intimate|dating|hooked|sleeping/i,
    detect: (text, s) => dual(ROMANTIC, text, s, /^flirt/i),
  },
  {
    id: 'dual.social-media',
    contexts: ALL,
    trigger: () => /friend|follow|added|connected|messag|dm|personal|own|private|cell|text/i,
    detect: (text, s) => dual(SOCIAL, text, s, /^(?:exchanged|shared|gave|swapped|sent|accepted|send|accept|connected|followed|follow|added)/i),
  },
  {
    id: 'dual.business',
    contexts: ALL,
    trigger: () => /job|work|gig|shift|hir|business|company|shop|store|restaurant|farm|crew|sell|sold|invest|partnership|marketing|mlm/i,
    detect: (text, s) => dual(BUSINESS, text, s, /^(?:invest|business|partnership|multi|mlm|sell|sold|selling)/i),
  },
  {
    id: 'dual.housing',
    contexts: ALL,
    trigger: () => /rent|stay|live|living|move|moving|sleep|slept|crash|specialist's|writer's|\bmy\b/i,
    detect: (text, s) =>
      dual(HOUSING, text, s).filter((m) => !RELATIVE.test(text.slice(m.start, m.end)) || HOUSING_WORDS.test(text.slice(s.start, s.end))),
  },
  {
    id: 'dual.friendship',
    contexts: ALL,
    trigger: () => /invit|hang|hung|meet|met|together|friends/i,
    detect: (text, s) => dual(FRIENDSHIP, text, s, /^(?:hang|hung|meet|met|get|became|become|becoming|be)\b/i),
  },
  {
    id: 'dual.personal-vehicle',
    contexts: ALL,
    enabled: (p) => p.personalVehicleTransport === 'forbidden',
    trigger: () => /car|vehicle|truck|van|suv/i,
    detect: (text, s) => dual(VEHICLE, text, s),
  },
  {
    id: 'self-disclosure.dominating',
    contexts: ALL,
    trigger: () => /\bown\b/i,
    detect: (text, s) =>
      matchesIn(DOMINATE, text, s).filter((m) => {
        const inside = text.slice(m.start, m.end);
        const ownAt = inside.search(/\b(?:their|his|her|my) own\b/i);
        if (NEGATION_INSIDE.test(inside.slice(0, ownAt === -1 ? inside.length : ownAt))) return false;
        return !sentenceNegated(text, s, m.start);
      }),
  },
];

/** Dual-relationship matches that involve the specialist, are not negated and not refused. */
function dual(re: RegExp, text: string, s: Span, needsSpecialist?: RegExp): Span[] {
  return matchesIn(re, text, s).filter((m) => {
    const matched = text.slice(m.start, m.end);
    if (needsSpecialist?.test(matched) && !specialistInvolved(text, s)) return false;
    if (sentenceNegated(text, s, m.start) || refusedAfter(text, s, m.end)) return false;
    return true;
  });
}

/** A finding of a note detector, before it becomes a {@link Finding}. */
export interface NoteHit {
  readonly rule: string;
  readonly span: Span;
}

/** Options of {@link detectNoteProblems}. */
export interface DetectOptions {
  readonly context: NoteContext;
  readonly policy: Policy;
  /** The crisis is documented in structured fields (crisis actions or referral); text actions count too. */
  readonly crisisDocumented?: boolean;
}

/**
 * Runs every enabled note detector over a note.
 *
 * @param text - the note text
 * @param options - note context, policy, whether the crisis is documented elsewhere
 * @returns one hit per problem span, sorted by position
 */
export function detectNoteProblems(text: string, options: DetectOptions): NoteHit[] {
  const { policy, context } = options;
  const disabled = new Set(policy.disabledRules);
  const hits: NoteHit[] = [];
  let split: Span[] | undefined;
  for (const detector of NOTE_DETECTORS) {
    if (disabled.has(detector.id) || !detector.contexts.includes(context)) continue;
    if (detector.enabled && !detector.enabled(policy)) continue;
    const trigger = detector.trigger(policy);
    trigger.lastIndex = 0;
    if (!trigger.test(text)) continue;
    split ??= sentences(text);
    for (const s of split) for (const span of detector.detect(text, s, policy)) hits.push({ rule: detector.id, span });
  }
  if (!disabled.has('crisis.no-follow-up')) {
    const indicators = findCrisisIndicators(text, policy);
    if (indicators.length > 0 && !options.crisisDocumented && !CRISIS_ACTION_TEXT.test(text)) {
      for (const span of indicators) hits.push({ rule: 'crisis.no-follow-up', span });
    }
  }
  const namedRule = context === 'one-on-one' ? 'confidentiality.person-named' : 'confidentiality.group-member-named';
  if (!disabled.has(namedRule)) for (const span of findPersonNames(text)) hits.push({ rule: namedRule, span });
  return hits.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}
