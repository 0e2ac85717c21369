import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';
import type { NoteContext } from '../rule-definition';

const disclosure = (text: string, context: NoteContext = 'one-on-one'): string[] =>
  lintNote(text, { context }).filter((f) => f.category === 'self-disclosure').map((f) => f.rule);

describe('SELF_DISCLOSURE_RULES', () => {
  it.each([
    ['most of the session, concern deferred', 'I spent most of the session telling her about my own divorce and custody fight. We never got to her housing form.'],
    ['at length, questions left', "PSS shared at length about PSS's own time in prison. Peer's job questions were left for next week."],
    ['a group hour taken', 'Facilitator talked about her own relapse for 40 minutes of the hour; members did not get to check in.'],
    ['mostly the specialist', 'Most of the visit was me talking about my years in the military; her benefits letter will wait.'],
    ['minutes of the hour, bullets', "- spent 45 min of the hour telling pt my own using story\n- didn't get to her housing app"],
    ['most of our time', 'I went on about my own custody battle for most of our time; her court paperwork will have to wait.'],
    ["the writer's current trouble, the peer's concern put off", "I told him I've been fighting with my husband every night and might move out. His budget will have to be next visit."],
    ['the roles reversed', 'I got emotional talking about my dad being sick and pt consoled me for a while.'],
    ['a detailed current relapse', 'Told her I relapsed over the holiday, what I drank, where, and who I was with.'],
    ['a third-person writer disclosing current use', 'Writer disclosed that she is drinking again most nights and has been hiding it from her sponsor, her family and her boss.'],
    ['terse minutes, concern tabled', "- PSS shared own hx of divorce ~25 min\n- pt's goals tabled"],
    ['the time filled with the writer’s life', "I filled the time talking about my vacation, my dog's surgery and my new car."],
    ['the peer asking how the writer is', "I was having a rough week with my back pain and told pt so; she spent the visit asking me how I was."],
    ["the peer offering to look after the writer", "Told her I'm shaky after a slip this weekend; she offered to drive me to a meeting."],
    ['own struggles discussed at length', 'PSS discussed own struggles with her teenage son at length; pt was supportive.'],
    ['a secret confided', 'Shared that I missed my own meetings this month and asked her to keep it between us.'],
    ['a saga gone into, the concern never got back to', 'Pt raised her court date and it reminded me of my own custody fight, so I went into the whole thing, hearings and all, for most of an hour. We never really got back to her court date.'],
    ["a story gone through, the peer's plan not made", "Pt asked how I handled birthdays sober and I went through every one of mine, my ex, my brother, my slip in 2019. Her plan for Saturday didn't get made."],
    ['a legal story told for most of the visit, the peer asked to wait', 'I ended up telling her about my DUI and the court dates for most of the visit. Her budget will have to wait.'],
    ['a story start to finish, the peer’s question left', 'Told him about my own relapse from beginning to end; his housing form had to wait.'],
  ])('flags %s', (_name, text) => {
    expect(disclosure(text, /group|members/.test(text) ? 'group' : 'one-on-one')).toEqual(['self-disclosure.dominating']);
  });

  it.each([
    ['a brief, purposeful share', 'I briefly shared that I also struggled with sleep in early recovery, then asked what has helped her.'],
    ['the peer telling her own story', 'Peer spent most of the session telling me about her own childhood and her first year sober.'],
    ["first-person actions", 'I called the housing office, I faxed her forms and I set a reminder for Tuesday.'],
    ["a concern deferred by the peer's choice", 'Peer wanted to spend the time on her new job, so the budget review moved to next week.'],
    ['a short share to open a group topic', 'Facilitator shared her own story in two sentences to open the topic, then members shared.'],
    ['a short share, then the focus back', 'I shared that I also lost my license once, then we focused on her DMV plan.'],
    ['the peer talking, the specialist listening', 'Pt talked for most of the call about his son; I listened.'],
    ['own medication named once, then back to the peer', 'I said I take medication for my own anxiety too, then we talked about what she wants to ask her doctor.'],
    ['a joint conversation about the peer', 'We talked about her son and her custody hearing for most of the visit.'],
    ["the writer's absence explained", "Told pt I'll be off Friday for my son's graduation; we rescheduled to Monday."],
    ['a list of program resources', 'I told him my supervisor approved the bus pass, the phone card and the food voucher. Goals next week.'],
    ['a list of what helped, purposeful', 'I told her my own diagnosis took time to accept, and that a group, walking and my sister helped me.'],
    ["the writer's car trouble", 'My car broke down so we met by video; her form is for next visit.'],
    ['a one-clause share, then her plan', "I explained that my own recovery began with a peer; she said she wants that too and we planned the Monday meeting, the Wednesday group and her intake."],
    ['the writer explaining the role', 'I explained my role, what goes in my notes, the limits of confidentiality and when I am available.'],
    ['the peer’s relapse story at length', 'Peer talked about her relapse last year and what she learned from it, for most of the session. I listened and reflected.'],
    ['a brief mention with a routine next step', 'I mentioned my mom also had knee surgery last spring. Pt said that helped. Next visit: the SNAP renewal.'],
    ['the peer going through her own story', 'Pt went through her whole history with her ex for most of the visit; we will get to the lease next time.'],
    ['the peer’s own story start to finish', 'Pt told me her whole story from start to finish; no time left for the budget, she chose to keep talking.'],
  ])('stays quiet on %s', (_name, text) => {
    expect(disclosure(text)).toEqual([]);
  });
});
