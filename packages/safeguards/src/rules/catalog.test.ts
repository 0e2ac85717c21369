import { describe, expect, it } from 'vitest';
import { NOTE_MODEL_RULES, RULE_IDS, RULES, ruleById } from './catalog';
import { NOTE_CONTEXTS, RULE_CATEGORIES } from './rule-definition';
import { NOTE_DETECTORS } from './note-rules';

describe('RULES', () => {
  it('uses exactly the nine categories of the issue, each with at least one rule', () => {
    expect(RULE_CATEGORIES).toEqual([
      'scope-of-practice',
      'dual-relationship',
      'self-disclosure',
      'crisis-follow-up',
      'confidentiality',
      'credential',
      'supervision',
      'workload',
      'documentation',
    ]);
    for (const category of RULE_CATEGORIES) expect(RULES.filter((r) => r.category === category).length).toBeGreaterThan(0);
  });

  it('has unique, stable ids with a source, a rationale and a target', () => {
    expect(new Set(RULE_IDS).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(rule.source.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(10);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
    }
  });

  it('gives every note rule a suggestion and a detector', () => {
    const detectors = new Set([...NOTE_DETECTORS.map((d) => d.id), 'crisis.no-follow-up', 'confidentiality.group-member-named', 'confidentiality.person-named']);
    for (const rule of RULES.filter((r) => r.appliesTo.includes('note') && !NOTE_MODEL_RULES.includes(r))) {
      expect(rule.suggestion, rule.id).toBeTruthy();
      expect(detectors.has(rule.id), rule.id).toBe(true);
    }
    for (const id of detectors) expect(RULE_IDS).toContain(id);
  });

  it('reads notes only in the contexts NOTE_CONTEXTS lists, and each context is read by some rule', () => {
    const read = new Set(RULES.flatMap((r) => r.notes ?? []));
    expect([...read].sort()).toEqual([...NOTE_CONTEXTS].sort());
  });

  it('looks rules up by id', () => {
    expect(ruleById('scope.diagnosing').category).toBe('scope-of-practice');
    expect(() => ruleById('no.such-rule')).toThrow();
  });
});

describe('NOTE_MODEL_RULES', () => {
  it('has one note-model.<category> rule per note category, in RULES, each found by ruleById', () => {
    expect(NOTE_MODEL_RULES.map((r) => r.category)).toEqual(['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality']);
    for (const rule of NOTE_MODEL_RULES) {
      expect(rule.id).toBe(`note-model.${rule.category}`);
      expect(rule.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(RULE_IDS).toContain(rule.id);
      expect(rule.suggestion, rule.id).toBeTruthy();
      expect(ruleById(rule.id)).toBe(rule);
    }
  });

  it('cites its training data and method as its source, with a rationale and a suggestion', () => {
    for (const rule of NOTE_MODEL_RULES) {
      expect(rule.source).toContain('logistic regression');
      expect(rule.source).toContain('test/notes/dev.jsonl');
      expect(rule.rationale.length).toBeGreaterThan(10);
      expect(rule.suggestion).toBeTruthy();
      expect(rule.notes).toEqual([...NOTE_CONTEXTS]);
    }
  });
});
