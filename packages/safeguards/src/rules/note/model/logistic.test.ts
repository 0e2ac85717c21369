import { describe, expect, it } from 'vitest';
import { sigmoid, trainLogistic, type SparseExample } from './logistic';

const settings = { iterations: 200, learningRate: 0.3, l2: 0.001, positiveWeight: 1, biasIndex: 0 };
// Feature 0 is the bias, 1 marks positives, 2 marks negatives, 3 occurs in both.
const examples: SparseExample[] = [
  { features: [0, 1, 3], label: 1 },
  { features: [0, 1], label: 1 },
  { features: [0, 2, 3], label: 0 },
  { features: [0, 2], label: 0 },
  { features: [0, 2], label: 0 },
];

describe('sigmoid', () => {
  it.each([
    [0, 0.5],
    [800, 1],
    [-800, 0],
  ])('sigmoid(%d) = %d', (z, p) => {
    expect(sigmoid(z)).toBeCloseTo(p, 12);
  });

  it('is symmetric: sigmoid(-z) = 1 - sigmoid(z)', () => {
    for (const z of [0.1, 1, 3.7, 12]) expect(sigmoid(-z)).toBeCloseTo(1 - sigmoid(z), 12);
  });
});

describe('trainLogistic', () => {
  it('learns a positive weight for the positives’ feature and a negative one for the negatives’', () => {
    const w = trainLogistic(examples, 4, settings);
    expect(w[1]).toBeGreaterThan(1);
    expect(w[2]).toBeLessThan(-1);
    expect(Math.abs(w[3] as number)).toBeLessThan(Math.abs(w[1] as number));
  });

  it('gives the same weights, bit for bit, on every run', () => {
    expect(Array.from(trainLogistic(examples, 4, settings))).toEqual(Array.from(trainLogistic(examples, 4, settings)));
  });

  it('shrinks the weights as the L2 penalty grows, and leaves them at zero with no examples', () => {
    const loose = trainLogistic(examples, 4, settings);
    const tight = trainLogistic(examples, 4, { ...settings, l2: 0.5 });
    expect(Math.abs(tight[1] as number)).toBeLessThan(Math.abs(loose[1] as number));
    expect(Array.from(trainLogistic([], 4, settings))).toEqual([0, 0, 0, 0]);
  });

  it('raises positives’ probability as their loss weight grows', () => {
    const z = (w: Float64Array): number => (w[0] as number) + (w[3] as number);
    const even = trainLogistic(examples, 4, settings);
    const weighted = trainLogistic(examples, 4, { ...settings, positiveWeight: 5 });
    expect(z(weighted)).toBeGreaterThan(z(even));
  });
});
