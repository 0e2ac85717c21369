import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTE_MODEL_RULES, RULES, ruleById } from './catalog';
import { createFinding } from './finding';
import type { NoteContext } from './rule-definition';
import { lintNote } from './lint-note';
import { detectNoteProblems } from './note-rules';
import { DEFAULT_POLICY, parsePolicy, severityFor } from './policy';

interface Case {
  rule: string;
  hit: string;
  /** The exact words the span must cover. */
  span: string;
  nearMiss: string;
  negated: string;
  /** Whether the negated case still fires (documented exceptions). */
  negatedFires?: boolean;
  context?: NoteContext;
}

const cases: Case[] = [
  {
    rule: 'scope.diagnosing',
    hit: 'Specialist told peer their mood swings sound like bipolar disorder and that they should ask the doctor for that diagnosis.',
    span: 'bipolar disorder',
    nearMiss: 'Peer said her doctor diagnosed her with bipolar disorder last year, and she wants to learn more about it.',
    negated: 'Specialist did not suggest that peer has bipolar disorder; encouraged them to share the mood changes with their doctor.',
  },
  {
    rule: 'scope.medication-advice',
    hit: 'Specialist suggested peer cut their evening dose in half because of side effects, without checking with the prescriber.',
    span: 'cut',
    nearMiss: 'Specialist encouraged peer to ask the prescriber about lowering the dose because of side effects.',
    negated: 'Specialist reminded peer not to stop taking their medication without talking to the prescriber.',
  },
  {
    rule: 'scope.treatment-advice',
    hit: 'Specialist told peer they need to go to detox this week.',
    span: 'detox',
    nearMiss: 'Helped peer look up DBT groups and call one to schedule an intake.',
    negated: 'Specialist did not tell peer they need detox; peer will decide with their counselor.',
  },
  {
    rule: 'scope.clinical-language',
    hit: 'Peer was noncompliant with the plan this week.',
    span: 'noncompliant',
    nearMiss: 'Peer said it has been hard to take the medication and wants to talk about why.',
    negated: 'Specialist did not assess mental status; that is for the clinician.',
  },
  {
    rule: 'dual.money',
    hit: 'Specialist lent peer $40 for groceries until payday.',
    span: 'lent peer',
    nearMiss: 'Helped peer apply for emergency cash assistance and make a budget of $40 a week for groceries.',
    negated: 'Peer asked to borrow money for the phone bill and specialist declined, explaining the program policy.',
  },
  {
    rule: 'dual.gift',
    hit: 'Specialist accepted a gift card from peer after the visit.',
    span: 'accepted a gift card from peer',
    nearMiss: "Helped peer choose a gift for their daughter's birthday.",
    negated: 'Specialist did not accept a gift from peer and thanked them.',
  },
  {
    rule: 'dual.romantic',
    hit: 'Specialist told peer they find them attractive and suggested a date.',
    span: 'find them attractive',
    nearMiss: 'Peer talked about going on a date with someone from their meeting and felt hopeful.',
    negated: 'Specialist did not ask peer out and kept the conversation on the recovery plan.',
  },
  {
    rule: 'dual.social-media',
    hit: 'Specialist and peer exchanged personal numbers after the visit.',
    span: 'exchanged personal numbers',
    nearMiss: 'Helped peer set up a Facebook page for their baking business.',
    negated: "Specialist did not accept peer's friend request and gave the program number instead.",
  },
  {
    rule: 'dual.business',
    hit: "Specialist offered peer paid weekend work at the specialist's side business.",
    span: 'offered peer paid weekend work',
    nearMiss: 'Helped peer update their resume for a job at the grocery store.',
    negated: 'Specialist did not hire peer and shared the supported employment program instead.',
  },
  {
    rule: 'dual.housing',
    hit: "Specialist arranged for peer to rent a room from the specialist's cousin.",
    span: "the specialist's cousin",
    nearMiss: 'Helped peer look at a room for rent listed at the housing office.',
    negated: 'Peer asked to stay with the specialist for a few nights and specialist declined and called the shelter.',
  },
  {
    rule: 'dual.friendship',
    hit: "Specialist invited peer to join the specialist's weekly poker game with friends.",
    span: "invited peer to join the specialist's weekly poker game",
    nearMiss: "Specialist invited peer to join the recovery center's weekly game night.",
    negated: 'Specialist did not hang out with peer after the meeting.',
  },
  {
    rule: 'dual.personal-vehicle',
    hit: 'Specialist drove peer to the appointment in their own car.',
    span: 'drove peer to the appointment in their own car',
    nearMiss: "Arranged a ride to Thursday's appointment and went over the bus route.",
    negated: 'Specialist did not drive peer in a personal car and booked paratransit instead.',
  },
  {
    rule: 'self-disclosure.dominating',
    hit: 'Specialist spent most of the session describing their own relapse history and divorce in detail; peer had little time to talk.',
    span: 'Specialist spent most of the session describing their own',
    nearMiss: 'Specialist briefly shared how they rebuilt a daily routine in early recovery, then turned the focus back to peer.',
    negated: 'Specialist did not talk at length about their own recovery; the focus stayed on peer.',
  },
  {
    rule: 'crisis.no-follow-up',
    hit: 'Peer mentioned passive thoughts of suicide when talking about the eviction notice, then changed the subject.',
    span: 'suicide',
    nearMiss: "Peer's brother died of an overdose last year; we talked about grief and the anniversary coming up.",
    negated: 'Peer denies suicidal thoughts and said the week went better.',
  },
  {
    rule: 'confidentiality.group-member-named',
    context: 'group-attendee',
    hit: "Peer and group member Avery Testperson plan to carpool to next week's session.",
    span: 'Avery Testperson',
    nearMiss: 'Peer offered support to another group member after they shared about losing housing.',
    // A negated mention still names the person: the rule fires on purpose.
    negated: 'Peer did not sit with group member Avery Testperson this week.',
    negatedFires: true,
  },
  {
    rule: 'confidentiality.person-named',
    hit: "Talked with peer's sister Dana Quill about supporting recovery at home.",
    span: 'Dana Quill',
    nearMiss: "Talked with peer's sister, with peer present and agreeing, about supporting recovery at home.",
    negated: "Peer asked that their sister's name not be written down.",
  },
];

describe('lintNote', () => {
  it.each(cases)('$rule: fires on a hit, with the span of the problem', ({ rule, hit, span, context }) => {
    const findings = lintNote(hit, context ? { context } : {}).filter((f) => f.rule === rule);
    expect(findings.length).toBeGreaterThan(0);
    const f = findings[0];
    expect(hit.slice(f?.start, f?.end)).toBe(span);
    expect(f?.suggestion).toBeTruthy();
    expect(f?.category).toBe(RULES.find((r) => r.id === rule)?.category);
  });

  it.each(cases)('$rule: stays quiet on a near-miss', ({ rule, nearMiss, context }) => {
    expect(lintNote(nearMiss, context ? { context } : {}).map((f) => f.rule)).not.toContain(rule);
  });

  it.each(cases)('$rule: handles a negated case', ({ rule, negated, negatedFires, context }) => {
    expect(lintNote(negated, context ? { context } : {}).map((f) => f.rule).includes(rule)).toBe(negatedFires ?? false);
  });

  it('keeps every other rule quiet on the near-misses and negated cases', () => {
    for (const c of cases) {
      const noise = [...lintNote(c.nearMiss, c.context ? { context: c.context } : {}), ...lintNote(c.negated, c.context ? { context: c.context } : {})]
        .filter((f) => !(c.negatedFires && f.rule === c.rule));
      expect(noise.map((f) => `${c.rule}: ${f.rule}`)).toEqual([]);
    }
  });

  it('does not flag a crisis the note documents (safety plan, supervisor, 988)', () => {
    const text = 'Peer disclosed thoughts of suicide. Reviewed the safety plan together and consulted the supervisor. Connected peer with the 988 Lifeline.';
    expect(lintNote(text).map((f) => f.rule)).not.toContain('crisis.no-follow-up');
    expect(lintNote('Peer disclosed thoughts of suicide.', { crisisDocumented: true })).toEqual([]);
  });

  it.each([
    ['screened and denied', 'Asked peer about thoughts of self-harm; peer said no.', false],
    ['a denial elsewhere does not cancel a new disclosure', 'Peer denies drinking but has had thoughts of ending their life.', true],
    ['history is not a current indicator by default', 'Peer shared that years ago they attempted suicide and how they got through it.', false],
    ['a crisis resource is not an indicator', 'Gave peer a naloxone kit and overdose prevention information.', false],
    // Was: 'an overdose is' … false — the word "ED" counted as the specialist's action. A night in
    // the ED is what happened to the peer, not a documented follow-up (corpus convention, issue 16).
    ['an ED stay is not the specialist\'s follow-up', 'Peer overdosed on Saturday and was in the ED overnight.', true],
    ['an overdose with a warm hand-off is not flagged', 'Peer overdosed on Saturday; warm hand-off to the bridge clinic today.', false],
    ['an overdose without follow-up is flagged', 'Peer overdosed on Saturday and is home now.', true],
  ])('crisis: %s', (_name, text, fires) => {
    expect(lintNote(text).map((f) => f.rule).includes('crisis.no-follow-up')).toBe(fires);
  });

  it('counts history as an indicator when the policy says so', () => {
    const policy = parsePolicy({ crisisIncludesHistory: true });
    if (!policy.ok) throw new Error('policy');
    expect(lintNote('Peer shared that years ago they attempted suicide.', { policy: policy.value }).map((f) => f.rule)).toContain('crisis.no-follow-up');
  });

  it('respects disabled rules, severity overrides and extra terms', () => {
    const text = 'Specialist said peer probably has long covid brain fog.';
    expect(lintNote(text).map((f) => f.rule)).not.toContain('scope.diagnosing');
    const policy = parsePolicy({ terms: { diagnoses: ['long covid'] }, severity: { 'scope.diagnosing': 'warning' } });
    if (!policy.ok) throw new Error('policy');
    expect(lintNote(text, { policy: policy.value }).map((f) => [f.rule, f.severity])).toEqual([['scope.diagnosing', 'warning']]);
    const off = parsePolicy({ disabledRules: ['dual.money'] });
    if (!off.ok) throw new Error('policy');
    expect(lintNote('Specialist lent peer $40.', { policy: off.value })).toEqual([]);
  });

  it('does not flag personal-vehicle transport where policy allows it', () => {
    const policy = parsePolicy({ personalVehicleTransport: 'allowed' });
    if (!policy.ok) throw new Error('policy');
    expect(lintNote('Specialist drove peer to the appointment in their own car.', { policy: policy.value })).toEqual([]);
  });

  it('never puts the note text in a finding', () => {
    const text = 'Specialist lent peer $40 for groceries. Peer and group member Avery Testperson plan to carpool.';
    const findings = lintNote(text, { context: 'group-attendee' });
    expect(findings.length).toBeGreaterThan(1);
    const json = JSON.stringify(findings);
    for (const word of ['groceries', 'Avery', 'Testperson', '$40', 'carpool']) expect(json).not.toContain(word);
  });

  it('uses the default policy when none is given', () => {
    expect(lintNote('Specialist lent peer $40.', { policy: DEFAULT_POLICY })).toEqual(lintNote('Specialist lent peer $40.'));
  });

  it('never throws and keeps every span inside the text (property)', () => {
    // Word soup from the rules' own vocabulary, with note punctuation, headings and quotes.
    const words = [
      'Peer', 'pt', 'PSS', 'I', 'told', 'her', 'to', 'stop', 'cut', 'the', 'Zoloft', 'in', 'half', 'denies', 'SI', 'suicide', 'overdosed',
      'not', 'wake', 'up', 'my', 'own', 'story', 'most', 'of', 'session', 'lent', '$20', 'gift', 'card', 'accepted', 'sister', 'Dana',
      'relapsed', 'attendees:', 'Avery,', 'Bo', 'D:', 'A:', '\n-', '"', ';', ',', '.', 'b/c', "didn't", 'declined', 'per', 'policy', '988',
    ];
    const note = fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom(...words), { maxLength: 80 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(note, fc.constantFrom('one-on-one' as const, 'group-attendee' as const, 'group' as const), (text, context) => {
        for (const f of lintNote(text, { context })) {
          expect(f.start !== undefined && f.end !== undefined && 0 <= f.start && f.start < f.end && f.end <= text.length).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and keeps every span inside the text with the note model on (property)', () => {
    const words = ['Peer', 'pt', 'I', 'lent', 'her', '$20', 'told', 'my', 'own', 'story', 'wants', 'to', 'die', 'Dana', 'relapsed', 'D:', '\n-', '"', ';', '.'];
    const note = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.constantFrom(...words), { maxLength: 60 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(note, (text) => {
        for (const f of lintNote(text, { model: true })) {
          expect(f.start !== undefined && f.end !== undefined && 0 <= f.start && f.start < f.end && f.end <= text.length).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('lintNote and the note model', () => {
  const dev = readFileSync(join(__dirname, '..', '..', 'test', 'notes', 'dev.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { text: string; setting: string });
  const contextOf = (n: { setting: string }): NoteContext => (n.setting === 'group' ? 'group' : 'one-on-one');

  it('with model: false gives exactly the rules’ findings, as before the model existed', () => {
    for (const n of dev) {
      const context = contextOf(n);
      const rulesOnly = detectNoteProblems(n.text, { context, policy: DEFAULT_POLICY, crisisDocumented: false }).map((hit) => {
        const rule = ruleById(hit.rule);
        return createFinding(rule, severityFor(DEFAULT_POLICY, rule), { path: ['text'], start: hit.span.start, end: hit.span.end });
      });
      expect(lintNote(n.text, { context, model: false })).toEqual(rulesOnly);
    }
  });

  it('runs the model by default (model: true is the default)', () => {
    for (const n of dev.slice(0, 100)) {
      const context = contextOf(n);
      expect(lintNote(n.text, { context })).toEqual(lintNote(n.text, { context, model: true }));
    }
  });

  it('with the model keeps every rule finding and only adds note-model warnings, on categories no rule found', () => {
    let added = 0;
    for (const n of dev.slice(0, 300)) {
      const context = contextOf(n);
      const rulesOnly = lintNote(n.text, { context, model: false });
      const withModel = lintNote(n.text, { context });
      const extra = withModel.filter((f) => f.rule.startsWith('note-model.'));
      expect(withModel.filter((f) => !f.rule.startsWith('note-model.'))).toEqual(rulesOnly);
      for (const f of extra) {
        expect(rulesOnly.some((r) => r.category === f.category)).toBe(false);
        expect(f.severity).toBe('warning');
        expect(f.suggestion).toBeTruthy();
        expect(f.source).toContain('test/notes/dev.jsonl');
      }
      added += extra.length;
    }
    // The model was trained on these notes and the rules tuned on them: it has almost nothing to add.
    expect(added).toBeLessThan(10);
  });

  // Synthetic: the writer's own story takes the visit. The first wording is the rule's; the second
  // only the model reads (its mechanics, not its accuracy, are under test here).
  const story = 'Most of the hour went to my own custody fight; her resume will have to wait.';
  const modelOnly = 'The call was mostly me going over my own court case and my kids; her budget goals got pushed to next week.';
  const policyWithout = (...ids: string[]) => {
    const policy = parsePolicy({ disabledRules: ids });
    if (!policy.ok) throw new Error('policy');
    return policy.value;
  };

  it('adds a typed finding with the sentence’s span, never its text, for a category no rule found', () => {
    expect(lintNote(modelOnly, { model: false })).toEqual([]);
    const found = lintNote(modelOnly);
    expect(found.map((f) => [f.rule, f.category, f.severity, modelOnly.slice(f.start, f.end)])).toEqual([['note-model.self-disclosure', 'self-disclosure', 'warning', modelOnly]]);
    for (const f of found) {
      expect(Object.keys(f).sort()).toEqual(['category', 'code', 'end', 'message', 'path', 'rule', 'severity', 'source', 'start', 'suggestion']);
      expect(JSON.stringify(f)).not.toContain('court');
      expect(NOTE_MODEL_RULES.map((r) => r.id)).toContain(f.rule);
    }
  });

  it('adds nothing where a rule of the category already found something', () => {
    expect(lintNote(story).map((f) => f.rule)).toEqual(['self-disclosure.dominating']);
  });

  it('lets the policy disable a model rule', () => {
    expect(lintNote(modelOnly, { policy: policyWithout('note-model.self-disclosure') })).toEqual([]);
  });

  it('adds nothing in a category whose every rule the policy turned off (the category is off)', () => {
    expect(lintNote(modelOnly, { policy: policyWithout('self-disclosure.dominating') })).toEqual([]);
    expect(lintNote(story, { policy: policyWithout('self-disclosure.dominating') })).toEqual([]);
  });
});
