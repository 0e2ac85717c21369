/**
 * L2-regularised logistic regression over sparse binary features, trained by full-batch gradient
 * descent with AdaGrad step sizes for a fixed number of iterations. Nothing in it is random (no
 * shuffling, no sampling, weights start at zero), so the same examples in the same order give the
 * same weights; the only floating-point operations are additions, products and `Math.exp`.
 *
 * See: Hastie, Tibshirani, Friedman, *The Elements of Statistical Learning* (2nd ed.), §4.4
 * (logistic regression) and §3.4.1 (ridge / L2 penalty); Duchi, Hazan, Singer, "Adaptive
 * subgradient methods for online learning and stochastic optimization", JMLR 12 (2011) (AdaGrad).
 */

/** One training example: the indices of its features (each at most once) and its label. */
export interface SparseExample {
  /** Indices of the features the example has (binary features: present or not). */
  readonly features: readonly number[];
  /** 1 for a positive example, 0 for a negative one. */
  readonly label: 0 | 1;
}

/** Settings of {@link trainLogistic}. */
export interface LogisticSettings {
  /** Number of full-batch iterations. */
  readonly iterations: number;
  /** AdaGrad base step size. */
  readonly learningRate: number;
  /** L2 penalty on every weight but the bias (feature index `biasIndex`). */
  readonly l2: number;
  /** Weight of a positive example's loss relative to a negative one's. */
  readonly positiveWeight: number;
  /** The index of the always-on bias feature, left unpenalised. */
  readonly biasIndex: number;
}

/** The logistic function, safe for large arguments. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Trains one binary logistic regression.
 *
 * @param examples - the examples
 * @param size - the number of features (indices are `0 … size-1`)
 * @param settings - iterations, step size, penalty, class weight, bias index
 * @returns the weights, one per feature
 */
export function trainLogistic(examples: readonly SparseExample[], size: number, settings: LogisticSettings): Float64Array {
  const w = new Float64Array(size);
  const g = new Float64Array(size);
  const history = new Float64Array(size);
  let total = 0;
  for (const e of examples) total += e.label === 1 ? settings.positiveWeight : 1;
  if (total === 0) return w;
  for (let it = 0; it < settings.iterations; it++) {
    g.fill(0);
    for (const e of examples) {
      let z = 0;
      for (const f of e.features) z += w[f] as number;
      const weight = e.label === 1 ? settings.positiveWeight : 1;
      const r = (weight * (sigmoid(z) - e.label)) / total;
      for (const f of e.features) g[f] = (g[f] as number) + r;
    }
    for (let f = 0; f < size; f++) {
      const grad = (g[f] as number) + (f === settings.biasIndex ? 0 : settings.l2 * (w[f] as number));
      if (grad === 0) continue;
      history[f] = (history[f] as number) + grad * grad;
      w[f] = (w[f] as number) - (settings.learningRate * grad) / Math.sqrt(history[f] as number);
    }
  }
  return w;
}
