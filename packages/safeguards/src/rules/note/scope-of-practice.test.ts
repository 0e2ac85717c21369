import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';

/** The scope-of-practice rules that fire on a one-on-one note. */
const scope = (text: string): string[] => lintNote(text).filter((f) => f.category === 'scope-of-practice').map((f) => f.rule);

describe('SCOPE_OF_PRACTICE_RULES', () => {
  it.each([
    ['plain-words dose advice (issue 16)', 'Peer said the new pills make her dizzy. I told her to take half a pill at night until she feels steady.', 'scope.medication-advice'],
    ['halving in plain words', 'She says the pill makes her foggy, so I told her to cut it in half for a while.', 'scope.medication-advice'],
    ['stopping, with the drug in the sentence before', 'Pt hates how the Seroquel makes him sleep all day. Told him he can just quit it.', 'scope.medication-advice'],
    ['doubling on bad days', 'PSS advised peer to double her Zoloft on bad days.', 'scope.medication-advice'],
    ['an interaction called safe', 'I said a few beers with his gabapentin is fine.', 'scope.medication-advice'],
    ['a supplement instead of the prescription', 'Recommended she try melatonin instead of the trazodone.', 'scope.medication-advice'],
    ['a taper schedule', 'He wants off methadone by summer; I told him to drop 10mg a week.', 'scope.medication-advice'],
    ['naming the drug to ask the doctor for', 'Encouraged peer to ask her PCP for Xanax.', 'scope.medication-advice'],
    ['a diagnosis said to the peer', 'I told him it sounds like he has PTSD from the accident.', 'scope.diagnosing'],
    ["the writer's own diagnostic opinion", 'Writer believes peer has borderline personality disorder.', 'scope.diagnosing'],
    ['a label for sure', 'She cries every day since the baby came; I told her this is postpartum depression for sure.', 'scope.diagnosing'],
    ['therapy delivered as the specialist’s act', 'PSS did a CBT session on his negative thoughts about work.', 'scope.therapy'],
    ['EMDR led by the specialist', 'Specialist led peer through EMDR tapping on the car accident memory.', 'scope.therapy'],
    ['a mental-status assessment', 'A: Pt appears delusional with poor insight.', 'scope.clinical-language'],
    ['deficit language', 'Peer was noncompliant with meds again and is decompensating.', 'scope.clinical-language'],
    ['a level-of-care decision', 'Writer determined he needs inpatient and told him so.', 'scope.clinical-language'],
    ['the treatment the peer needs', 'Told her she needs to go to rehab this month.', 'scope.treatment-advice'],
    ['shorthand: skip it on weekends', '- pt c/o nausea from naltrexone\n- advised her to skip it on weekends', 'scope.medication-advice'],
    ['every other day instead', "S: \"My Abilify makes me shaky.\"\nA: Writer suggested taking it every other day instead.", 'scope.medication-advice'],
    ['a drink with a benzodiazepine', 'Told pt its ok to take his Klonopin w/ a drink or two.', 'scope.medication-advice'],
    ['"does not need it"', "Peer asked about coming off Wellbutrin. I said she doesn't really need it anymore.", 'scope.medication-advice'],
    ['restarting on his own', 'I reassured him that he could restart his Suboxone at the old dose on his own.', 'scope.medication-advice'],
    ["the specialist's own pills", 'Gave pt two of my own Tylenol 3s for his back.', 'scope.medication-advice'],
    ['an unregulated substance recommended', 'I recommended kratom to help with his withdrawal.', 'scope.medication-advice'],
    ['"clearly has"', 'pss explained that she clearly has OCD based on the hand washing', 'scope.diagnosing'],
    ['"I think he is"', 'Honestly I think he is bipolar.', 'scope.diagnosing'],
    ['"assessed as having"', 'This specialist assessed peer as having severe depression.', 'scope.clinical-language'],
    ['trauma therapy conducted', 'Conducted a trauma-focused therapy session with peer at her kitchen table.', 'scope.therapy'],
    ['an objective mental-status line', 'O: Peer disheveled, affect blunted, thought process tangential.', 'scope.clinical-language'],
    // Plain-words advice in other shapes: any medication from the specialist's own supply, a schedule
    // walked through, a reply by text, stretching a short supply, an interaction called harmless.
    ["the specialist's own supply of a named drug", 'Gave her two of my spare clonazepam to get through the weekend.', 'scope.medication-advice'],
    ['a taper mapped out', 'Mapped out a taper with him: 2mg less every week until he is off the Klonopin.', 'scope.medication-advice'],
    ['a reply by text', 'She is flat on the Abilify. Texted back that she could try skipping it on weekends.', 'scope.medication-advice'],
    ['stretching a short supply', 'Pt got a 5-day librium script. Told him he can stretch it over two weeks.', 'scope.medication-advice'],
    ['an interaction called harmless', "Pt asked if she can drink on her Antabuse. I said a beer or two won't interact with it.", 'scope.medication-advice'],
    ['a supplement recommended', 'Pt asked about ashwagandha for stress; I recommended she try it.', 'scope.medication-advice'],
    ['therapy worked through as the writer', 'Worked through her cognitive distortions with a thought record.', 'scope.therapy'],
    ['over-the-counter dosing in plain words', 'Pt has a toothache; suggested alternating ibuprofen and Tylenol every 3 hours until the dentist.', 'scope.medication-advice'],
    ['a trauma narrative as the writer\'s act', 'Had pt write a trauma narrative about the crash with me so we can process it next week.', 'scope.therapy'],
    ['a timing change with the doctor waved off', 'Pt says Lexapro keeps her up; told her to take it at night with her dinner instead, no need to call the doctor.', 'scope.medication-advice'],
    ['a physical diagnosis from lab numbers', 'Told pt his sugar readings sound like diabetes and he needs to cut out soda.', 'scope.diagnosing'],
    ["stopping called ok", "Pt has been off her Depakote a week. I said that's ok if she feels fine.", 'scope.medication-advice'],
    ['one drug called better', 'Pt asked which is better for sleep, Ambien or trazodone; I said Ambien works better.', 'scope.medication-advice'],
    ['screening scores interpreted', 'PSS gave pt the PHQ-9 and interpreted the results for her.', 'scope.clinical-language'],
    ['a diagnosis named as the writer\'s act', 'I diagnosed pt with an adjustment disorder.', 'scope.diagnosing'],
    ["the writer's own label in quotes", 'I told her "you definitely have ADHD, that explains everything."', 'scope.diagnosing'],
  ])('flags %s', (_name, text, rule) => {
    expect(scope(text)).toContain(rule);
  });

  it.each([
    ["a clinician's diagnosis relayed (issue 16)", 'Her psychiatrist diagnosed PTSD last spring; she wants to learn more about it.'],
    ["the doctor's opinion, per peer", 'Pt says his doctor thinks he has ADHD and wants to test him.'],
    ['a dose question taken to the prescriber', 'Peer asked whether she should cut her pill in half; I said that is a question for her prescriber and we called the pharmacy together.'],
    ["the writer's own medication, named to destigmatise", 'I said I take medication for my own anxiety and it has helped me; she wants to ask her doctor about options.'],
    ['a taper wish written up for the prescriber', 'He wants to stop his methadone. We wrote down questions for his prescriber about tapering.'],
    ['a strengths-based Assessment heading', 'D: Peer found a new apartment.\nA: Peer is motivated and resourceful; strengths include humor and persistence.\nP: Help with moving Friday.'],
    ['a housing assessment', 'Housing assessment completed; peer eligible for rapid rehousing.'],
    ['a coping skill taught', 'Taught box breathing; peer practiced twice and said it helped.'],
    ['the peer naming her own condition', 'Peer described herself as a PTSD survivor and wants a veterans support group.'],
    ['the group reminded where dose questions go', 'Facilitator reminded members that medication changes are for their prescriber.'],
    ["the therapist's recommendation relayed", "Peer's therapist recommended DBT; PSS helped her find the group schedule."],
    ['advice refused', 'I did not give any advice about his meds; he will talk to his doctor Monday.'],
    ['a dose change by the doctor', 'Peer said the doctor lowered her dose last week and she feels better.'],
    ['a start by the clinic', 'Pt reports the clinic started him on Suboxone; he is hopeful.'],
    ["the peer's own worry, taken to the PCP", 'Peer worries she has bipolar like her mom; we made a list of questions for her PCP.'],
    ["the specialist's own diagnosis in a brief share", 'I mentioned briefly that my own ADHD made school hard, then asked about her classes.'],
    ['an interaction question sent to the pharmacist', 'Pt asked if he can drink on his meds; told him to ask the pharmacist and we called together.'],
    ["the prescriber's taper relayed", 'Peer says her prescriber is tapering her off Klonopin, 0.5mg less each week.'],
    ["the peer's own stop, written up for the psychiatrist", 'She stopped her Zoloft on her own last month; we wrote down what happened for her psychiatrist.'],
    ["a clinician's stop relayed", 'Peer said her doctor told her to stop the Lamictal because of a rash.'],
    ['a dose question answered with the nurse line', "She asked me if she should double her dose; I explained I can't give medical advice and helped her call the nurse line."],
    ['a diagnosis from discharge papers', 'Pt diagnosed with diabetes at the ED per discharge papers.'],
    ["the peer's own words in quotes", "Peer says \"I'm basically bipolar, that's what my mom always said.\""],
    ['attending an appointment for support', 'PSS attended his psychiatric appointment with him for support.'],
    ['a housing-needs assessment heading', "A: Assessment of peer's housing needs completed using the coordinated entry tool."],
    ['a side-effect handout and the prescriber', 'Peer asked about the side effects of Vivitrol. I gave her the pharmacy handout and she will ask her prescriber Thursday.'],
    ['a naloxone kit from the writer', 'Handed him one of my narcan kits and showed him how to use it.'],
    ['an interaction question sent to the pharmacist', 'Pt asked if she can take Benadryl with her Seroquel. Told her to ask her pharmacist.'],
    ['a coping skill practised', 'Practiced box breathing together when she felt panicky.'],
    ["the peer's thought record with her therapist", 'Pt worked through a thought record with her therapist and showed it to me.'],
    ['a reply by text about the appointment', 'Pt is out of Abilify. Texted back that her refill is ready at the pharmacy.'],
    ["a doctor's physical diagnosis relayed", 'Pt said her doctor told her she has type 2 diabetes; we looked up a cooking class.'],
    ["a calendar for the doctor's taper", 'Pt said her doctor wants her to stop Xanax slowly; we made a calendar for the taper her doctor wrote.'],
    ["the peer's own label in quotes", 'Pt said "I\'m pretty sure I have ADHD, I can\'t finish anything." Encouraged her to bring it to her PCP.'],
  ])('stays quiet on %s', (_name, text) => {
    expect(scope(text)).toEqual([]);
  });
});
