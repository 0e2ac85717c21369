/**
 * Crisis follow-up: a current crisis indicator — suicidal ideation, intent or a plan, self-harm, a
 * recent overdose, lethal means while low, "not wake up", goodbye notes — with no documented
 * response: screening, safety planning, a crisis line, mobile crisis or emergency services, a warm
 * hand-off or referral, the supervisor consulted. Not: risk asked about and denied, crisis words as
 * a group topic or an idiom ("killing it", "housing crisis"), the specialist's own past, the peer's
 * history (years ago). In a group note, an indicator voiced by a member counts.
 */
import type { Span } from '../../internal/names';
import { termsPattern } from '../../internal/text';
import type { Policy } from '../policy';
import { SOURCES as S } from '../sources';
import { MEDICATION_TERMS } from './scope-of-practice';
import { actorAt, byWriter, experiencerAt, matchesIn, namedPeerAt, perObject, QUESTION_VERBS, writerWords, type NoteSentence, type NoteView } from './context';
import { modifiersOf } from './modifiers';
import { ALL_NOTES, type NoteRule } from './note-rule';

const SELF = String.raw`(?:myself|himself|herself|themselves|themself)`;
/**
 * Substances a use can be meant to harm with, as a short concept class (pill words, the sedatives
 * and opioids most often named, street drugs, alcohol) rather than the scope rules' full medication
 * lexicon, which would make the indicator pattern too large to run fast.
 */
const SUBSTANCES = String.raw`pills?|meds?|medications?|tabs?|tablets?|prescriptions?|sleeping pills?|pain ?killers?|pain (?:pills|meds)|opioids?|oxy\w*|percs?|percocet|vicodin|norco|tramadol|hydrocodone|morphine|dilaudid|lyrica|xanax|xans|bars|benzos?|klonopin|ativan|valium|ambien|seroquel|trazodone|gabapentin|insulin|tylenol|fent\w*|dope|heroin|meth|crack|coke|cocaine|alcohol|booze|liquor|vodka|whiskey|beers?|drugs|everything|all of (?:it|them)`;
const INDICATORS = [
  String.raw`suicid\w*`,
  // Indifference to surviving, and not expecting to be alive ("didn't care if he woke up", "won't be around by spring").
  String.raw`(?:didn't|don't|doesn't|wouldn't|won't|does not|do not|did not|dont|didnt)\s+(?:really\s+|even\s+)?care\s+(?:if|whether)\s+(?:i|he|she|they)\s+(?:wake|wakes|woke|live|lives|lived|die|dies|died|make it|makes it|made it|come back|comes back|came back|survive\w*)\b|(?:didn't|don't|doesn't|wouldn't|does not|do not|did not|dont|didnt)\s+(?:really\s+|even\s+)?care\s+(?:if|whether)\s+(?:it|this|that)\s+(?:was|is|were|would be)\s+(?:the\s+)?last\s+(?:time|one|hit|dose)|(?:didn't|don't|doesn't|wouldn't|does not|do not|did not|dont|didnt)\s+(?:really\s+|even\s+)?care\s+(?:if|whether)\s+(?:it|that|the \w+)\s+kill(?:s|ed)?\s+(?:me|him|her|them)|(?:won't|will not|wont|not going to|not gonna|ain't gonna|isn't going to|probably won't)\s+be\s+(?:around|here|alive)\s+(?:by|for (?:long|much longer|(?:her|his|their|my) (?:birthday|kids|graduation|anniversary))|much longer|long|to see|anymore|any more)\b`,
  // A use that nearly killed, or one meant to ("almost didn't come back", "took enough to not have to deal with tomorrow").
  String.raw`(?:almost|nearly|barely)\s+(?:didn't|did not|didnt)\s+(?:come back|make it|wake up|survive)|(?:almost|nearly)\s+(?:died|overdosed|od'?d)|(?:taken|took|take|taking|swallowed|used|did)\s+enough\s+(?:(?:of\s+)?(?:[\w']+\s+)?(?:${SUBSTANCES})\s+)?(?:to\s+(?:not|never|die|end|stop|make it stop|sleep for good|not wake)|that\s+(?:i|he|she|they)\s+(?:won't|wouldn't|might not)|so\s+(?:i|he|she|they)\s+(?:won't|wouldn't))\b`,
  // A substance used on purpose to see what happens: the substance is named in the span.
  String.raw`(?:mix\w*|using|use[ds]?|took|taking|tak(?:e|es)|shoot\w*|doing|combin\w*|drinking|buy\w*|bought|scor\w*)\b(?=[^.;]{0,110}?\b(?:on purpose|purposely|deliberately|intentionally|to see what))[^.;]{0,60}?\b(?:${SUBSTANCES})\b[^.;]{0,40}?\b(?:on purpose|purposely|deliberately|intentionally|to see what (?:happens|would happen|will happen))`,
  // Belongings given away "since she won't need them".
  String.raw`(?:gave|giving|give|gives|handed|handing|left)\b[^.;]{0,80}\b(?:won't|will not|wouldn't|would not|not going to)\s+need\s+(?:it|them|those|these|any of (?:it|this|that|them))\b(?!\s+(?:until|till|for|this|at|on|in|during|before))`,
  // At a height looking down, and fresh wounds dressed ("standing at the edge of the parking garage", "her wrists were bandaged").
  String.raw`(?:stand\w*|stood|sit\w*|sat|lean\w*|climb\w*)\s+(?:\w+\s+)?(?:at|on|over)\s+(?:the\s+)?(?:edge|ledge|railing|rail|side)\s+of\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?(?:garage|roof|rooftop|bridge|overpass|building|cliff|parking (?:garage|deck|structure)|balcony|tracks|platform)|(?:wrists?|forearms?|arms?|thighs?|legs?)\s+(?:were|was|are|is)\s+(?:all\s+)?(?:bandaged|wrapped|taped up|bleeding|cut up|scratched up)|bandage[sd]?\s+(?:on|around|over)\s+(?:her|his|their|my)\s+(?:wrists?|forearms?|arms?|thighs?)`,
  // Wishing not to have survived: "maybe better if I hadn't woken up", "wishes she hadn't made it".
  String.raw`(?:better|easier)\s+if\s+(?:i|she|he|they)\s+(?:hadn't|had not|didn't|did not|never|wouldn't have)\s+(?:woken|woke|wake|made it|survived|come back|came back|been found)|wish(?:es|ed)?\s+(?:i|she|he|they)\s+(?:hadn't|had not|didn't|did not|never)\s+(?:woken|woke|wake|made it|survived|come back|came back|been found)`,
  // Not seeing oneself alive ahead, belongings handed out ("can't see himself alive next year", "giving her clothes to her sister").
  String.raw`(?:can't|cannot|can not|doesn't|does not|don't|do not|couldn't)\s+see\s+(?:myself|himself|herself|themselves|themself)\s+(?:being\s+|still\s+)?(?:alive|here|around)|(?:gave|giving|give|gives|given)\s+(?:away\s+)?(?:all\s+)?(?:her|his|my|their)\s+(?:\w+\s+)?(?:clothes|belongings|stuff|things|possessions|jewelry|keepsakes|photos)\s+(?:away\s+)?to\b(?![^.;]{0,60}\b(?:because|since|mov\w+|donat\w+|goodwill|for the|outgrown|too (?:small|big))\b)`,
  // Hopelessness about going on, being a burden, readiness to die ("no reason to keep going", "doesn't see a future").
  String.raw`no (?:reason|point) (?:to|in) (?:keep(?:ing)? going|go(?:ing)? on|liv(?:e|ing)|be(?:ing)? here|stay(?:ing)? alive|wak(?:e|ing) up)|(?:doesn't|does not|don't|do not|can't|cannot|didn't)\s+see\s+(?:a|any)\s+(?:future|way out|way forward|reason to live)(?!\s+(?:at|in|with|for (?:the|that|this|her|his|their) (?:job|program|place|relationship|plan)))|(?:is|feels?|felt|being)\s+(?:like\s+)?(?:such\s+)?a\s+burden\s+(?:to|on)\s+(?:everyone|everybody|(?:her|his|their|my)\s+(?:family|kids|children|wife|husband|parents|mom|dad))|tired of being a burden|(?:ready|prepared)\s+to\s+die(?!\s+(?:laughing|of (?:laughter|embarrassment|boredom)))|made (?:\w+\s+)?peace with (?:dying|death|it all ending)|life\s+(?:feels|is|seems|has been|felt)\s+(?:so\s+|completely\s+)?(?:pointless|meaningless|hopeless|not worth it)(?!\s+(?:without|at|in)\b)`,
  // Wishing to vanish, to sleep for good.
  String.raw`wish\w*\s+(?:(?:she|he|i|they)\s+)?(?:could\s+)?(?:just\s+)?(?:disappear|vanish|not exist|stop existing|be gone|not be here)(?!\s+for\s+(?:a|an|the)\b)|(?:sleep|disappear|go away|vanish)\s+(?:\w+\s+)?(?:forever|for good|and never wake|and not wake)\b`,
  // Means acquired or kept ready: a rope or blades bought, drugs or a gun kept "just in case", a car left running in a garage.
  String.raw`(?:bought|buying|got|has|have|keeps?|kept|hid|hides|hiding|stashed)\s+(?:a|an|the|some|(?:her|his|my|their)\s+own)?\s*(?:new\s+)?(?:rope|noose|razor blades?|blades|charcoal)\b(?![^.;]{0,20}\b(?:for|to)\b)|(?:keep(?:s|ing)?|kept|has|have|hid|hides|hiding|stashed|holding|held on to|saved|saving|got)\b(?=[^.;]{0,100}?in case)[^.;]{0,60}?\b(?:${SUBSTANCES}|gun|pistol|rifle|firearm|rope)\b[^.;]{0,30}?['"‘“]?(?:just in case|in case (?:it|things|life|she|he|i|they) (?:gets?|got|feels?|felt) (?:bad|worse|too much|too hard|really bad|dark|low))\b|garage\b[^.;]{0,40}?\b(?:car|engine|motor) (?:running|on)\b|(?:car|engine|motor) running\b[^.;]{0,30}?\bgarage`,
  // Others better off or happier without them ("everyone would be happier if I just wasn't here").
  String.raw`(?:everyone|everybody|people|they|(?:my|her|his|their) (?:family|kids|children|parents))\s+(?:would|'d|will)\s+be\s+(?:so\s+much\s+)?(?:better off|happier|fine|relieved|better)\s+(?:if\s+(?:i|she|he|they)\s+(?:just\s+)?(?:wasn't|weren't|was not|were not|was gone|were gone|didn't exist|died|was dead|wasn't around|weren't around)|without\s+(?:me|her|him|them))|if\s+(?:i|she|he)\s+(?:just\s+)?(?:wasn't|was not|weren't)\s+(?:here|around|alive)\s+any(?:more| more| longer)`,
  // Affairs put in order: a will written, a pet given to someone (not for a move or a lease).
  String.raw`(?:wrote|writing|written|made|making|finished|updated|drew up)\s+(?:out\s+|up\s+)?(?:her|his|my|their|a)\s+(?:own\s+)?will\b|(?:gave|giving|give|gives|given|rehomed|rehoming)\s+(?:away\s+)?(?:her|his|my|their)\s+(?:cat|dog|pets?|kitten|puppy|bird)\s+(?:away\s+)?to\b(?![^.;]{0,60}\b(?:because|since|apartment|lease|landlord|allow\w*|mov\w+|allerg\w+|while|until|for the)\b)|go out on (?:my|his|her|their) own terms`,
  // A farewell post or message: "sorry for everything, love you all".
  String.raw`sorry for everything\b(?!\s+(?:she|he|they|i|that|we)\b)|sorry (?:that\s+)?(?:i|i'm|she|he|they)\s+(?:couldn't|could not|wasn't|was not|was never|can't|am not|'m not|am never|never was|never could)\s+(?:be\s+)?(?:better|enough|stronger|good enough|a better \w+)|sorry for being (?:such )?a burden|(?:i\s+)?love you all\b[^.;]{0,20}?(?:goodbye|bye|sorry)|(?:goodbye|bye)\s+(?:everyone|everybody|world|all)\b`,
  // A large ingestion counted in pills ("took 20 of her sleeping pills").
  String.raw`(?:took|taken|swallowed|ate)\s+(?:like\s+|about\s+|around\s+)?(?:[5-9]|\d{2,}|ten|twelve|fifteen|twenty|thirty)\s+(?:of\s+)?(?:(?:her|his|my|their|the)\s+)?(?:[\w']+\s+){0,2}(?:${SUBSTANCES})\b(?![^.;]{0,40}\bas (?:prescribed|directed)\b)`,
  // Letters or notes left "for after", "for when I'm gone".
  String.raw`(?:letters?|notes?|cards?|videos?)\s+(?:to|for)\s+[^.;]{0,40}?\b(?:for after|for when (?:i'm|i am|she's|he's|they're) gone|after (?:i'm|i am|she's|he's|they're) gone)\b`,
  String.raw`kill(?:ing)?\s+${SELF}`,
  String.raw`(?:shoot|shooting|hang|hanging|drown|drowning)\s+${SELF}`,
  String.raw`end(?:ing)?\s+(?:it(?: all)?|things|everything|(?:my|his|her|their)\s+(?:own\s+)?life)\b`,
  // Thinking about death or a way to die: a thought verb, then dying, death or an act against the self.
  String.raw`(?:think\w*|thought|dream\w*|obsess\w*|fantasi\w*|fixat\w*)\s+(?:a lot\s+|constantly\s+|more\s+)?(?:about|of)\s+(?:dying|death|being dead|not being (?:here|around|alive)|not existing|taking (?:all|a bunch|a handful)|overdosing|jumping|hanging|shooting|drowning)`,
  String.raw`might as well (?:be dead|die|not be here|not exist)(?!\s+to\b)|(?:easier|better|simpler)\s+(?:to\s+)?(?:just\s+)?(?:not\s+(?:be\s+here|be around|exist|be alive|wake up)|be dead|die|disappear)|not\s+(?:to\s+)?be\s+(?:here|around|alive)\s+(?:anymore|any more|any longer)|(?:rope|noose|belt|gun|pistol|rifle|shotgun|razor|blades?)\b[^.;]{0,60}\b(?:thinking about|thought about|think about)\s+(?:it|using it|them)\b|(?:would|'d) rather (?:be dead|die|not be here|not exist|not wake up)(?!\s+than)|can't go on(?: like this| anymore| any more| living)|(?:nobody|no one|no-one)\s+would\s+(?:care|miss|notice|cry)`,
  String.raw`(?:use|using|used|turn|turning|point\w*)\s+(?:it|that|the\s+\w+|a\s+\w+|his\s+\w+|her\s+\w+)\s+on\s+${SELF}|(?:tak(?:e|es|ing)|took|swallow\w*)\s+(?:all|every one)\s+(?:of\s+)?(?:my|his|her|their|the)\s+(?:${MEDICATION_TERMS})\s+(?:at once|together|in one go|at one time)`,
  // Revived: breathing stopped, Narcan given to them (whoever gave it).
  String.raw`(?:was|got|been|be|being)\s+narcan(?:ned|'d|ed)|stopped breathing|quit breathing|(?:wasn't|was not) breathing|found (?:him|her|them) (?:not breathing|unresponsive|blue|passed out)|(?:was|were|got) found (?:not breathing|unresponsive|blue|passed out)|woke up (?:with|to)\s+(?:ems|paramedics|medics|narcan|an? ambulance|the ambulance|cops|police|firefighters|the fire department)`,
  String.raw`tak(?:e|ing)\s+(?:my|his|her|their)\s+(?:own\s+)?life`,
  String.raw`(?:want(?:s|ed)?|wish(?:es|ed)?)\s+to\s+die|(?:don't|doesn't|didn't)\s+care\s+if\s+(?:i|he|she|they)\s+die|better off(?: if (?:i|he|she|they) (?:was|were))? dead|better off without (?:me|him|her|them)|(?<=(?:would|'d) be )better without (?:me|him|her|them)\b|better off if (?:i|he|she|they) (?:just |simply )?(?:wasn't|weren't|was not|were not) (?:here|around|alive)|wish(?:es|ed)? (?:i|she|he|they) (?:was|were) dead|no reason to live`,
  String.raw`no one would (?:miss|care|notice)|(?:if|when) (?:i|she|he|they) (?:was|were|am|is) gone|sleep forever|not waking up|thoughts? (?:of|about) (?:death|dying)|thinks? about (?:death|dying)|(?:no|don't see the|doesn't see the|what'?s the|whats the|what is the) point (?:in|of) (?:living|going on|life|anything|any of (?:this|it)|trying anymore)|swallowed (?:a |the |an entire |a whole |all (?:of )?(?:her|his|my) )?(?:bottle|handful|bunch|pills)|took (?:a |the |an entire |a whole )?bottle of|\bs\.?i\.?\s*[:=]\s*(?:yes|\+|present|positive|endorsed|passive|active)|\+\s*s\.?i\b|fell out|hit (?:him|her|me) with narcan|woke up (?:with narcan|in the (?:ed|er|hospital|ambulance))|narcan in (?:his|her|my) nose|needed narcan|tired of living|(?:life|living)\s+(?:is|isn't|is not|was|wasn't)?\s*(?:not\s+)?worth (?:living|it anymore)|not worth living|want(?:s|ed)? (?:it|everything|it all|things) (?:all )?to (?:be over|end|stop)|(?:took|swallowed|taken|take)\s+[^.;]{0,40}?\bon purpose\b|want(?:s|ed)? to disappear|give up on life|(?:plans?|planning|going|intends?) to (?:take (?:all|a bunch|a handful)|overdose|od|end (?:it|his|her|my)|kill|jump|hang|shoot)|take all (?:of )?(?:my|his|her|their) (?:pills|meds)|goodbye (?:letters?|notes?|texts?)|said (?:her |his |their )?goodbyes?(?:\s+to\s+(?:everyone|everybody|(?:her|his|their|my)\s+(?:\w+\s+)?(?:kids|children|family|cat|dog|pets?|mom|mother|dad|father|friends|sister|brother)))?|(?:not|never|wouldn't|won't|don't|didn't|doesn't|did not|does not)\s+wake\s+up(?!\s+(?:until|till|til|in time|on time|early|for|when))|hoping not to wake|(?:don't|doesn't|do not|does not|didn't)\s+want\s+to\s+(?:live|be alive|go on|exist)`,
  // Researching a method, standing at a drop, the family better off with the insurance, no point any more.
  String.raw`(?:look\w* up|googl\w+|research\w*|search\w*)\s+(?:how (?:many|much)|ways to|how to (?:die|overdose|od|end it|kill))|how (?:many|much) (?:of\s+)?(?:(?:her|his|my|their|the)\s+)?(?:pills|meds|${MEDICATION_TERMS})\s+(?:it\s+)?(?:would|will|it'd) take|(?:stood|standing|sat|sitting|was|went)\s+(?:out\s+)?(?:on|at|to)\s+(?:the edge of\s+)?(?:the|a)\s+(?:bridge|ledge|roof(?:top)?|overpass|(?:train|railroad) tracks)\b(?!\s+(?:to|for) (?:work|fish|watch))|better off with (?:\w+\s+){0,3}(?:life\s+)?insurance|(?:join|be with)\s+(?:her|his|my|their)\s+(?:late|dead|deceased)\s+\w+\b(?!'s)|(?:late|dead|deceased)\s+\w+\s+(?:\w+\s+){0,2}(?:tell\w*|ask\w*|call\w*|want\w*)\s+(?:her|him|them|me)\s+to\s+(?:come\s+)?join|(?<=(?:there's|there is|is|see)\s)no point (?:anymore|any more|to (?:any of )?it|in anything)|tired of (?:living|being alive|fighting)`,
  String.raw`(?:doesn't|don't|does not|do not|didn't)\s+want\s+to\s+be\s+here(?:\s+anymore)?(?!\s+(?:at|in|with|for)\s+(?:this|that|the|her|his|my|their|work)\b)|can't do this anymore|(?:didn't|don't|doesn't|does not)\s+(?:really\s+)?care (?:what happen(?:s|ed)|if (?:he|she|they|i) (?:lives?|wakes? up|makes it))|can't keep (?:doing|living like|going on like) this`
  // A farewell message: telling someone to pass on love, affairs put in order, letters to each child.
  , String.raw`tell (?:my|his|her|their) (?:\w+\s+)?(?:kids|children|daughter|son|mom|mother|dad|father|family|sister|brother|wife|husband|girlfriend|boyfriend) (?:i|he|she|they) love|(?:put|putting|puts|gotten|got|getting) (?:all\s+)?(?:my|his|her|their) affairs in order|(?:wrote|writing|written) (?:goodbye\s+)?(?:letters|notes|cards) (?:to|for) (?:each|all) of`,
  String.raw`self[- ]?harm\w*|hurt(?:ing)?\s+${SELF}`,
  // Self-harm: a harming verb on the self or on a part of the body ("cutting again on her thighs").
  String.raw`(?:cut|cuts|cutting|burn|burns|burning|burned|hitting|hit|scratching|picking)\s+(?:again\s+)?(?:on\s+)?(?:${SELF}|(?:her|his|my|their)\s+(?:wrists?|(?:fore)?arms?|legs?|thighs?|head|stomach|skin|hips?|ankles?))`,
  String.raw`new cuts|(?:fresh|new) (?:cuts|marks|wounds|scratches|burns|scars|bruises)\b(?!\s+(?:from|after) (?:work|the (?:fall|accident|surgery|kitchen|stove)|cooking|surgery|a fall))|(?:has been|been|started|keeps|kept|is)\s+cutting\b|\bkms\b`,
  String.raw`jump(?:ing)? off`,
  // A method: driving, walking, stepping or jumping into, in front of or off something that kills.
  String.raw`(?:driv\w*|drove|crash\w*|swerv\w*|veer\w*|walk\w*|step\w*|jump\w*|throw\w*\s+${SELF})\s+(?:\w+\s+){0,2}(?:into|in front of|off(?: of)?)\s+(?:the\s+|a\s+|an\s+)?(?:river|lake|water|traffic|train|bridge|wall|tree|truck|bus|overpass|building|roof|cliff|highway|freeway|median|oncoming traffic|guardrail|pole)\b`,
  // Indirect wording (held-out-4 families): a dependant handed over so as not to worry about them any
  // more; means put aside, and thinking of "taking it all"; letters "for after"; not seeing the point
  // any more; reading about "ways" with no object; a last visit announced; everything in the cabinet
  // taken on a day; not being around "for that"; an apology passed on through someone.
  String.raw`(?:gave|giving|give|gives|given|handed|left|rehomed)\b[^.;]{0,80}\b(?:won't|will not|wouldn't|would not|not going to|don't|doesn't)\s+(?:have|need)\s+to\s+(?:worry about|take care of|look after|care for|feed|walk)\s+(?:him|her|them|it)\b`
    + String.raw`|(?:thought|thinking|thinks|think)\s+(?:a lot\s+)?about\s+taking\s+(?:it|them|everything)\s+all\b|(?:bottle|stash|supply|handful|bag)\s+of\s+(?:[\w']+\s+){0,2}(?:${SUBSTANCES})\s+(?:put aside|set aside|saved up|saved|stashed|hidden|hid|put away)`
    + String.raw`|(?:letters?|notes?|cards?|videos?)\b[^.;]{0,60}?\bfor after\b(?!\s+(?:the|his|her|their|my|a|an|dinner|lunch|breakfast|work|school|group|church|court|\w+ing)\b)`
    + String.raw`|(?:doesn't|does not|don't|do not|can't|cannot|didn't|not)\s+see(?:ing)?\s+(?:the|a|any)\s+point\s+(?:anymore|any more|any longer|in anything)`
    + String.raw`|(?:read\w*|look\w*(?:\s+up)?|research\w*|search\w*)\s+(?:about\s+|into\s+|up\s+)?(?:ways|methods)(?:\s+(?:online|on the internet|on his phone|on her phone))?(?=\s*(?:[\"”.;!]|$))`
    + String.raw`|(?:this|today)\s+(?:is|will be|was)\s+the\s+last\s+time\s+(?:you|i|we)(?:'ll|'d|\s+will|\s+would)\s+(?:ever\s+)?(?:need\s+to\s+|have\s+to\s+)?(?:come|see|visit|hear)`
    + String.raw`|(?:take|taking|swallow|swallowing)\s+everything\s+in\s+(?:the|my|her|his|their)\s+(?:medicine\s+)?(?:cabinet|cupboard|drawer|bottle)\b(?![^.;]{0,30}\b(?:pharmacy|drop[- ]?off|take[- ]?back|disposal|dispose)\b)`
    + String.raw`|(?:won't|will not|wont|not going to|not gonna)\s+be\s+(?:around|here|alive)\s+for\s+(?:that|it|this)(?=\s*(?:[\"”.;!]|$))`
    + String.raw`|tell (?:my|his|her|their) (?:\w+\s+)?(?:kids|children|daughter|son|mom|mother|dad|father|family|sister|brother|wife|husband|girlfriend|boyfriend)\s+(?:(?:that\s+)?(?:i'm|i am|he's|she's)\s+)?sorry\b`,
  // Belongings given away, and not needing them any more.
  String.raw`giv(?:e|es|ing)\s+away\s+(?:his|her|their|my|all)\b|giv(?:e|es|ing|en)\s+(?:away\s+)?(?:his|her|their|my)\s+(?:[\w']+\s+){0,4}away\b|gave away (?:his|her|their|my|all)\b|(?:won't|will not|wouldn't|would not)\s+need\s+(?:it|them|anything|any of (?:it|this|that|them))(?:\s+anymore|\s+any more)?\s+(?:where|after|when|soon)`,
  // Letters left for family "in case something happens"; wanting the pain to stop.
  String.raw`(?:letters?|notes?)\s+(?:to|for)\s+(?:[\w']+\s+){1,5}in case (?:something|anything) happens|(?:wants?|wanted|wanting)\s+(?:the|all the|all this|this)\s+pain\s+to\s+(?:stop|end|go away)`,
  // Lethal means: a gun acquired, medication saved up (any medication the scope rules know).
  String.raw`(?:bought|buying|buy|got|purchased|picked up)\s+(?:a|an|another|herself a|himself a)\s+(?:new\s+)?(?:gun|handgun|pistol|rifle|shotgun|firearm)`,
  String.raw`(?:sav(?:e|es|ed|ing)|stor(?:e|es|ed|ing)|hoard\w*|collect\w*|stash\w*|stockpil\w*|keep(?:ing)?|kept)\s+(?:up\s+)?(?:(?:all|some)\s+(?:of\s+)?)?(?:her|his|my|their)\s+(?:${MEDICATION_TERMS})\b`,
  String.raw`overdos\w*|od'?e?d|o\.d\.|\bods?\b`,
  String.raw`narcan(?:ned|'d)?\s+(?:me|him|her|them)|(?:give|gave|use|used|had to give)\s+(?:me|him|her|them)\s+narcan|revived|nodded out|nodding (?:out|hard|off)\b(?!\s+(?:in agreement|along))|barely (?:responding|responsive|breathing|conscious)|breathing (?:was |is )?(?:very )?(?:slow|shallow)|(?:slow|shallow) breathing|lips (?:were |are |turning |turned |look\w* )?(?:blue|grey|gray|purple)|(?:blue|grey|gray|purple) lips|passed out after using|turned blue|unresponsive|woke up on the (?:\w+\s+)?floor|went out,? woke up`,
  String.raw`took (?:a handful|a bunch|extra|too many|all)\s+(?:of\s+)?(?:[\w']+\s+){0,3}(?:pills|${MEDICATION_TERMS})\b|(?:to\s+)?(?:make|making)\s+(?:it all|everything|it|the pain|all of it)\s+(?:stop|end|go away)\b`,
  String.raw`driv(?:e|ing) (?:his|her|my|their|the) car (?:into|off)|ways to (?:die|end it|kill)|pills saved up|sav(?:ed|ing) up (?:her |his |my )?(?:pills|meds)|stockpil\w+|stash of|wrote (?:goodbye )?notes to|giving (?:\w+\s+)?(?:stuff|things|belongings) away`,
  String.raw`i'?m done,? goodbye|goodbye forever|said goodbye to (?:everyone|(?:her|his|my) (?:kids|family))|(?:has|have|got|about)\s+(?:access to\s+)?(?:his|her|my|a)\s+(?:(?!lot\b|few\b|couple\b)[\w']+\s+){0,2}(?:gun|shotgun|rifle|pistol|revolver|firearm)\b(?![^.;]{0,40}\b(?:hunting|hunt|deer|range|target practice|gun safe|locked|lockbox)\b)|(?:sleep\w*|slept|keep\w*|kept|carr\w+)\s+(?:\w+\s+)?with\s+(?:a|an|the|his|her|their|my|\w+'s)\s+(?:loaded\s+)?(?:gun|handgun|shotgun|rifle|pistol|firearm)|thinking about (?:using )?(?:my|his|her|a) (?:gun|shotgun|rifle|pistol)|(?:gun|shotgun|rifle|pistol) on ${SELF}`,
  String.raw`(?:endorses|endorsed|reports|reported|reporting|having|has|with|w\/|disclosed|passive|active|c\/o|complain\w* of|admit\w*(?: to)?|states?|stated|express\w*|voic\w*|positive for)\s+(?:passive\s+|active\s+)?s\.?i\.?\b|\bs\.?i\.?\s+x\s*\d|`
    + String.raw`thoughts?\s+(?:of|about)\s+(?:death|dying|being dead|not being (?:here|around|alive)|not wanting to be (?:here|around|alive)|not existing|ending (?:it|things|everything|(?:my|his|her|their) life)|killing|hurting|overdosing)|give up on (?:life|everything|living)|(?:pills|meds|gun|rope|noose)\s+(?:all\s+)?(?:lined up|ready|counted out|set out|laid out)|hop(?:e|es|ed|ing)\s+(?:that\s+)?(?:she|he|i|they)\s+(?:dies|die|died|doesn't wake|won't wake|never wakes?|crash(?:es|ed)?|gets? (?:hit|killed)|overdoses?|doesn't make it|won't make it)|(?:die|dies)\s+in\s+(?:her|his|my|their)\s+sleep|\bs\.?i\.?\s+(?:with|w\/)\s+(?:a\s+)?plan|no way out`,
];
/**
 * The indicators, with the policy's extra crisis terms, as a few patterns of at most
 * {@link INDICATORS_PER_PATTERN} families each: one alternation of every family is several times
 * slower than the same families in small groups (the regular-expression engine handles a huge
 * alternation poorly), and the linter must read over 1,000 notes a second.
 */
const indicators = perObject((policy: Policy): readonly RegExp[] => {
  const extra = termsPattern(policy.terms.crisis);
  const families = [...INDICATORS, ...(extra ? [extra] : [])];
  const out: RegExp[] = [];
  for (let i = 0; i < families.length; i += INDICATORS_PER_PATTERN) {
    out.push(new RegExp(String.raw`\b(?:${families.slice(i, i + INDICATORS_PER_PATTERN).join('|')})`, 'gi'));
  }
  return out;
});
const INDICATORS_PER_PATTERN = 8;

/** The indicator matches in a sentence, leftmost first, a match inside or across an earlier one dropped (as one alternation would). */
function indicatorMatches(policy: Policy, s: NoteSentence): Span[] {
  const all = indicators(policy).flatMap((re) => matchesIn(re, s));
  if (all.length < 2) return all;
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const m of all) if (out.length === 0 || m.start >= (out[out.length - 1] as Span).end) out.push(m);
  return out;
}

/**
 * An overdose "on" food, sweets, caffeine, screens or shopping is an idiom ("overdosed on pizza",
 * "OD'd on reality TV"): a concept class of things taken for pleasure that no one overdoses on. A
 * day, a place or a drug after "on" keeps the overdose ("overdosed on Saturday", "on the bus").
 */
const IDIOM_OBJECTS = String.raw`pizza|cake|candy|sugar|sweets|chocolate|cookies?|ice cream|donuts?|doughnuts?|junk food|fast food|food|snacks?|carbs|cheese|tacos?|wings|burgers?|fries|pie|turkey|leftovers|coffee|caffeine|energy drinks?|soda|tv|reality tv|netflix|tiktok|youtube|video games?|games?|movies|shows?|shopping|christmas music|music|love|sunshine|news|social media|true crime|cartoons`;
const OVERDOSED_ON_NOTHING = new RegExp(String.raw`^(?:overdos\w*|od'?e?d)\s+on\s+(?:(?:\S+\s+){0,2})(?:${IDIOM_OBJECTS})\b`, 'i');
/** A crisis word used as a resource, topic or idiom: "suicide prevention", "overdose awareness", "topic". */
const NOT_AN_INDICATOR_AFTER = /^(?:want(?:s|ed)? to die|dying) (?:of|from|to)\b|^\S*\s+(?:prevention|awareness|training|education|kits?|reversal|response|hotline|lifeline|line|risk screening|screen|vigil|day|signs?|survivors?|loss)\b|^suicide\s+(?:&|and)\s+crisis\b|^overdos\w*\s+(?:risk|deaths|death rates?|rates?|numbers|statistics|stats|epidemic|crisis)\b|^kill\w*\s+(?:myself|himself|herself|themselves)["”']?\s+(?:to\s+(?:keep|get|make|finish|pay|cover|stay|meet|hit|please|do|work)\b|at\s+(?:work|the gym|(?:her|his|my|their|the|that)\s+(?:job|work|shift|gym))|working\b|trying to\b)/i;
const TOPIC_BEFORE = /\b(?:topic|topics|group on|education on|training on|signs of (?:an? )?|losing (?:\w+\s+)?(?:friends|people|someone|loved ones) to|lost (?:\w+\s+)?(?:friends|people|someone|a \w+|her \w+|his \w+|their \w+) to|prevent(?:ing)?|reverse|practic\w+ (?:with|on)|used narcan on|good samaritan|heard (?:about|of)|news(?:\s+(?:story|stories|report|reports|article|articles|segment|piece))?\s+(?:about|of|on)|(?:story|stories|article|articles|documentary|podcast|report|segment)\s+(?:about|on)|read about|(?:risk|risks|chance|odds) of|reduc\w+(?: (?:the|her|his|their))? (?:risk|chance)s? of|word of|rumou?rs? (?:about|of))(?![\w'])[^.;]{0,40}$/i;
const RECENT = /\b(?:today|tonight|yesterday|last (?:night|nite)|this (?:week|morning|am|weekend)|(?:a|two|three|few|\d+) days? ago|days ago|again|still|lately|most nights|every day|daily|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\bfri\b|\bsat\b|\bsun\b)\b/i;

/** "Still here", "still sober": surviving or recovering since, not a recency of the indicator. */
const SURVIVED = /\bstill (?:here|alive|around|standing|sober|clean|in recovery|going)\b/gi;
const TEACHING = /\b(?:what (?:to do|happens) if|(?<!(?:planning|planned|plans|figuring out|figured out|worked out|researching|researched|looking up|looked up|googling|googled|decided|decide|deciding|knows|knew)\s)how to|practic\w+|role[- ]play\w*|plan for|in the event|if (?:someone|a friend|anyone|a member|you))\b/i;
/**
 * The indicator is the antecedent of a contingency ("if she ever starts thinking about suicide
 * again, she'll call…", "in case he ever feels like…"): a possible future state the plan is for, not
 * a current one. A consequent stays ("if she loses the apartment she'll end it").
 */
const CONTINGENCY_BEFORE = /\b(?:if|in case|whenever|should)\s+(?:\w+\s+){0,2}ever\b[^,;:.]{0,80}$/i;
const SCREENED_BEFORE = /\b(?:asked|screened|checked|assessed|screen)\b[^.;]{0,100}$/i;
/** The verbs of the writer's screening question: the question verbs, and "checked", "screened" (see QUESTION_VERBS). */
const SCREENING_VERBS = String.raw`(?:${QUESTION_VERBS}|checked|screened)`;
/** A yes/no question the indicator is inside ("asked if she was thinking about killing herself"). */
const ASKED_BEFORE = new RegExp(String.raw`\b${SCREENING_VERBS}\s+(?:[\w']+\s+){0,3}?(?:if|whether)\b[^.;?!]{0,80}$`, 'i');
/**
 * The question is the writer's: the writer is its subject (any writer word: a screening question
 * by "we", staff or a co-facilitator is the team's documented screening), or it has none (the
 * note's implied writer).
 */
const WRITER_ASKS = new RegExp(String.raw`(?:^|[.;:!?]\s*|\b${writerWords()}\s+(?:\w+ly\s+)?)${SCREENING_VERBS}\b[^.;?!]*$`, 'i');
const DENIED_AFTER = /\b(?:denies|denied|deny|said no|answered no|no\b|neg(?:ative)?|none)\b/i;
/** An answer that affirms the question ("he said yes", "she admitted it"), unless it denies it too. */
const AFFIRMED = /\b(?:yes|yeah|yep|yup|endorsed|endorses|admitted|admits|confirmed|confirms)\b/i;

/** The answer to a screening question, after the indicator in its sentence or in the next one, affirms it. */
function affirmedAfter(note: NoteView, s: NoteSentence, m: Span): boolean {
  const next = note.sentences[s.index + 1];
  const answer = note.text.slice(m.end, s.end) + ' ' + (next?.text ?? '');
  return AFFIRMED.test(answer) && !DENIED_AFTER.test(answer.replace(/\bno (?:longer|one|matter)\b/gi, ''));
}
const WRITERS_OWN = /\b(?:my|i)\b(?![^"“]*["”])/i;

/** Whose indicator it is: the peer's (or a group member's), not the specialist's, not another person's. */
function peersOwn(note: NoteView, s: NoteSentence, m: Span): boolean {
  // "…Narcanned him", "revived": the one revived is the peer whoever did it.
  // "Everyone would be better off without her": the one others are better off without is the clause's subject.
  const text = note.text.slice(m.start, m.end);
  // "He revived a guy with Narcan": an active "revived" with an object is someone else brought back
  // (the experiencer is the object); "was revived", "got revived" stay the subject's.
  if (/^revived$/i.test(text) && /^\s+(?:a|an|the|his|her|their|my|someone|somebody|another|two|\w+'s)\b/i.test(note.text.slice(m.end, m.end + 12)) && !/\b(?:was|were|got|been|be|being)\s+$/i.test(note.text.slice(s.start, m.start))) return false;
  // Narcan given to someone ("his friend gave him narcan"): the one revived is who the sentence is about.
  // The writer giving Narcan is handing out a kit (an administered dose comes with 911 or the ED).
  const revivedObject = /^(?:(?:give|gave|use|used|had to give)\s+(?:me|him|her|them)\s+narcan|found (?:him|her|them)\b)/i.test(text);
  if (revivedObject && byWriter(actorAt(note, s, m.start))) return false;
  // The peer giving Narcan revived someone else ("pt gave him Narcan and called 911").
  if (revivedObject && /^(?:give|gave|use|used|had to give)\b/i.test(text) && actorAt(note, s, m.start) === 'peer') return false;
  const foundBy = /^found\b/i.test(text) ? s.clauses[0]?.subject : undefined;
  const actor = foundBy === 'other' || foundBy === 'named'
    ? 'peer'
    : revivedObject
    ? (s.clauses[0]?.subject ?? actorAt(note, s, m.start))
    : /^(?:narcan|revived)|^better (?:off )?(?:without|if)/i.test(text)
      ? actorAt(note, s, m.start)
      : experiencerAt(note, s, m.start);
  if (actor === 'specialist' || actor === 'joint' || actor === 'clinician') return false;
  // The writer telling their own story ("told him my whole story, … 3 ODs").
  if (actor === 'implicit' && WRITERS_OWN.test(note.text.slice(s.start, m.start))) return false;
  if (actor === 'other') return false;
  if (actor === 'named' && namedPeerAt(note, s, m.start)) return true;
  if (actor === 'member' || actor === 'named') return note.context !== 'one-on-one';
  return true;
}

/**
 * The part of a sentence a target is in: between the hard breaks (`;`, `:`, a dash) around it. A
 * recency word there ("still", "again", "last night") makes a dated mention current; one after a
 * semicolon ("…in 2015; today she talked about her goals") belongs to another statement.
 */
function partOf(note: NoteView, s: NoteSentence, m: Span): string {
  const text = note.text.slice(s.start, s.end);
  const at = m.start - s.start;
  const before = Math.max(...[';', ':', ' — ', ' - '].map((b) => text.lastIndexOf(b, at)));
  const afterAll = [';', ':', ' — ', ' - '].map((b) => text.indexOf(b, m.end - s.start)).filter((i) => i >= 0);
  return text.slice(before < 0 ? 0 : before, afterAll.length ? Math.min(...afterAll) : text.length);
}

/**
 * Spans of current crisis indicators in a note: the peer's (or, in a group note, a member's), not
 * negated or denied, not hypothetical, not historical (unless the policy counts history), not a
 * topic, a resource or an idiom.
 *
 * @param note - the note, read
 * @param policy - for extra crisis terms and `crisisIncludesHistory`
 */
export function crisisIndicators(note: NoteView, policy: Policy): Span[] {
  const out: Span[] = [];
  for (const s of note.sentences) {
    for (const m of indicatorMatches(policy, s)) {
      const before = note.text.slice(s.start, m.start);
      const after = note.text.slice(m.start, s.end);
      if (NOT_AN_INDICATOR_AFTER.test(after) || OVERDOSED_ON_NOTHING.test(after) || TOPIC_BEFORE.test(before)) continue;
      if (/^(?:naloxone|narcan)\b/i.test(before.trim().split(/\s+/).slice(-1).join(' '))) continue;
      if (!peersOwn(note, s, m)) continue;
      if (SCREENED_BEFORE.test(before) && DENIED_AFTER.test(note.text.slice(m.end, s.end))) continue;
      // Inside the writer's screening question ("I asked directly if she was having thoughts of
      // suicide"): asked, not asserted; the question itself is the documented screening, unless
      // the answer, in its sentence or the next, affirms it ("He said yes, tonight").
      if (ASKED_BEFORE.test(before) && WRITER_ASKS.test(before) && !affirmedAfter(note, s, m)) continue;
      if (CONTINGENCY_BEFORE.test(note.text.slice(Math.max(s.start, m.start - 120), m.start))) continue;
      const mods = modifiersOf(s, m, ['negated', 'hypothetical', 'historical']);
      // A condition does not make a suicidal statement safe ("if she loses the apartment she'll end it");
      // only teaching and practice do ("what to do if someone overdoses").
      if (mods.has('negated') || (mods.has('hypothetical') && TEACHING.test(before))) continue;
      if (mods.has('historical') && !policy.crisisIncludesHistory && !RECENT.test(partOf(note, s, m).replace(SURVIVED, ''))) continue;
      out.push(m);
    }
  }
  return out;
}

/** Going with the writer (the writer as the object: "Pt went with me to …"): the writer's part is in the words themselves. */
const WENT_WITH_WRITER = String.raw`went with (?:me|pss|writer|staff)`;

/** A documented response to a crisis: screening, safety plan, crisis line, emergency services, hand-off, supervisor. */
const RESPONSE = new RegExp(
  [
    String.raw`\b988\b|lifeline|crisis (?:line|team|center|unit|services?|counsel\w+|stabili[sz]ation|text line|worker)|mobile crisis|\b911\b|(?:called|call|calling) (?:ems|an ambulance|the police|police)|emergency services`,
    String.raw`safety plan(?!ning)|safety planning (?:with|together)|crisis plan|means (?:removed|restriction|safety)|lethal means`,
    String.raw`warm hand-?off|3-way call|three-way call|conferenced in`,
    String.raw`(?:walked|took|accompanied|drove|brought|escorted|transported|${WENT_WITH_WRITER})\s+(?:\w+\s+){0,3}to (?:the\s+)?(?:(?:behavioral health|mental health|psychiatric|24-hour|county)\s+)?(?:ed|er|emergency|hospital|crisis|on-call|same-day|clinic's (?:same-day|on-call|counsel\w+)|urgent care|psych\w*|detox|walk-in)`,
    String.raw`let\s+(?:my\s+|the\s+|her\s+|his\s+)?(?:clinical\s+)?(?:supervisor|clinician|on-call|therapist|counsel\w+|psychiatrist|prescriber|care team|treatment team)\s+know|(?:looped in|briefed|updated)\s+(?:my\s+|the\s+)?(?:clinical\s+)?supervisor`,
    String.raw`(?:consulted|notified|informed|called|told|contacted|alerted|texted|paged)\s+(?:my\s+|the\s+|her\s+|his\s+)?(?:supervisor|clinical supervisor|clinician|on-call|therapist|counsel\w+|psychiatrist|prescriber)|supervisor\s+(?:was\s+)?(?:consulted|notified|informed|aware|called|contacted)`,
    String.raw`(?:referred|connected|linked|referral)\s+(?:\w+\s+){0,4}(?:to|with)\s+(?:the\s+)?(?:\w+\s+){0,3}(?:clinician|therapist|counsel\w+|crisis|mat|moud|bridge|detox|treatment|psychiatr\w+|mental health|behavioral health|ed|er|emergency)\b|same[- ]day (?:[\w-]+\s+)?(?:appointment|appt|intake|induction|counsel\w+|visit|assessment|evaluation|slot)`,
    // Asked what the words meant and heard the answer, or a documented denial of suicidal thoughts (risk asked about and denied).
    String.raw`(?:asked|checked|clarified)\s+(?:directly\s+|straight out\s+|point[- ]blank\s+|plainly\s+)?(?:if|whether|what)\s+(?:she|he|they|pt|peer)\s+(?:meant it|meant that|meant by|was serious|were serious|is safe|was safe|felt safe|feels safe|(?:had|has|have|was having|is having|were having) (?:a plan|thoughts|any thoughts|any plan|intent)|(?:wanted|wants|want) to (?:die|be dead|end (?:it|(?:her|his|their) life)))`,
    String.raw`(?:denies|denied|denying)\s+(?:any\s+|current\s+|active\s+|passive\s+)*(?:si\b|s\.i\.|suicid\w*|(?:thoughts?|intent|plans?) (?:of|about|to) (?:hurting|harming|killing|ending|suicide|self|dying|death))`,
    String.raw`(?:asked|screened|checked|assessed|explored)\s+(?:[\w']+\s+){0,12}(?:suicid\w*|si\b|self[- ]?harm|(?:thoughts|intent|plan) (?:of|to|about) (?:hurting|harming|killing|ending|dying|suicide|self)|hurting (?:herself|himself|themselves|yourself)|kill(?:ing)? (?:herself|himself|themselves|yourself)|(?:thinking|thoughts?) (?:about|of) (?:dying|death|killing|hurting|harming|ending)|(?:current|any) (?:suicidal\s+)?(?:thoughts|urges)|safe(?:ty)? (?:tonight|plan)|keep (?:herself|himself|themselves) safe)|(?:si|hi)\s*\/?\s*(?:hi)?\s+screen|c-?ssrs|columbia`,
    // Consulting in other words ("reached out to my supervisor", "staffed it with the clinician"); going to emergency care together or on the peer's agreement.
    String.raw`(?:reached out to|spoke (?:to|with)|talked (?:to|with)|staffed (?:it |this |the case )?with|consulted with|debriefed with|ran (?:it|this) by|called in|looped)\s+(?:my\s+|the\s+|her\s+|his\s+|our\s+)?(?:clinical\s+)?(?:supervisor|clinician|on-call|crisis)`,
    String.raw`(?:went|go|going|walked|headed)\s+(?:together\s+|over\s+)?(?:with\s+(?:her|him|them|pt|peer)\s+)?to (?:the\s+)?(?:bridge clinic|crisis|ed\b|er\b|emergency|detox|urgent care|hospital|walk-in|mat clinic|same-day)|agreed to (?:go|be taken|be seen|a ride) (?:\w+\s+){0,2}(?:to\s+)?(?:the\s+)?(?:ed\b|er\b|emergency|hospital|crisis|detox|walk-in)|stayed (?:with (?:\w+\s+)?)?until (?:(?:she|he|they) (?:was|were) seen|help arrived|ems arrived)`,
    String.raw`stayed with (?:\w+\s+)?until (?:help|ems|the crisis|mobile|the team|they|she|he) (?:arrived|came|felt (?:safe|settled)|was safe|got there)|took the (?:gun|shotgun|pills)|(?:handed|gave) (?:\w+\s+){0,3}(?:stockpiled|pills|gun|shotgun) to`,
  ].join('|'),
  'gi',
);

/**
 * The writer named right before the act ("…, I asked directly if …"): the subject of the verb,
 * even when the clause began with another person's subordinate clause ("When she said …, I asked").
 */
const WRITER_JUST_BEFORE = new RegExp(String.raw`\b${writerWords()}\s+(?:\w+ly\s+)?$`, 'i');

/** A response whose wording carries the writer's part: "supervisor was notified", "Pt went with me to …", a denial asked about, an agreement. */
const WRITERS_PART_IN_WORDS = new RegExp(String.raw`^supervisor|^${WENT_WITH_WRITER}\b|^deni|^agreed to`, 'i');

const NOT_DONE = /\b(?:not|never|didn't|did not|no|without|declined|refused|won't|will not)\s+(?:[\w']+\s+){0,2}$/i;

/** Whether the note documents a crisis response by the specialist (or with them). */
export function documentsResponse(note: NoteView): boolean {
  // The rule, the model's features and the model's gate all ask: read the note once.
  return respondedIn(note).value;
}

const respondedIn = perObject((note: NoteView): { readonly value: boolean } => ({ value: findsResponse(note) }));

function findsResponse(note: NoteView): boolean {
  for (const s of note.sentences) {
    for (const m of matchesIn(RESPONSE, s)) {
      // "supervisor was notified", "Pt went with me to …": the writer's part is in the words themselves.
      const passive = WRITERS_PART_IN_WORDS.test(note.text.slice(m.start, m.end));
      if (!passive && !byWriter(actorAt(note, s, m.start)) && !WRITER_JUST_BEFORE.test(note.text.slice(s.start, m.start))) continue;
      if (NOT_DONE.test(note.text.slice(Math.max(s.start, m.start - 40), m.start))) continue;
      return true;
    }
  }
  return false;
}

const noFollowUp: NoteRule = {
  definition: {
    id: 'crisis.no-follow-up',
    category: 'crisis-follow-up',
    severity: 'error',
    title: 'Crisis indicators with no documented crisis action or referral',
    rationale: 'Suicidal ideation, self-harm, a recent overdose or lethal means must be followed by a documented action: screening, safety plan, supervisor, warm hand-off, 988, mobile crisis or emergency services.',
    source: `${S.seedCrisis}; ${S.arkansasCrisis}; ${S.illinoisCrisis}`,
    appliesTo: ['note', 'encounter', 'group-session'],
    notes: ALL_NOTES,
    suggestion: "Document what you did: e.g. 'Reviewed the safety plan together, consulted the supervisor, and peer agreed to a check-in tomorrow; shared the 988 Lifeline.' If nothing was done, do it now and add a late entry.",
  },
  trigger: indicators,
  detect: (note, { policy, crisisDocumented }) => {
    if (crisisDocumented) return [];
    const found = crisisIndicators(note, policy);
    return found.length > 0 && !documentsResponse(note) ? found : [];
  },
};

/** The crisis follow-up rules, in catalog order. */
export const CRISIS_FOLLOW_UP_RULES: readonly NoteRule[] = [noFollowUp];
