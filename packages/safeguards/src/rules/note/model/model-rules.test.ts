import { describe, expect, it } from 'vitest';
import { NOTE_RULES } from '../../note-rules';
import { DEFAULT_POLICY, parsePolicy } from '../../policy';
import { viewNote } from '../context';
import { MODEL_RULE_DEFINITIONS, modelHits, modelMayReport } from './model-rules';
import type { ModelCategory } from './note-model';
import type { NoteModelWeights } from './note-model';

/** Synthetic weights: "lent" reads as dual-relationship, "die" as crisis-follow-up. */
const weights: NoteModelWeights = {
  version: 1,
  trainedOn: 'synthetic',
  features: ['bias', 'w:die', 'w:lent'],
  weights: {
    'scope-of-practice': [-5, 0, 0],
    'dual-relationship': [-5, 0, 8],
    'self-disclosure': [-5, 0, 0],
    'crisis-follow-up': [-5, 8, 0],
    confidentiality: [-5, 0, 0],
  },
  addAt: 0.9,
};
const text = 'Met at the library. I lent her bus money. She said she wants to die.';
const note = viewNote(text, 'one-on-one');
const facts = { policy: DEFAULT_POLICY, crisisDocumented: false };

describe('MODEL_RULE_DEFINITIONS', () => {
  it('has one warning rule per category, note-model.<category>, with a source naming the training data and a suggestion', () => {
    expect(MODEL_RULE_DEFINITIONS.map((r) => r.id)).toEqual([
      'note-model.scope-of-practice',
      'note-model.dual-relationship',
      'note-model.self-disclosure',
      'note-model.crisis-follow-up',
      'note-model.confidentiality',
    ]);
    for (const r of MODEL_RULE_DEFINITIONS) {
      expect(r.id).toBe(`note-model.${r.category}`);
      expect(r.severity).toBe('warning');
      expect(r.source).toContain('test/notes/dev.jsonl');
      expect(r.suggestion.length).toBeGreaterThan(20);
    }
  });
});

describe('modelHits', () => {
  it('adds each category the model reads at or above its threshold, on the sentence it scores highest', () => {
    const hits = modelHits(weights, note, [], facts);
    expect(hits.map((h) => [h.rule, text.slice(h.span.start, h.span.end)])).toEqual([
      ['note-model.dual-relationship', 'I lent her bus money.'],
      ['note-model.crisis-follow-up', 'She said she wants to die.'],
    ]);
  });

  it('adds nothing below the threshold', () => {
    expect(modelHits({ ...weights, addAt: 0.99 }, note, [], facts)).toEqual([]);
  });

  it('adds no category a rule already found', () => {
    const hits = modelHits(weights, note, [{ rule: 'dual.money', category: 'dual-relationship', start: 20, end: 41 }], facts);
    expect(hits.map((h) => h.rule)).toEqual(['note-model.crisis-follow-up']);
  });

  it('adds no crisis when the crisis is documented elsewhere, and nothing the policy disables', () => {
    expect(modelHits(weights, note, [], { ...facts, crisisDocumented: true }).map((h) => h.rule)).toEqual(['note-model.dual-relationship']);
    const policy = parsePolicy({ disabledRules: ['note-model.dual-relationship'] });
    if (!policy.ok) throw new Error('policy');
    expect(modelHits(weights, note, [], { ...facts, policy: policy.value }).map((h) => h.rule)).toEqual(['note-model.crisis-follow-up']);
  });

  it('adds nothing in a category whose every rule the policy disabled, and still adds it while one of them is on', () => {
    const dualRules = NOTE_RULES.filter((r) => r.definition.category === 'dual-relationship').map((r) => r.definition.id);
    expect(dualRules.length).toBeGreaterThan(1);
    const allOff = parsePolicy({ disabledRules: dualRules });
    const oneOn = parsePolicy({ disabledRules: dualRules.slice(1) });
    if (!allOff.ok || !oneOn.ok) throw new Error('policy');
    expect(modelHits(weights, note, [], { ...facts, policy: allOff.value }).map((h) => h.rule)).toEqual(['note-model.crisis-follow-up']);
    expect(modelHits(weights, note, [], { ...facts, policy: oneOn.value }).map((h) => h.rule)).toEqual(['note-model.dual-relationship', 'note-model.crisis-follow-up']);
  });
});

describe('modelMayReport', () => {
  const first = (text: string) => {
    const s = viewNote(text, 'one-on-one').sentences[0];
    if (!s) throw new Error('no sentence');
    return s;
  };
  // Synthetic sentences; each row: category, sentence, whether the model's reading may stand, why.
  it.each<[ModelCategory, string, boolean, string]>([
    ['self-disclosure', 'Most of the hour went to my own custody fight; her resume will have to wait.', true, "the writer's story, the writer's implied subject"],
    ['self-disclosure', 'Pt went through her whole history with her ex for most of the visit; we will get to the lease next time.', false, "the peer's own story: the writer is no actor"],
    ['self-disclosure', 'Peer spent most of the session on her own childhood.', false, 'the peer is the only actor'],
    ['self-disclosure', 'I shared one sentence about my own relapse to show it happens, then we focused on her plan.', false, 'goes back to the peer'],
    ['self-disclosure', 'I briefly told her about my own relapse.', false, 'a brief share (ConText "brief")'],
    ['dual-relationship', 'Gave pt two of my own Tylenol 3s for his back.', false, 'a medication handoff is a scope question'],
    ['dual-relationship', 'Gave pt two of my own concert tickets for Saturday.', true, 'a personal gift, no medication'],
    ['dual-relationship', 'Peer offered me $20 and I declined.', false, 'the money cue is declined'],
    ['scope-of-practice', 'Specialist did not suggest that peer has bipolar disorder.', false, 'the diagnosis cue is negated'],
    ['scope-of-practice', 'Specialist suggested that peer has bipolar disorder.', true, 'the diagnosis cue stands'],
    ['crisis-follow-up', 'Peer denies thoughts of suicide.', false, 'the indicator is denied'],
  ])('%s on "%s" → %s (%s)', (category, text, stands) => {
    expect(modelMayReport(category, first(text), DEFAULT_POLICY)).toBe(stands);
  });

  // With the note: the category's definition read on the whole note. Each row: category, note, the
  // sentence the model scored (its index), whether the reading may stand, why.
  it.each<[ModelCategory, string, number, boolean, string]>([
    ['confidentiality', 'Group of 6. One member said her brother is back in county jail.', 1, false, 'nobody named: a relation only'],
    ['confidentiality', 'Group of 6. Marisol said her brother is back in county jail.', 1, false, "a name only as the sentence's first word is not read as one"],
    ['confidentiality', 'Group of 6, Marisol and Dee among them. Her brother is back in county jail.', 1, true, 'a name in the sentence before'],
    ['confidentiality', 'Pt said her roommate Tasha is back in county jail.', 0, true, 'a name inside the sentence'],
    ['confidentiality', 'I said I was glad her brother is out of county jail.', 0, false, '"I" is no name'],
    ['crisis-follow-up', 'Pt said she has been thinking about ending it. We called 988 together.', 0, false, 'the note documents a response'],
    ['crisis-follow-up', 'Pt said she has been thinking about ending it. We worked on her budget.', 0, true, 'no response documented'],
    ['dual-relationship', "She asked me to come to her son's birthday party at my place. I told her I can't, and we listed who she could invite.", 0, false, 'a request declined in the next sentence'],
    ['dual-relationship', "She asked me to come to her son's birthday party at my place. I said yes and brought a cake.", 0, true, 'the request accepted'],
  ])('%s in "%s" (sentence %i) → %s (%s)', (category, text, index, stands) => {
    const note = viewNote(text, 'one-on-one');
    const sentence = note.sentences[index];
    if (!sentence) throw new Error('no sentence');
    expect(modelMayReport(category, sentence, DEFAULT_POLICY, note)).toBe(stands);
  });
});
