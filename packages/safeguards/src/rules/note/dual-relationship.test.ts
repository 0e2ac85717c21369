import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';

const dual = (text: string): string[] => lintNote(text).filter((f) => f.category === 'dual-relationship').map((f) => f.rule);

describe('DUAL_RELATIONSHIP_RULES', () => {
  it.each([
    ['a loan', 'Loaned pt $20 so he could pick up his prescription.', 'dual.money'],
    ['paying for the peer', 'I paid for her groceries with my own card.', 'dual.money'],
    ['cash kept', 'Peer handed me $40 for helping with the move and I kept it.', 'dual.money'],
    ['a gift card accepted', 'Accepted a $50 gift card from the peer for the holidays.', 'dual.gift'],
    ['jewelry kept', 'Peer brought me a necklace she made and I kept it.', 'dual.gift'],
    ['texting from a personal phone', 'Texted peer from my personal cell to check in after hours.', 'dual.social-media'],
    ['a personal number given', 'Gave her my personal number in case she needs me on weekends.', 'dual.social-media'],
    ['a social-media follow', 'Peer asked to follow me on Instagram and I accepted her request.', 'dual.social-media'],
    ['romantic interest', 'Told peer he is really handsome and that I would date him if I could.', 'dual.romantic'],
    ['a date accepted', 'Peer asked me out to dinner Friday and I said yes.', 'dual.romantic'],
    ['staying at the specialist’s home', 'Peer has been staying at my place since the eviction.', 'dual.housing'],
    ['renting from family', "Set up for peer to rent a room from my aunt's house.", 'dual.housing'],
    ['hiring the peer', 'Hired peer to watch my kids on Saturdays.', 'dual.business'],
    ['a party invitation', 'I invited him to my birthday party next weekend.', 'dual.friendship'],
    ['an outing off the clock', 'Took pt to a ballgame on my own time.', 'dual.friendship'],
    ['a personal-vehicle ride', 'Gave pt a ride home in my own truck.', 'dual.personal-vehicle'],
    ['cash out of pocket', '- pt short on bus fare, gave him $5 out of my pocket', 'dual.money'],
    ["lending the specialist's car", 'I let peer borrow my car for his job interview.', 'dual.money'],
    ['money owed to the peer', "Peer Venmo'd me $30 for lunch last week and I never paid it back.", 'dual.money'],
    ['a gift card and baking accepted', 'Peer baked me cookies and brought a $25 Starbucks card; I accepted both.', 'dual.gift'],
    ['hanging out', 'Peer and I have been hanging out on weekends.', 'dual.friendship'],
    ["the peer's party", "Went to peer's house party Saturday night as a guest.", 'dual.friendship'],
    ['a kiss', 'Specialist and peer kissed after the session.', 'dual.romantic'],
    ['Snapchat handles', 'We exchanged Snapchat handles after session.', 'dual.social-media'],
    ['a Facebook friend', 'Peer is now my Facebook friend.', 'dual.social-media'],
    ['a couch offered', 'I told her she could crash at my apartment this weekend.', 'dual.housing'],
    ['a room rented to the peer', 'PSS is renting her spare room to the peer for $400/mo.', 'dual.housing'],
    ["work at the specialist's family business", "Peer is going to start working at my husband's auto shop next week.", 'dual.business'],
    ['a personal car for group', 'Picked pt up in my personal car for group.', 'dual.personal-vehicle'],
    ['a gift accepted in the next sentence', 'Pt brought me a scarf she knitted. I accepted it and wore it home.', 'dual.gift'],
    ['a cut of a deal paid to the peer', "Peer is finding me a used fridge and I'll pay him a commission for the trouble.", 'dual.money'],
    ['a personal phone without "my"', 'Plan: PSS will call pt from personal cell on Sunday.', 'dual.social-media'],
    ['the agency van unavailable', 'Agency van was booked so drove her to the pantry in my car.', 'dual.personal-vehicle'],
    ["an invitation accepted", "Pt invited me to his son's graduation party and I went for an hour.", 'dual.friendship'],
    ['the writer borrowing from the peer', 'Borrowed 20 bucks from Dmitri for lunch, will square up Friday.', 'dual.money'],
    ['paid for pills handed over', 'Handed her a few of my Klonopin and she paid me $15 for them.', 'dual.money'],
    ['buying from the peer "off" him', 'I bought a mountain bike off him for $60 since he needs rent.', 'dual.money'],
    ['proceeds split', 'Peer and I sell beaded keychains at the craft fair and split the profits.', 'dual.business'],
    ["the writer's relative's spare room", 'My sister offered her spare room, so peer will be staying there until her voucher comes.', 'dual.housing'],
    ['tickets to an outing', 'We both like hockey, so I bought the tickets and we went to the game Friday.', 'dual.friendship'],
    ['a named peer given a ride in the writer’s car', 'Gave Lupe a lift to the food bank in my own car.', 'dual.personal-vehicle'],
    ['an invitation to the writer\'s family event, not declined', 'Pt asked about my weekend and I invited her to my daughter\'s birthday party on Saturday. She said she will come.', 'dual.friendship'],
    // A request in the sentence and a decline cue in the next do not clear what the writer did.
    ['a loan after a question, then a decline cue', 'She asked how her week would go and I lent her $50 for rent. I told her I can\'t make a habit of it.', 'dual.money'],
    ['a ride given, a new request declined next', 'He asked me for a ride home, so I drove him in my own car. He also wanted to borrow money and I said no.', 'dual.personal-vehicle'],
    ['a friend request accepted, then "can\'t believe"', 'Pt asked me to friend her on Facebook and I accepted her friend request. I can\'t believe how fast the week went.', 'dual.social-media'],
    ['"not allowed" said, then done anyway', 'Told him I\'m not allowed to give rides in my car, but I drove him to court in my car anyway', 'dual.personal-vehicle'],
    ['a loan after the peer\'s request in bullets', 'Pt short on rent, asked for help, lent him $100 of my own money.', 'dual.money'],
  ])('flags %s', (_name, text, rule) => {
    expect(dual(text)).toContain(rule);
  });

  it.each([
    ['agency transport', 'Drove peer to the clinic in the agency van.'],
    ['cash offered and declined', 'Peer offered me $20 for gas; I declined and explained the gift policy.'],
    ['a program bus pass', 'Gave peer a bus pass from the program per policy.'],
    ['the office line instead of a cell', 'Peer asked for my cell number; I gave her the office line and hours instead.'],
    ["the peer's own dating", 'Peer is dating a coworker and is happy about it.'],
    ['a supervisor-approved event', "With my supervisor's approval I attended her graduation ceremony."],
    ['an invitation declined', 'Peer invited me to her wedding; I thanked her and said I cannot attend as her specialist.'],
    ['help with the peer’s own account', 'Helped peer set up an Instagram account for her art.'],
    ['program gift cards', 'Handed out $10 grocery cards from program funds to each member per policy.'],
    ['the peer moving in with family', 'Peer wants to move in with her sister; we looked at the lease together.'],
    ['a loan request turned into a referral', 'Pt asked to borrow $50. I told him I can not lend money and we called the utility assistance line together.'],
    ['a friend request declined', 'Peer sent me a friend request; declined it and explained the social media policy.'],
    ['cash refused', 'Peer tried to give me $10; I said no and explained the policy.'],
    ['a program card', 'Gave pt a $5 Subway card from the program per policy.'],
    ["the peer's own date", 'Peer talked about her new boyfriend and their first date.'],
    ['a loan refused, 211 called', "Peer asked if I could lend her $20; told her I can't and we called 211 together."],
    ['the agency car', 'Agency car used for home visit; peer rode along to the pharmacy.'],
    ['the program number', 'I gave the peer the program phone number and the warmline.'],
    ["the specialist's own car to a meeting place", 'I drove my own car to meet peer at the diner, where we reviewed her budget.'],
    ['a card of no value', 'Peer gave me a thank-you card with a drawing; thanked her. No monetary value.'],
    ['a gift declined in the next sentence', 'Pt brought me a scarf she knitted. I thanked her but declined it and explained the gift policy.'],
    ["the peer's personal phone", 'Pt texted from her personal phone because the agency line was busy.'],
    ['the agency van booked and used', 'Booked the agency van and drove her to the pantry.'],
    ['a ride offered and declined', 'Pt offered me a ride home in the rain. I thanked her and waited for the bus.'],
    ["the writer's own story of losing an apartment", 'I told pt the whole story of my relapse, losing my apartment and my job, for most of the hour.'],
    ['a named peer asking, the writer declining', 'Frank asked me to co-sign his apartment lease. I told him that is outside my role.'],
    ['a named peer offering a loan', 'Grace offered to loan me money for my car repair; I said no thanks.'],
    ["a reported clause about the peer's night", 'Pt said she went out Saturday night with her cousins and got home safe.'],
    ['proceeds split by the peer and a relative', 'Pt and her brother split the money from the yard sale.'],
    // Reported speech and a request declined in the next sentence.
    ['the peer\'s own family event in her quoted words', 'Pt asked "is it ok if I skip group for my sister\'s baby shower?" We moved her group to Thursday.'],
    ['a ride request declined in the next sentence', 'He asked me for a ride to the store in my truck since it is on my way home. Told him I can\'t drive him in my own truck, and got him a bus pass.'],
  ])('stays quiet on %s', (_name, text) => {
    expect(dual(text)).toEqual([]);
  });

  it('lets the policy allow personal-vehicle transport', async () => {
    const { parsePolicy } = await import('../policy');
    const policy = parsePolicy({ personalVehicleTransport: 'allowed' });
    if (!policy.ok) throw new Error('policy');
    expect(lintNote('Gave pt a ride home in my own truck.', { policy: policy.value }).map((f) => f.rule)).toEqual([]);
  });
});
