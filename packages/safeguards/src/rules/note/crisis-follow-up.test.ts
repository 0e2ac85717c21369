import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';
import type { NoteContext } from '../rule-definition';

const crisis = (text: string, context: NoteContext = 'one-on-one'): boolean =>
  lintNote(text, { context }).some((f) => f.rule === 'crisis.no-follow-up');

describe('CRISIS_FOLLOW_UP_RULES', () => {
  it.each([
    ['thoughts of ending his life', 'Peer said he has been thinking about ending his life this week. Talked about his job search.'],
    ['a recent overdose revived by a friend', 'Pt reports she overdosed Tuesday and was revived by a friend. Will call next week.'],
    ['a member’s self-harm in a group note', 'Coping group, 6 present. One member shared that she cut herself last night. Topic: sleep.', 'group'],
    ['wanting to die, giving belongings away', 'Peer said she wants to die and has been giving her things away. Helped with the SNAP form.'],
    ['"SI" reported', 'Pt endorses SI since the breakup. Reviewed bus schedule.'],
    ['"not wake up"', 'She said some nights she hopes she will not wake up. We worked on her resume.'],
    ['a plan with lethal means', 'Pt said he keeps thinking about using his gun on himself. Will follow up Thursday.'],
    ['"kms" in bullets', '- pt says he wants to kms\n- f/u mon'],
    ['all her pills', 'Peer texted that she took all her pills last night. Will check in tomorrow.'],
    ['a plan to hang', 'Pt said she has a plan to hang herself this weekend.'],
    ['"better off dead" in quotes', "He said \"I'd be better off dead.\" Discussed job leads."],
    ['cutting again', 'Pt has been cutting again, showed fresh marks on arm.'],
    ['a planned overdose', 'Peer said he is done and plans to overdose this weekend.'],
    ["\"I don't want to live anymore\"", "Pt stated \"I don't want to live anymore.\" Discussed his garden."],
    ['a farewell message in single quotes', "Pt messaged me 'tell my son I love him' at 2am. Will see her Monday."],
    ['a firearm kept at hand', 'He has been sleeping with a loaded pistol by the bed since the layoff. Talked about his garden.'],
    ['affairs put in order', 'She has been putting her affairs in order and gave the dog to her neighbor. Reviewed bus routes.'],
    ['found not breathing', 'Pt used fentanyl Sunday and his roommate found him unresponsive. Discussed his work schedule.'],
    ['a swerving thought', 'Pt keeps thinking about veering into oncoming traffic on the way to work.'],
    ['a method researched', 'He said he has been googling how much of his insulin it would take. Discussed his bills.'],
    ['no point, after a conditional', "Pt said if she loses the apartment there's no point anymore. Helped with the rent form."],
    ['standing on a ledge', 'Peer said she sat on the ledge of the parking garage roof last night. Worked on her budget.'],
    ['joining the deceased', 'Peer says her late mother keeps telling her to come join her. Discussed her lease.'],
    ["found blue by someone else", 'Her roommate found her blue on the couch Saturday. Today we worked on her resume.'],
    ['"whats the point of anything"', "Pt texted 'whats the point of anything' last night. Will call Monday."],
    ['others better without her', 'Pt says her family would be better without her. Worked on the lease form.'],
    ['passive thoughts of not wanting to be around', 'Peer reports thoughts of not wanting to be around lately. Next visit Monday.'],
    ['an overdose in progress', 'Found pt slumped on the bench, lips blue. Left a flyer and said I would come back tomorrow.'],
    ["a relative's revolver at hand while low", "Pt said she is done with everything and has her uncle's old revolver in the closet."],
    ['an ingestion to make it stop', 'Peer took a handful of her Ativan last night to make it all stop. We worked on her budget.'],
    // Indirect indicator families: indifference to surviving, not expecting to be alive, a near-fatal or deliberate use, farewells.
    ['indifference to waking', 'Pt said he doesn\'t care if he wakes up tomorrow. We talked about the bus schedule.'],
    ['not expecting to be alive', 'She told me she probably won\'t be around for her birthday in March. Next visit Friday.'],
    ['a near-fatal use', "He said he nearly overdosed Saturday and 'barely made it back.' Will call next week."],
    ['a use meant to harm', 'Pt says she has been drinking on top of her Klonopin on purpose. F/u Tues.'],
    ['an ingestion meant not to face tomorrow', 'Peer said she had swallowed enough of her trazodone to not have to face the morning. Call ended.'],
    ['farewell videos "for when she\'s gone"', "Pt said she recorded videos for her sons for when she's gone. Talked about her garden."],
    ["belongings given away since she won't need them", "Pt gave her guitar and her good coat to her cousin this week, said she won't need them."],
    ['indifference to the last use', "Pt said he used alone again and didn't care if it was the last time. Gave him socks."],
    ['means kept in case it gets bad', "Pt is keeping her leftover tramadol in a drawer in case things get too hard. Next visit Tues."],
    ['"what is the point"', "Pt said 'what is the point of any of it' and cried. Will call next week."],
    ['an apology for not being better', "Pt messaged 'sorry I was never good enough for any of you' at 3am. Will see her Friday."],
    ['breathing slow, barely responding', 'Found pt slumped in the stairwell, barely responding and breathing slow. Left a flyer.'],
    ['coping skills only', 'Pt said he wants to end it. Talked about coping skills and his dog.'],
    ['hopelessness about going on', 'Pt feels hopeless and says there is no reason to keep going. Will see Monday.'],
    ['no future seen', 'Pt stated she does not see a future for herself. Next appt Friday.'],
    ['a burden to the family', 'He said he is a burden to his kids and they would manage fine. Helped with SNAP.'],
    ['ready to die', "Pt said she's ready to die, she has made peace with it. Discussed her dog."],
    ['wishing to vanish', 'Pt said she wishes she could just disappear. Discussed budget.'],
    ['a rope bought', 'Pt said she bought a rope last week. We worked on her resume.'],
    ['pills kept "just in case"', "He keeps a bottle of his dad's old oxy 'just in case.' Next visit Tues."],
    ['a car left running in the garage', 'Pt said she has been sitting in the garage with the car running. We talked about her lease.'],
    ['a farewell post', "Pt posted on FB 'sorry for everything, love you all' last night. Will call tomorrow."],
    ['a large ingestion counted in pills', 'Pt said she took 20 of her sleeping pills Tuesday night and woke up Wednesday afternoon. Worked on job apps.'],
    ['planning how to end it (not a teaching "how to")', 'Pt was planning how to end it and picked a date. Next visit Fri.'],
  ])('flags %s', (_name, text, context?: string) => {
    expect(crisis(text, (context as NoteContext | undefined) ?? 'one-on-one')).toBe(true);
  });

  it.each([
    ['"denies SI" (issue 16)', 'Pt denies SI. Working on his resume.'],
    ['"we called 988 together and reviewed her safety plan" (issue 16)', 'Peer said she has had thoughts of suicide. We called 988 together and reviewed her safety plan.'],
    ['a "housing crisis" (issue 16)', 'Pt in a housing crisis after the fire; we called the Red Cross together.'],
    ['a prevention topic', 'Topic: suicide prevention and how to support a friend.', 'group'],
    ['an idiom', "She's killing it at her new job and is dying to tell her mom."],
    ["the specialist's own past", 'I shared that I attempted suicide years ago, then asked what keeps her going.'],
    ['history', 'Pt has a history of overdose in 2017; 6 years sober now.'],
    ['asked and denied', 'Asked about thoughts of self-harm; peer said no.'],
    ["another person's overdose", 'Peer said his brother overdosed last month and he is grieving.'],
    ["a late spouse's club", "Pt wants to join her late husband's bowling league to meet people."],
    ['nodding along', 'Pt kept nodding along in agreement while we planned his week.'],
    ['naloxone handed out', 'Gave Narcan kit and overdose education at the camp.'],
    ['SI with a supervisor and a hand-off', 'Peer disclosed passive SI; consulted my supervisor and made a warm handoff to the on-call clinician.'],
    ['an overdose with a same-day referral', 'He overdosed Sunday. Connected him same day to the bridge clinic for an induction.'],
    ['mobile crisis called', 'Pt said he has thoughts of suicide. PSS stayed with pt and called mobile crisis, who arrived within the hour.'],
    ['a negative screen', 'Screened for SI: negative.'],
    ['"No SI/HI"', 'No SI/HI reported.'],
    ['"would never"', 'Pt said he would never kill himself because of his kids.'],
    ['a loss to suicide', 'Peer lost her cousin to suicide last year and is planning a memorial walk.'],
    ['a joke about a landlord', 'S: "I want to kill my landlord lol." Peer laughing about the broken heater.'],
    ["a friend's overdose", 'Peer said her friend from NA overdosed last week and died; she is grieving.'],
    ['indifference to a game', 'Pt said he doesn\'t care if the Bears win tonight.'],
    ['away for a court date', "Pt said he won't be around next week because of his court date."],
    ['enough classes', 'She said she took enough classes to graduate.'],
    ["a friend's near-fatal use", "Pt said her friend almost didn't make it after using alone; pt is scared for him."],
    ['a figure of speech clarified and denied', "Pt texted she wanted to 'jump off a bridge' over the rent. I asked if she meant it; she said no. Denies thoughts of hurting herself."],
    ['an indicator with a plan asked about', "Pt said she's thought about not waking up. Asked directly if she has a plan; she said no and we made a safety plan."],
    ['a supervisor reached out to', 'Pt said she wants to die. Reached out to my supervisor right after the visit and we set a check-in.'],
    ['the ER on the peer’s agreement', 'Pt said he has thoughts of ending his life. Pt agreed to go to the ER; I drove him in the agency car and stayed until he was seen.'],
    ['a bridge clinic visited together', 'Pt said she overdosed Saturday. We went together to the bridge clinic and she started buprenorphine.'],
    ['a past attempt, still here', 'Pt said she attempted suicide in 2014 and is glad she is still here, 5 years sober.'],
    ['medication kept in case the pharmacy closes', 'Pt keeps two extra days of her meds in case the pharmacy is closed on the holiday.'],
    ['an apology for lateness', 'Pt said sorry she was late, the bus broke down.'],
    ['a rope for a swing', 'Pt bought a rope for the tire swing in her backyard.'],
    ['water kept just in case', 'Pt keeps a bottle of water in the car just in case.'],
    ['a weekend away', 'Pt wishes she could disappear for a weekend at the lake.'],
    ['an apology with amends', 'Pt said she is sorry for everything she put her mom through and wants to make amends.'],
    ['no future at a job', 'Pt does not see a future at that warehouse job and wants to apply elsewhere.'],
    ['pills counted as prescribed', 'Pt said she took 12 of her pills over the week as prescribed.'],
    ['an idiom of laughter', "Pt is ready to die laughing at her grandson's jokes."],
    ['a burden about rides', 'Pt says she feels like a burden when she asks her neighbor for rides. We looked at the paratransit form.'],
    ['a group topic on planning', 'Topic: planning how to handle cravings at family events.', 'group'],
  ])('stays quiet on %s', (_name, text, context?: string) => {
    expect(crisis(text, (context as NoteContext | undefined) ?? 'one-on-one')).toBe(false);
  });

  it('trusts crisis actions documented in the record', () => {
    expect(lintNote('Peer said she wants to die.', { crisisDocumented: true })).toEqual([]);
  });
});
