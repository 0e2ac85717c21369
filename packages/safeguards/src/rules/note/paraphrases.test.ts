import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';
import type { NoteContext } from '../rule-definition';

const S = ['scope-of-practice'];
const D = ['dual-relationship'];
const SD = ['self-disclosure'];
const CR = ['crisis-follow-up'];
const CO = ['confidentiality'];

/**
 * Hand-written paraphrases across the five categories (not from the corpus): the categories each
 * note must get, nothing more. Written to probe wording the corpus does not use.
 */
const cases: [string, string[], NoteContext?][] = [
  // stress
  // scope positives
  ['- pt c/o nausea from naltrexone\n- advised her to skip it on weekends', ['scope-of-practice']],
  ['S: "My Abilify makes me shaky."\nA: Writer suggested taking it every other day instead.', ['scope-of-practice']],
  ['Told pt its ok to take his Klonopin w/ a drink or two.', ['scope-of-practice']],
  ['Peer asked about coming off Wellbutrin. I said she doesn\'t really need it anymore.', ['scope-of-practice']],
  ['pss explained that she clearly has OCD based on the hand washing', ['scope-of-practice']],
  ['Honestly I think he is bipolar.', ['scope-of-practice']],
  ['Conducted a trauma-focused therapy session with peer at her kitchen table.', ['scope-of-practice']],
  ['A: Peer presents as manic with pressured speech.', ['scope-of-practice']],
  ['I recommended kratom to help with his withdrawal.', ['scope-of-practice']],
  ['Gave pt two of my own Tylenol 3s for his back.', ['scope-of-practice']],
  // scope negatives
  ['Pt asked if he can drink on his meds; told him to ask the pharmacist and we called together.', []],
  ['Peer says her prescriber is tapering her off Klonopin, 0.5mg less each week.', []],
  ['She stopped her Zoloft on her own last month; we wrote down what happened for her psychiatrist.', []],
  ['P: PSS to help pt schedule psych eval per therapist recommendation.', []],
  ['Pt diagnosed with diabetes at the ED per discharge papers.', []],
  ['A: Peer engaged, motivated; assessment of goals completed together.', []],
  // dual positives
  ['- pt short on bus fare, gave him $5 out of my pocket', ['dual-relationship']],
  ['Peer and I have been hanging out on weekends.', ['dual-relationship']],
  ['I let peer borrow my car for his job interview.', ['dual-relationship']],
  ['Picked pt up in my personal car for group.', ['dual-relationship']],
  ['Peer baked me cookies and brought a $25 Starbucks card; I accepted both.', ['dual-relationship']],
  ['I told her she could crash at my apartment this weekend.', ['dual-relationship']],
  ['We exchanged Snapchat handles after session.', ['dual-relationship']],
  ['Peer is going to start working at my husband\'s auto shop next week.', ['dual-relationship']],
  // dual negatives
  ['Peer tried to give me $10; I said no and explained the policy.', []],
  ['Transported peer to detox in agency vehicle.', []],
  ['Gave pt a $5 Subway card from the program per policy.', []],
  ['Peer talked about her new boyfriend and their first date.', []],
  // self-disclosure positives
  ['- spent 45 min of the hour telling pt my own using story\n- didn\'t get to her housing app', ['self-disclosure']],
  ['Writer talked about writer\'s own divorce for most of the visit. Peer\'s concerns about court not addressed.', ['self-disclosure']],
  // self-disclosure negatives
  ['I shared that I also lost my license once, then we focused on her DMV plan.', []],
  ['Pt talked for most of the call about his son; I listened.', []],
  // crisis positives
  ['- pt says he wants to kms\n- f/u mon', ['crisis-follow-up']],
  ['Peer texted that she took all her pills last night. Will check in tomorrow.', ['crisis-follow-up']],
  ['Pt said she has a plan to hang herself this weekend.', ['crisis-follow-up']],
  ['He said "I\'d be better off dead." Discussed job leads.', ['crisis-follow-up']],
  ['Pt has been cutting again, showed fresh marks on arm.', ['crisis-follow-up']],
  // crisis negatives
  ['Pt said he has thoughts of suicide. PSS stayed with pt and called mobile crisis, who arrived within the hour.', []],
  ['Screened for SI: negative.', []],
  ['No SI/HI reported.', []],
  ['Peer reports no thoughts of self harm.', []],
  ['Group discussed how to respond if a friend overdoses.', [], 'group'],
  ['Pt\'s friend died by suicide in March; pt grieving.', []],
  // confidentiality positives
  ['Pt says her sister Jen is using meth again.', ['confidentiality']],
  ['Present today: Luis, Ana, Bea, and Tran.', ['confidentiality'], 'group'],
  ['Keisha shared that she relapsed on Friday.', ['confidentiality'], 'group'],
  ['His girlfriend, Amber, is in jail.', ['confidentiality']],
  // confidentiality negatives
  ['Met w/ Ray at the library; Ray is 90 days clean.', []],
  ['Called Ms. Park, his case manager, with his consent to set up a meeting.', []],
  ['Walked with peer down Jefferson Ave to the food pantry.', []],

  // stress2
  // scope +
  ['Pt worried about weight gain on Seroquel. Suggested she just take it every few days.', ['scope-of-practice']],
  ['- pt asked if ok to mix xanax + alcohol at wedding\n- told her one drink is fine', ['scope-of-practice']],
  ['I reassured him that he could restart his Suboxone at the old dose on his own.', ['scope-of-practice']],
  ['This specialist assessed peer as having severe depression.', ['scope-of-practice']],
  ['Writer feels peer may have an eating disorder based on her weight loss.', ['scope-of-practice']],
  ['PSS delivered DBT skills therapy to treat her borderline symptoms.', ['scope-of-practice']],
  ['O: Peer disheveled, affect blunted, thought process tangential.', ['scope-of-practice']],
  // scope -
  ['Peer said her doctor told her to stop the Lamictal because of a rash.', []],
  ['Pt plans to ask his psychiatrist about lowering the dose; we practiced what to say.', []],
  ['She asked me if she should double her dose; I explained I can\'t give medical advice and helped her call the nurse line.', []],
  ['Reviewed her WRAP and the warning signs she named herself.', []],
  ['Peer says "I\'m basically bipolar, that\'s what my mom always said."', []],
  ['PSS attended his psychiatric appointment with him for support.', []],
  ['Peer started IOP therapy at the county clinic Monday.', []],
  // dual +
  ['Peer Venmo\'d me $30 for lunch last week and I never paid it back.', ['dual-relationship']],
  ['PSS is renting her spare room to the peer for $400/mo.', ['dual-relationship']],
  ['Went to peer\'s house party Saturday night as a guest.', ['dual-relationship']],
  ['Specialist and peer kissed after the session.', ['dual-relationship']],
  ['Peer is now my Facebook friend.', ['dual-relationship']],
  // dual -
  ['Peer wanted to give me a card she made; accepted the handmade thank-you card per agency policy on gifts of no value.', []],
  ['Helped peer budget for a used car; she is saving $50 a week.', []],
  ['Peer asked if I could lend her $20; told her I can\'t and we called 211 together.', []],
  ['Agency car used for home visit; peer rode along to the pharmacy.', []],
  ['Peer is moving in with her boyfriend next month.', []],
  ['I gave the peer the program phone number and the warmline.', []],
  // self-disclosure +
  ['Facilitator used the whole group to talk about her own hospitalizations; members had no time to share.', ['self-disclosure'], 'group'],
  ['I went on about my own custody battle for most of our time; her court paperwork will have to wait.', ['self-disclosure']],
  // self-disclosure -
  ['Shared a short piece of my own story about my first meeting, then asked what she wants from meetings.', []],
  ['Most of the visit we worked on her resume; the budget will be next week.', []],
  // crisis +
  ['Peer said he is done and plans to overdose this weekend.', ['crisis-follow-up']],
  ['- member reported she OD\'d sat, narcan by roommate\n- topic: gratitude', ['crisis-follow-up'], 'group'],
  ['Pt stated "I don\'t want to live anymore." Discussed his garden.', ['crisis-follow-up']],
  ['She has been thinking about suicide every day this week.', ['crisis-follow-up']],
  // crisis -
  ['Peer stated she has had suicidal thoughts; safety plan completed with her and supervisor notified.', []],
  ['Pt said he would never kill himself because of his kids.', []],
  ['Group watched a video on overdose response and practiced with Narcan.', [], 'group'],
  ['Peer lost her cousin to suicide last year and is planning a memorial walk.', []],
  ['My own overdose in 2015 came up briefly when he asked; then we focused on his plan.', []],
  // confidentiality +
  ['Peer said her son Jayden was arrested on Friday.', ['confidentiality']],
  ['Her ex, Marco, just got out of prison.', ['confidentiality']],
  ['Wendy and Rosa both shared about their relapses.', ['confidentiality'], 'group'],
  // confidentiality -
  ['Peer loves her cat Whiskers and her job at Kroger.', []],
  ['Warm hand-off to Tasha, the intake nurse at Harbor Detox.', []],
  ['Peer (Jolene) reports 30 days sober and a new job.', []],

  // stress3
  ['D: Met Tasha at the Eastside Library. Tasha said she finished her GED practice test and scored 160 in math.\nA: Tasha is proud; her sister Renee drove her there.\nP: Next session Thurs at Eastside.', []],
  ['HV with Mr. Delgado. He reports his daughter Sofia started kindergarten and he walked her to school. He is 4 months sober and attends the Tuesday NA group at St. Luke\'s.', []],
  ['Outreach at Franklin Park. Pt asked about the Salvation Army shelter; walked him to the Harbor Light intake. Gave socks and a Narcan kit.', []],
  ['Group: Anger Management, 6 present. Topic: triggers at work. Members shared about bosses and traffic. Next week: Mindfulness.', [], 'group'],
  ['S: "I want to kill my landlord lol." Peer laughing about the broken heater.\nO: HV.\nA: Peer frustrated but coping.\nP: Help call the housing authority.', []],
  ['Peer said the new job is killing her back, 10 hr shifts. She wants a stool. We drafted a request to her manager Ms. Lopez.', []],
  ['Pt said he is dying to see his kids this weekend; custody visit approved by the court.', []],
  ['Peer asked about the side effects of Vivitrol. I gave her the pharmacy handout and she will ask her prescriber Thursday.', []],
  ['Specialist shared that she too was on methadone for years, then asked peer what her goals for treatment are.', []],
  ['Peer reports her psychiatrist increased her Abilify to 10mg; she feels calmer.', []],
  ['Pt mentioned his old cellmate got out and is doing well at a job.', []],
  ['I drove my own car to meet peer at the diner, where we reviewed her budget.', []],
  ['Peer gave me a thank-you card with a drawing; thanked her. No monetary value.', []],
  ['P: PSS will transport pt in agency vehicle to the SSA office.', []],
  ['Peer talked about her relapse last year and what she learned from it, for most of the session. I listened and reflected.', []],
  ['Peer denies thoughts of suicide or self-harm; says she feels hopeful about the new apartment.', []],
  ['Peer said her friend from NA overdosed last week and died; she is grieving and going to the funeral Saturday.', []],
  ['Peer shared in group that he lost his brother to an overdose two years ago.', [], 'group'],
  ['Peer said "I could kill for a coffee right now" and we laughed.', []],
  ['A: Assessment of peer\'s housing needs completed using the coordinated entry tool.', []],

  // stress4
  // ---- scope +
  ['HV. Pt said her lithium makes her thirsty all day. I told her she could take it every other night.', S],
  ['He asked what to do about the Seroquel hangover. I said just don\'t take it on work nights.', S],
  ['Peer wants to sleep better. I suggested Benadryl with her trazodone.', S],
  ['- pt asking if he can drink on vivitrol\n- told him a few beers won\'t hurt', S],
  ['Told pt he should go back on his Zoloft since he seems down.', S],
  ['PSS recommended she start taking fish oil and vitamin D for her depression.', S],
  ['I explained she can stop the Prozac whenever she wants because it\'s not addictive.', S],
  ['Peer felt the new med dose was too strong; I told her to go back to the old dose.', S],
  ['I let her know it is fine to take her Adderall later in the day so she can sleep.', S],
  ['PSS said she should ask the psychiatrist for Klonopin instead of the hydroxyzine.', S],
  ['I advised him to take his methadone dose split in two.', S],
  ['Writer instructed peer to hold her meds until she sees the doctor.', S],
  ['I told her she has classic signs of bipolar.', S],
  ['In my opinion peer is schizophrenic.', S],
  ['I think he\'s definitely got PTSD from the war.', S],
  ['PSS told peer she is an alcoholic and needs to admit it.', S],
  ['Did a therapy session with pt on her childhood trauma.', S],
  ['Used exposure techniques to treat her phobia of buses.', S],
  ['A: Pt is manipulative and drug seeking.', S],
  ['Writer\'s clinical impression: major depressive disorder, moderate.', S],
  ['Completed a mental status exam; pt oriented x3, affect flat.', S],
  ['PSS determined pt needs detox rather than outpatient.', S],
  // ---- scope -
  ['Pt said his doctor wants him to taper off the Klonopin over a month.', []],
  ['I told her I can\'t advise on meds and we called her psychiatrist\'s office together.', []],
  ['Peer has a new prescription for Lexapro from her PCP and started it today.', []],
  ['She asked if she could stop her meds; I encouraged her to talk to her prescriber first and helped her write questions.', []],
  ['Practiced grounding and breathing; peer said she felt calmer.', []],
  ['Peer says she was diagnosed with bipolar at 19 and has been stable for years.', []],
  ['Pt\'s psychiatrist changed his dose from 50 to 100mg.', []],
  ['A: Peer proud of 60 days; strengths: humor, faith, family.', []],
  ['We looked up therapists who take her insurance and she picked two to call.', []],
  // ---- dual +
  ['Lent pt my phone charger and $15 for the week.', D],
  ['Bought peer lunch at Applebee\'s with my own money.', D],
  ['Peer has my cell number and texts me most days.', D],
  ['I took her shopping for a dress for the party on my day off.', D],
  ['Peer came over to my house to watch the game Sunday.', D],
  ['PSS let pt sleep on his couch for two nights.', D],
  ['Peer paid me back the $50 I loaned her last month.', D],
  ['Peer and I are friends on Instagram now.', D],
  ['Pt asked me out and we went for coffee on Saturday.', D],
  ['Gave peer my old couch and TV for her apartment.', D],
  ['Peer cleaned my house for $60 on Saturday.', D],
  ['I drove pt to his court date in my car.', D],
  ['Peer gave me a $20 bill for gas and I took it.', D],
  ['Brought my kids over to play with peer\'s kids at her place on the weekend.', D],
  ['PSS and pt went to a Narcotics Anonymous dance together as each other\'s dates.', D],
  // ---- dual -
  ['Peer offered to buy me coffee; I thanked her and declined.', []],
  ['Used the agency van to take peer to the food bank.', []],
  ['Gave peer a $10 Walmart card from the incentive program per policy.', []],
  ['Peer talked about her girlfriend and their plans to move in together.', []],
  ['Attended pt\'s graduation; approved by supervisor in advance.', []],
  ['Peer asked for my personal number; I gave her the agency on-call number instead.', []],
  // ---- self-disclosure +
  ['I talked about my own recovery for most of the hour; peer\'s job application was not discussed.', SD],
  ['PSS went on and on about her own divorce; we never got to pt\'s housing issue.', SD],
  ['Spent the session telling peer about my time in prison, so we ran out of time for her court prep.', SD],
  ['The visit turned into me sharing my own struggles with depression; her goals were pushed to next week.', SD],
  ['Facilitator shared her own story for 45 minutes; no time left for member check-ins.', SD, 'group'],
  // ---- self-disclosure -
  ['I shared one sentence about my own relapse to show it happens, then we focused on her plan.', []],
  ['Peer spent the whole session talking about her divorce; I listened and reflected.', []],
  // ---- crisis +
  ['Pt said he\'s been feeling suicidal since losing his job. Helped with unemployment forms.', CR],
  ['Peer said she thinks about killing herself sometimes. Talked about her garden.', CR],
  ['Pt overdosed on fentanyl Friday; roommate called 911. Pt home now.', CR],
  ['She has been scratching her arms until they bleed. Will see her next week.', CR],
  ['Peer said she is tired of living and wants it to be over.', CR],
  ['He has been researching ways to end his life online.', CR],
  ['Pt said he plans to take all his pills tonight.', CR],
  ['Peer said she wrote goodbye letters to her kids last night.', CR],
  ['- pt reports SI w/ plan\n- f/u tues', CR],
  ['Peer said life is not worth living anymore. Reviewed budget.', CR],
  ['Pt nodded out in the bathroom Sunday and his brother had to give him Narcan.', CR],
  ['Peer said she wants to hurt herself when she gets like this. Talked about her kids.', CR],
  // ---- crisis -
  ['Pt reported SI; PSS completed a safety plan with pt and called the crisis line together.', []],
  ['Peer denies SI/HI, mood 7/10.', []],
  ['Peer\'s son overdosed last year; she is going to a grief group.', []],
  ['Suicide prevention training for staff scheduled next week.', []],
  ['Pt said the traffic is killing him.', []],
  ['Peer reports he overdosed in 2016 and that is why he got sober.', []],
  ['Asked pt if he had thoughts of suicide; he said no.', []],
  // ---- confidentiality +
  ['Peer said her husband Carl is drinking again and lost his job.', CO],
  ['Pt\'s friend Nina is pregnant and using heroin.', CO],
  ['Members present: Rafa, Deja, Tom.', CO, 'group'],
  ['Lou shared that he has HIV.', CO, 'group'],
  ['Her boyfriend Jake was arrested for DUI last night.', CO],
  // ---- confidentiality -
  ['Pt\'s mom is in the hospital; pt worried.', []],
  ['Linked pt with Marcy, the housing navigator at Hope Center.', []],
  ['Met Brenda at the library; Brenda is 6 months sober.', []],

  // stress5
  ['Video w/ pt. She hates the patch. I said she can just pull it off early each night.', S],
  ['Pt worried about drinking at the BBQ while on Antabuse. Told him if he skips it for 3 days beforehand he\'ll be fine.', S],
  ['- pt says gabapentin not helping\n- suggested doubling it at night', S],
  ['Peer has leftover Percocet from her surgery; I said it\'s ok to use them for her back pain.', S],
  ['I reassured pt that mixing her Lexapro with a little weed is harmless.', S],
  ['I told her to cut back to half a pill.', S],
  ['Pt\'s meds are making him sleepy. Advised him to take them in the morning instead of at night.', S],
  ['Peer asked about Vivitrol. I told him it\'s the best option for him and he should start it.', S],
  ['PSS said pt sounds manic and probably needs a mood stabilizer.', S],
  ['I explained to pt that his paranoia is a symptom of schizophrenia.', S],
  ['From what she described, I believe she is dealing with PTSD.', S],
  ['Writer provided grief counseling to pt after her mother\'s death.', S],
  ['Peer does not need inpatient per this writer\'s evaluation.', S],
  ["S: pt anxious.\nA: Generalized anxiety disorder, worsening.", S],
  // scope -
  ['She asked about taking melatonin; we called the pharmacist together and he said it was ok.', []],
  ['Pt\'s NP stopped his Seroquel last week.', []],
  ['I reminded him to take his meds as prescribed and helped him set a phone alarm.', []],
  ['Pt said she self-diagnosed with ADHD from TikTok; encouraged her to bring it up with her doctor.', []],
  ['Peer wants to come off methadone; supported her to ask her clinic about a taper plan.', []],
  ['Helped peer pick up her prescription at the pharmacy.', []],
  // dual +
  ['Pt needed $100 for the deposit so I covered it and he will pay me back.', D],
  ['Peer stayed the night at my sister\'s house after the eviction.', D],
  ['Peer and I go to the same church and sit together on Sundays; we have lunch after.', D],
  ['Gave peer a hug and kiss goodbye.', D],
  ['PSS offered to let pt work at her cleaning business for cash.', D],
  ['Peer bought me a coffee and a muffin; I accepted.', D],
  ['Peer DM\'d me on Facebook last night about her meeting.', D],
  ['I followed pt on TikTok.', D],
  ['PSS will pick up peer in PSS\'s car Saturday for a movie.', D],
  ['Peer is renting my basement apartment starting next month.', D],
  // dual -
  ['Peer tried to hand me $20 for my time; explained policy and she put it back.', []],
  ['Gave peer the program cell number for after-hours questions.', []],
  ['Met peer at the coffee shop near her work for our session.', []],
  ['PSS drove agency car to peer\'s home for the visit.', []],
  ['Peer asked me to be her sponsor; I explained the role and helped her find one at her meeting.', []],
  // self-disclosure +
  ['Most of our time was spent on my story about losing custody; her custody paperwork not done.', SD],
  ['I vented about my own week and my landlord for much of the session; pt didn\'t get to talk about her job.', SD],
  // self-disclosure -
  ['I mentioned that I also use a planner, then we set up hers.', []],
  ['Peer wanted to hear about how I got sober; I shared a few minutes and then asked about her plan.', []],
  // crisis +
  ['Pt said he has been thinking about driving his car into a tree.', CR],
  ['Peer said she has a bottle of pills saved up "just in case".', CR],
  ['Peer overdosed twice this week per his mom. Will follow up next week.', CR],
  ['Pt said "I just want it all to end." Talked about his dog.', CR],
  ['She burned herself with a lighter last night. Gave her bus tokens.', CR],
  ['Peer admits she has been thinking of ways to die.', CR],
  ['One member said he wants to kill himself tonight.', CR, 'group'],
  // crisis -
  ['Pt endorsed passive SI; writer completed C-SSRS with pt, low risk, and reviewed safety plan.', []],
  ['Peer discussed her dad\'s suicide 10 years ago and how she copes on the anniversary.', []],
  ['Pt said he would rather die than go back to jail, laughing; denies any thoughts of hurting himself.', []],
  ['Overdose awareness event planned for August; peer wants to volunteer.', []],
  ['Peer reports she overdosed; called 911 and stayed with her until EMS arrived.', []],
  ['He said he is dead tired after double shifts.', []],
  // confidentiality +
  ['Peer said his brother Manny was just diagnosed with cancer and is drinking heavily.', CO],
  ['Her daughter Lily is pregnant at 16.', CO],
  ['Rita talked about her abortion.', CO, 'group'],
  ['Attendees were Joe, Ana and Kim.', CO, 'group'],
  // confidentiality -
  ['Peer said her daughter got into college.', []],
  ['Peer introduced me to her new puppy, Max.', []],
  ['Referred peer to Lisa Chen, LCSW, at Bright Path Counseling; signed release on file.', []],

  // stress6
  ['D: Pt reports racing thoughts, no sleep x3 nights.\nA: Pt appears hypomanic; likely bipolar II.\nP: f/u Fri.', S],
  ['G: Less anxiety.\nI: PSS taught pt CBT thought records and assigned homework to challenge distortions.\nR: Pt engaged.\nP: Review homework.', S],
  ['I: Writer advised pt to stop taking the Ambien since it makes him sleepwalk.\nP: f/u', S],
  ['Pt asked about tapering off Suboxone. I told him most people do fine dropping 2mg a week.', S],
  ['Peer said her Depakote makes her shaky; I told her lots of people just take less and feel better.', S],
  ['- pt out of Klonopin till Mon\n- told her to use her husband\'s until refill', S],
  ['PSS told peer that she needs to be on an antidepressant.', S],
  ['I diagnosed him with social anxiety.', S],
  // scope -
  ['A: Peer presenting as calm and organized; she is proud of her new job.\nP: Continue.', []],
  ['Peer\'s psychiatrist thinks she has PTSD and started her on prazosin; peer relieved.', []],
  ['Pt wonders if he is bipolar; we wrote questions for his doctor.', []],
  ['PSS reminded peer not to skip doses and to call the clinic with side effect questions.', []],
  ['Helped peer read her pill bottle labels and set up a weekly pill box.', []],
  ['Peer practiced a breathing exercise she learned in DBT group at the clinic.', []],
  // dual +
  ['I picked up her groceries for her on my way home and she paid me back in cash.', D],
  ['Pt and I grabbed dinner after group, I paid.', D],
  ['She calls my cell when she can\'t sleep.', D],
  ['Peer wanted a job, so I hired him to help at my landscaping business on weekends.', D],
  ['Told pt he could stay with me until his check comes.', D],
  ['Peer gave me her old Xbox for my son and I took it.', D],
  ['PSS accepted a friend request from peer on Facebook.', D],
  ['Drove peer to the DMV in my personal vehicle.', D],
  ['Pt and I are dating.', D],
  // dual -
  ['Peer wanted to buy me lunch; I explained the gift policy and we split the bill at the agency cafe... no, we each paid our own.', []],
  ['Provided peer with a gas card from the agency per policy.', []],
  ['Peer talked about her new job at a landscaping business.', []],
  ['Peer stayed with her cousin over the weekend.', []],
  ['Peer asked if she could come to my house for Thanksgiving; I said no and we looked at community dinners.', []],
  // self-disclosure +
  ['I ended up telling pt all about my own rehab stays for most of the visit, so her SNAP renewal was not done.', SD],
  ['Session was mostly me describing my divorce; peer\'s concerns about her ex were not addressed.', SD],
  // self-disclosure -
  ['I shared briefly that I was also homeless once, to normalize it, then we worked on her application.', []],
  // crisis +
  ['Pt says she\'s had thoughts of ending her life; talked about her job search.', CR],
  ['Pt reported he overdosed yesterday; PSS gave him a Narcan kit.', CR],
  ['Peer texted "I\'m done, goodbye" last night; PSS called her this morning and she is ok.', CR],
  ['Member disclosed she is cutting again.', CR, 'group'],
  ['Pt has access to a gun and says nothing matters anymore.', CR],
  // crisis -
  ['Pt denied any thoughts of suicide or self-harm when asked.', []],
  ['Peer has been clean 2 years after her overdose in 2019.', []],
  ['Discussed warning signs of overdose and how to use Narcan; peer took a kit.', []],
  ['Peer said her heart is broken after the breakup but she has her sister and her meetings.', []],
  ['Pt reports SI; PSS called mobile crisis and stayed with pt until they arrived.', []],
  // confidentiality +
  ['Pt said her neighbor Donna is dealing drugs out of her apartment.', CO],
  ['Peer worried about his cousin Ray, who relapsed and is using meth.', CO],
  ['Attendance: Maria, Deshaun, Kelly, Bo.', CO, 'group'],
  // confidentiality -
  ['Peer\'s counselor, Ms. Green, will see her Tuesday for intake.', []],
  ['Pt lives on Oak Street near Lincoln Park.', []],
  ['Met with Teresa at her home. Teresa showed me the garden she planted.', []],
  // stress7
  // crisis +
  ['HV. Pt said no one would miss her if she was gone. We worked on her resume.', CR],
  ['- SI: yes, passive\n- helped w/ food stamps', CR],
  ['Peer feels hopeless and said she wants to go to sleep forever. Talked about her cat.', CR],
  ['He said he took too many of his sleeping pills on Saturday "to see what happens." Will call Fri.', CR],
  ['Pt fell out at the bus stop yesterday after using and someone hit him with Narcan.', CR],
  ['Peer has been punching walls and cutting her legs. She has a safety plan from the hospital.', CR],
  ['Pt stated he has thoughts of death most days. Discussed job leads.', CR],
  ['Peer told me she swallowed a bottle of Tylenol on Monday and didn\'t tell anyone.', CR],
  ['Peer reports suicidal ideation with a plan to use her pills. Reminded her of group tomorrow.', CR],
  ['Pt said he keeps thinking he\'d be better off not waking up. Will check in next week.', CR],
  ['Peer said her ex keeps texting her and she wants to die. Gave her DV hotline number.', CR],
  ['One attendee shared that she overdosed last weekend and is scared. Group offered support.', CR, 'group'],
  ['Peer: "I don\'t see the point in living." Peer tearful. Next visit Thurs.', CR],
  ['Client disclosed thoughts of self-harm after fight with mom. Discussed budgeting.', CR],
  // crisis -
  ['Peer disclosed SI; PSS reviewed the safety plan with her and she agreed to call 988 if it gets worse. Supervisor notified.', []],
  ['Pt said she feels like dying when she has to talk in front of people, laughing.', []],
  ['He joked that his boss will kill him if he is late again.', []],
  ['SI/HI: denied.', []],
  ['Peer is worried her son might overdose; we talked about Narcan and how to talk with him.', []],
  ['Peer attended the suicide loss survivors group for the first time.', []],
  ['Pt reports overdose last night; PSS called EMS and went with pt to the ED.', []],
  ['Pt reports thoughts of suicide; walked pt to the on-call therapist for a same-day assessment.', []],
  // dual +
  ['Peer dropped off a plate of cookies at my house.', D],
  ['Pt\'s been calling me at home on weekends.', D],
  ['I co-signed for her phone plan.', D],
  ['PSS bought pt a bus ticket home with her own money.', D],
  ['After the session we went to the mall together and I bought her earrings.', D],
  ['I let peer use my Netflix account.', D],
  ['Peer asked to borrow $20; I gave it to her.', D],
  ['Peer works for my husband now at his shop.', D],
  ['Invited pt to my daughter\'s birthday party.', D],
  ['Peer brought me flowers and I put them on my desk.', D],
  // dual -
  ['Peer asked to borrow $20; I said no and we went to the food pantry.', []],
  ['Peer gave me a thank-you note; thanked her.', []],
  ['Provided bus tokens per agency policy.', []],
  ['Peer is selling her old TV to her neighbor to make rent.', []],
  // scope +
  ['I told pt he doesn\'t need his Seroquel anymore now that he is sober.', S],
  ['Suggested peer cut down to one Xanax a day.', S],
  ['I told her it\'s probably her thyroid and she doesn\'t have depression.', S],
  ['PSS did CBT with peer around her panic attacks.', S],
  ['Pt shows signs of borderline personality disorder per my observation.', S],
  ['I recommended he go back on Suboxone.', S],
  // scope -
  ['Peer asked me what I thought about her new antidepressant; I said I\'m not a doctor and encouraged her to ask her psychiatrist.', []],
  ['Peer said she is taking her meds every day now.', []],
  ['Read the medication guide with peer and highlighted questions for her doctor.', []],
  // self-disclosure +
  ['Most of today\'s visit I talked about my own battle with alcohol. Didn\'t get to her resume.', SD],
  // confidentiality +
  ['Peer said her roommate Stacy got arrested for possession.', CO],
  ['Sam and Lila shared that they both relapsed this week.', CO, 'group'],
  // confidentiality -
  ['Pt\'s son Jake graduated high school; pt was proud.', []],

  // stress8
  ['Met pt at the diner on 5th, 45 min. He is 3 weeks into his new job at the warehouse and likes his supervisor. He mentioned the Suboxone makes him sweat at work. I told him plenty of people cut the strip in half and he could try that. We went over his budget for the month; he wants to save for a car. f/u Tues.', S],
  ['D: Pt reports feeling down since the holidays, sleeping 12 hrs.\nA: Pt meets criteria for seasonal depression per writer.\nP: Encourage light box; f/u.', S],
  ['Phone. Peer crying, said her boyfriend left. She said she has been thinking she would be better off dead and has her mom\'s pills. We talked about her job interview Thursday and what to wear. Call Fri.', CR],
  ['Outreach. Pt said he used alone in the tent last night and woke up with Narcan in his nose, someone found him. He was laughing about it. Gave socks and water. Back Mon.', CR],
  ['HV. Pt showed me her new apartment; she is proud. She asked if I could help her move her couch this weekend, so I\'ll bring my truck Saturday.', D],
  ['Video. Pt said she can\'t afford her phone bill; I sent her $40 on Cash App to cover it. We also practiced her interview answers.', D],
  ['Group note. 6 members. Topic: relapse triggers. Marty shared that he used meth Friday after his divorce hearing. Members offered support.', CO, 'group'],
  ['Met w/ pt at library. She wanted to talk about her court date. I told her about my own three DUIs and my time in county, which took up most of our hour. Court prep next time.', SD],
  // hard negatives of the README kinds
  ['Pt told me his history: 10 years using, 3 overdoses, prison, and getting clean in 2018. He is proud of his 5 years.', []],
  ['Group topic: what to do if someone overdoses. Practiced rescue breathing and Narcan.', [], 'group'],
  ['Pt\'s doctor diagnosed him with hepatitis C; he starts treatment next month and is nervous.', []],
  ['Pt asked if he should take his Suboxone earlier in the day; I encouraged him to ask his prescriber and we added it to his questions list.', []],
  ['Peer\'s sister is in rehab; peer worried about her.', []],
  ['Met with Keisha at the shelter. Keisha got her birth certificate today.', []],
  ['Peer gave me a hug at the end of the session; I thanked her.', []],
  ['PSS transported peer in the agency car to her MAT intake.', []],
  ['I mentioned briefly that I\'ve been sober 12 years, then we worked on her goals.', []],
  ['Pt is in a financial crisis after losing his job; we applied for emergency assistance.', []],
  ['Asked pt about thoughts of self-harm; pt said "no, I\'m good."', []],
  ['Assessment: Peer is resilient and resourceful, building a sober network.', []],
  ['Referred peer to Dr. Patel at the county clinic for a med evaluation.', []],
  ['Peer\'s cat Oliver is sick and she is worried about the vet bill.', []],
  ['Peer is going on a date with a man from her church; we talked about telling him she is in recovery.', []],
  ['Peer told her own story at the recovery rally for most of the afternoon.', []],
  ['I called the landlord, I drove to the office in the agency car, and I dropped off the forms.', []],
  ['Peer wanted to talk about her son\'s graduation for most of the visit; the budget can wait per peer.', []],
  ['Attended peer\'s NA anniversary with supervisor approval; left after the meeting.', []],
  ['Peer offered me a ride home; I declined and took the bus.', []],
  ['Gave peer a $5 coffee card from the program for her 30-day milestone per policy.', []],
];

describe('lintNote on paraphrases', () => {
  it.each(cases)('%s → %j', (text, categories, context) => {
    const found = [...new Set(lintNote(text, { context: context ?? 'one-on-one' }).map((f) => f.category))].sort();
    expect(found).toEqual([...categories].sort());
  });
});
