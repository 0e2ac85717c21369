import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';
import type { NoteContext } from '../rule-definition';

const named = (text: string, context: NoteContext): string[] =>
  lintNote(text, { context }).filter((f) => f.category === 'confidentiality').map((f) => text.slice(f.start, f.end));

describe('CONFIDENTIALITY_RULES', () => {
  it.each([
    ['a relative with her relapse', 'Peer said her cousin Marisol relapsed and is back in detox.', 'one-on-one', 'Marisol'],
    ['a neighbour with his arrest', "Pt's neighbor, Mr. Hollis, was arrested for a DUI on Friday.", 'one-on-one', 'Mr. Hollis'],
    ['a roommate with her pregnancy', 'Her roommate Kay is pregnant and using again.', 'one-on-one', 'Kay'],
    ['an attendance list', 'Attendance: Priya, Tomasz, Jessamyn.', 'group', 'Priya'],
    ['a member and what he shared', 'Marcus shared that he is on probation again.', 'group', 'Marcus'],
    ['a son with an arrest', 'Peer said her son Jayden was arrested on Friday.', 'one-on-one', 'Jayden'],
    ['an ex with prison', 'Her ex, Marco, just got out of prison.', 'one-on-one', 'Marco'],
    ['two members sharing relapses', 'Wendy and Rosa both shared about their relapses.', 'group', 'Wendy'],
    ['a list that attended', 'Gwenda, Arlo and Bex attended tonight.', 'group', 'Arlo'],
    // Relations in shorthand, private information by concept class (health, legal, money).
    ['a cellmate with a liver disease', 'Pt said her cellmate Dora has hepatitis C and refuses treatment.', 'one-on-one', 'Dora'],
    ['a bunkie with a warrant', 'Peer mentioned his bunkie Ray picked up a new warrant.', 'one-on-one', 'Ray'],
    ['a sponsee with a child-welfare case', 'Her sponsee Odette lost custody after CPS came.', 'one-on-one', 'Odette'],
    ['initials after a relation', "Pt's son DJ got arrested Friday for possession.", 'one-on-one', 'DJ'],
    ['a hyphenated name', 'His housemate Mary-Kate is detoxing at home.', 'one-on-one', 'Mary-Kate'],
    // The name refers back: to a relation named in the sentence before, or to a name introduced earlier.
    ['a relation named in the sentence before', 'Pt vented about his sponsor. Said Lenny has been drinking again on weekends.', 'one-on-one', 'Lenny'],
    ['a name introduced earlier', 'Pt brought her boyfriend Teo to the visit. Later she said Teo is on parole.', 'one-on-one', 'Teo'],
    // The note names the peer; another name is the subject of a private clause.
    ['a friend in street words', 'Pt said his buddy Marco got violated on probation last week.', 'one-on-one', 'Marco'],
    ["the peer's work supervisor", 'Pt said her supervisor Dale shows up hungover and smells like weed.', 'one-on-one', 'Dale'],
    ['a cousin in shorthand', 'Pt says cuz Rel ODd Friday and is in the ICU.', 'one-on-one', 'Rel'],
    ['a member disclosing at the start of a sentence', 'Dawn disclosed she is HIV positive.', 'group', 'Dawn'],
    ['someone from a crew with sex work', 'Pt said Ramona from his old crew is turning tricks for her habit.', 'one-on-one', 'Ramona'],
    ['an aunt committed', 'Pt said her aunt Bernie was committed to the state hospital.', 'one-on-one', 'Bernie'],
    ['a name in brackets after a relation', "Pt's roommate (Jess) got picked up on a warrant Tuesday.", 'one-on-one', 'Jess'],
    ['a name after "a guy named"', 'Pt said a guy named Tito at the shelter has hep C.', 'one-on-one', 'Tito'],
    ['someone from a shared place', 'Pt ran into Keisha from her old IOP, who said she has been shooting up again.', 'one-on-one', 'Keisha'],
    ['an apposition naming the relation', 'Pt said Bree, the girl in the next bed, is detoxing hard.', 'one-on-one', 'Bree'],
    ['a relation as a title, violence', 'Pt said Uncle Jimmy drinks every night and gets violent with her aunt.', 'one-on-one', 'Jimmy'],
    ['treatment by its drug name', "Pt's friend Jo started Suboxone last month and is doing great.", 'one-on-one', 'Jo'],
    ['a pronoun that refers back to the named relation', 'Her cousin Dee stopped by; she is back on heroin.', 'one-on-one', 'Dee'],
    ['another client by name', 'His neighbor Rhonda, another client here, talked about her own relapse.', 'one-on-one', 'Rhonda'],
    ['a relation in brackets after the name', 'Pt reports that Keon (housemate) was arrested Friday.', 'one-on-one', 'Keon'],
    ['an initial in brackets after a relation', "Pt's sponsee (R.) relapsed over the weekend.", 'one-on-one', 'R.'],
    ['an in-law', "Pt's sister-in-law Bea got a DUI.", 'one-on-one', 'Bea'],
    ['the one the peer worries about', 'Pt is worried about Jake, he has been drinking again.', 'one-on-one', 'Jake'],
    ['the one the peer is angry with', 'Pt is mad at Luis for using in the apartment.', 'one-on-one', 'Luis'],
    ['the one the peer talks about', 'Pt said Tina moved in and is using again.', 'one-on-one', 'Tina'],
    ['a named roommate in AA', "Pt's roommate Sal is in AA too and they go to meetings together.", 'one-on-one', 'Sal'],
    ['a second name with money troubles', 'Phone call with Maribel. She said Tasha is behind on rent and might get evicted.', 'one-on-one', 'Tasha'],
    ['a relation named with a copula', "Pt's cellmate was Dorian, who is back in jail for a violation.", 'one-on-one', 'Dorian'],
  ])('flags %s', (_name, text, context, name) => {
    expect(named(text, context as NoteContext)).toContain(name);
  });

  it.each([
    ["the peer's own name", 'Met with Carla at her apartment; Carla got the job at the bakery.', 'one-on-one'],
    ['a provider in a referral', 'Referred peer to Dr. Okafor at Riverside Clinic; release signed.', 'one-on-one'],
    ['a pet', 'Her dog Biscuit is a big comfort since the surgery.', 'one-on-one'],
    ['a relationship without a name', "Peer's sister is using again and asked to stay with her.", 'one-on-one'],
    ['a generic member', 'One member shared that she is pregnant and nervous.', 'group'],
    ['a program and a street', 'Met at Hope House on Maple St. to fill out the intake.', 'one-on-one'],
    ['a named relative with nothing private', 'Peer is excited to visit her sister Dana in June.', 'one-on-one'],
    ['a provider hand-off', 'Warm hand-off to Tasha, the intake nurse at Harbor Detox.', 'one-on-one'],
    ["the peer's name in brackets", 'Peer (Jolene) reports 30 days sober and a new job.', 'one-on-one'],
    ['capitalised group topics', 'Group: Anger Management, 6 present. Next week: Mindfulness.', 'group'],
    ["the peer, his daughter's school", 'HV with Mr. Delgado. He reports his daughter Sofia started kindergarten and he walked her to school.', 'one-on-one'],
    ["the peer's own surgery beside a named friend", "Pt's friend Lisa drove her to the hospital for pt's surgery.", 'one-on-one'],
    ['a pet named', 'Pt named her new puppy Luna and is walking her twice a day.', 'one-on-one'],
    ["a pronoun that refers back to the peer", 'Pt and her son Jaylen came to the visit. Pt said she is 6 months sober and Jaylen is doing well in school.', 'one-on-one'],
    ["the peer's own eviction beside a named friend", 'Pt brought her friend Tasha to the food bank; pt is worried about her own eviction.', 'one-on-one'],
    ['a facilitator named in a group note', 'Facilitator Kim led the session on boundaries; members practiced saying no.', 'group'],
    ['a case manager named with the peer’s court date', "Met pt with her case manager Tonya; Tonya said pt's court date moved.", 'one-on-one'],
    ["the peer's own sobriety after a coordinated predicate", 'Pt lives with Tina and is 60 days sober.', 'one-on-one'],
    ['a doctor the peer talks about', 'Pt said Dr. Fitch tapered his methadone last month and he feels good.', 'one-on-one'],
    ['the one the peer worries about, nothing private', 'Pt is worried about Jake, he has a job interview Monday.', 'one-on-one'],
    ['a second name with nothing private', 'Phone call with Maribel. She said Tasha is excited about her new job.', 'one-on-one'],
    ["the peer's own name as the subject", 'Met with Rosalind at the library. Rosalind is on probation and wants to finish it clean.', 'one-on-one'],
    ['a hyphenated program name', 'Pt went to Nar-Anon after her brother relapsed.', 'one-on-one'],
    ['a named relation with a neutral plan', 'Pt talked about his sister. Said Bea is visiting from Ohio next week.', 'one-on-one'],
    ['"Others" opening a sentence', 'Pain group, 7 present. Others described what flare-ups do to their sleep and mood.', 'group'],
    ['"People" opening a sentence', 'Anxiety group, 5 present. People admitted they skip meds when money is tight.', 'group'],
    ["the peer described in a who-clause", 'Phone check-in with Loretta, who is afraid her grandson is using again.', 'one-on-one'],
    // Closed-class words and drug slang capitalised: no one named.
    ['"Another" opening a group member\'s sentence', 'Relapse prevention group, 5 present. One member said his brother is in detox. Another said she got her 90-day chip.', 'group'],
    ['a question word capitalised in a quoted title', 'Members planned next week\'s topic, "Who can I call at night", and one member said her mom is in the hospital.', 'group'],
    ['a weekday abbreviation with its period', 'Pt said her sponsor is out of town until Sat. and she is going to a meeting with her cousin.', 'one-on-one'],
    ['drug slang capitalised', "Pt said Xans were going around his building and his neighbor got arrested for selling.", 'one-on-one'],
  ])('stays quiet on %s', (_name, text, context) => {
    expect(named(text, context as NoteContext)).toEqual([]);
  });
});
