// Bayesian hyperparameter search: a Gaussian process models the validation metric over the
// search space from the trials so far, and the next trial is where its expected improvement
// over the best is highest.
//
// The space's parameters become coordinates in [0, 1]: a range {min, max} linearly, or on a
// log scale with `log` (a whole-number range is rounded when read back); a list of values is
// a choice, one coordinate per value (one-hot). The kernel is a Matérn 5/2 with one length
// scale per range and one shared by the choices; the length scales, the signal's variance and
// the noise are fitted to the trials by the marginal likelihood (random starts, then a pattern
// search in their logarithms). Metrics are maximized: a loss is negated first.
import { show } from './show.js';

// ---- the space ----

// Each parameter as {name, kind: 'range' | 'choice', spec, at: first coordinate, width}.
export function encoding(space) {
  let at = 0;
  const parameters = Object.entries(space).map(([name, spec]) => {
    const width = Array.isArray(spec) ? spec.length : 1;
    const p = { name, kind: Array.isArray(spec) ? 'choice' : 'range', spec, at, width };
    at += width;
    return p;
  });
  return { parameters, size: at };
}

const toUnit = (spec, v) =>
  spec.log
    ? (Math.log(v) - Math.log(spec.min)) / (Math.log(spec.max) - Math.log(spec.min) || 1)
    : (v - spec.min) / (spec.max - spec.min || 1);
const fromUnit = (spec, u) => {
  const v = spec.log
    ? Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min)))
    : spec.min + u * (spec.max - spec.min);
  return spec.whole ? Math.round(v) : Math.min(spec.max, Math.max(spec.min, v));
};

// A trial's parameters as a point of the unit cube.
export function encode(code, params) {
  const point = new Float64Array(code.size);
  for (const p of code.parameters) {
    const v = params[p.name];
    if (p.kind === 'range') point[p.at] = toUnit(p.spec, v);
    else point[p.at + Math.max(0, p.spec.indexOf(v))] = 1;
  }
  return point;
}

// A point of the cube as parameters (ranges rounded for whole numbers, the likeliest choice).
export function decode(code, point) {
  const params = {};
  for (const p of code.parameters) {
    if (p.kind === 'range') params[p.name] = fromUnit(p.spec, Math.min(1, Math.max(0, point[p.at])));
    else {
      let best = 0;
      for (let i = 1; i < p.width; i++) if (point[p.at + i] > point[p.at + best]) best = i;
      params[p.name] = p.spec[best];
    }
  }
  return params;
}

// One random draw from the space (as random search draws).
export function draw(space, random) {
  const params = {};
  for (const [name, spec] of Object.entries(space)) {
    params[name] = Array.isArray(spec) ? spec[Math.floor(random() * spec.length)] : fromUnit(spec, random());
  }
  return params;
}

// ---- the Gaussian process ----

// Matérn 5/2 of a scaled distance r.
const matern = (r) => (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);

// The kernel's hyperparameters (their logarithms): one length scale per range, one for the
// choices, the signal's variance, the noise's variance.
function kernelOf(code, theta) {
  const scales = new Float64Array(code.size);
  let k = 0;
  for (const p of code.parameters) {
    if (p.kind === 'range') scales[p.at] = Math.exp(theta[k++]);
  }
  const choiceScale = Math.exp(theta[k++]);
  for (const p of code.parameters) if (p.kind === 'choice') scales.fill(choiceScale, p.at, p.at + p.width);
  const signal = Math.exp(theta[k++]);
  const noise = Math.exp(theta[k]);
  const covariance = (a, b) => {
    let r2 = 0;
    for (let i = 0; i < a.length; i++) {
      const d = (a[i] - b[i]) / scales[i];
      r2 += d * d;
    }
    return signal * matern(Math.sqrt(r2));
  };
  return { covariance, signal, noise };
}

// The lower Cholesky factor of the n x n matrix a (row-major), or null if not positive.
function cholesky(a, n) {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

// Solves L z = b (forward) and then, with `back`, L^T x = z.
function solve(l, n, b, back) {
  const z = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = z[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  if (!back) return z;
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

// The process for hyperparameters theta: its factor, weights and log marginal likelihood.
function condition(code, points, y, theta) {
  const n = points.length;
  const kernel = kernelOf(code, theta);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const c = kernel.covariance(points[i], points[j]) + (i === j ? kernel.noise + 1e-9 : 0);
      a[i * n + j] = a[j * n + i] = c;
    }
  const l = cholesky(a, n);
  if (!l) return null;
  const alpha = solve(l, n, y, true);
  let logLikelihood = -0.5 * n * Math.log(2 * Math.PI);
  for (let i = 0; i < n; i++) logLikelihood -= 0.5 * y[i] * alpha[i] + Math.log(l[i * n + i]);
  return { kernel, l, alpha, logLikelihood };
}

// Bounds of the hyperparameters' logarithms: length scales 0.02..20 (the cube is 1 wide),
// signal variance 0.05..20 and noise 1e-6..1 (of the standardized metric).
function bounds(code) {
  const ranges = code.parameters.filter((p) => p.kind === 'range').length;
  return [
    ...Array(ranges + 1).fill([Math.log(0.02), Math.log(20)]),
    [Math.log(0.05), Math.log(20)],
    [Math.log(1e-6), Math.log(1)],
  ];
}

// Fits a Gaussian process to points (arrays in the unit cube of `code`) and their values.
// Returns {predict(point) -> {mean, std}, best, hyperparameters, theta (their logarithms),
// logLikelihood}; std is the uncertainty of the modelled function (the noise left out), in
// the values' units. `from`: a theta to start from as well (the last fit's).
export function gaussianProcess(code, points, values, { random = Math.random, starts = 24, from = null } = {}) {
  const n = points.length;
  if (n < 1 || values.length !== n)
    throw new Error(`gaussianProcess: expected as many values as points (at least 1); got ${values.length} and ${n}`);
  if (!values.every(Number.isFinite))
    throw new Error(`gaussianProcess: values must be finite numbers; got ${show([...values])}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const spread = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n) || 1;
  const y = values.map((v) => (v - mean) / spread);
  const box = bounds(code);
  // The marginal likelihood times weak log-normal priors: length scales near half the cube,
  // the signal's variance near the values', the noise near 1% of it. Without them a few
  // noisy trials are fitted exactly by tiny length scales, and the surrogate learns nothing.
  const prior = (theta) => {
    let p = 0;
    for (let i = 0; i < theta.length - 2; i++) p -= 0.5 * (theta[i] - Math.log(0.5)) ** 2;
    p -= 0.5 * (theta.at(-2) / 1.5) ** 2;
    p -= 0.5 * ((theta.at(-1) - Math.log(0.01)) / 2) ** 2;
    return p;
  };
  const score = (theta) => (condition(code, points, y, theta)?.logLikelihood ?? -Infinity) + prior(theta);
  // Random starts (the priors' middle and the last fit among them), then a pattern search
  // from the best three. Each likelihood costs n^3 / 6: past 40 points only the best start
  // is refined, and past 60 with a last fit to start from, only it, by small steps (one
  // more trial moves the fit little).
  const warm = from?.length === box.length && n > 60;
  const candidates = warm
    ? [from]
    : [box.map((_, i) => (i < box.length - 2 ? Math.log(0.5) : i === box.length - 2 ? 0 : Math.log(0.01)))];
  if (from?.length === box.length && !warm) candidates.push(from);
  for (let s = 1; s < (warm ? 0 : starts); s++) candidates.push(box.map(([lo, hi]) => lo + random() * (hi - lo)));
  const scored = candidates.map((theta) => ({ theta, value: score(theta) })).sort((a, b) => b.value - a.value);
  let best = scored[0];
  for (const start of scored.slice(0, n > 40 ? 1 : 3)) {
    let { theta, value } = start;
    for (let step = warm ? 0.25 : 1; step > 0.03; step /= 2) {
      let moved = true;
      while (moved) {
        moved = false;
        for (let i = 0; i < theta.length; i++)
          for (const sign of [1, -1]) {
            const next = theta.slice();
            next[i] = Math.min(box[i][1], Math.max(box[i][0], next[i] + sign * step));
            const v = score(next);
            if (v > value + 1e-9) [theta, value, moved] = [next, v, true];
          }
      }
    }
    if (value > best.value) best = { theta, value };
  }
  const fitted = condition(code, points, y, best.theta);
  if (!fitted) throw new Error('gaussianProcess: no kernel fits these points');
  const { kernel, l, alpha } = fitted;
  return {
    theta: best.theta,
    hyperparameters: {
      lengthScales: best.theta.slice(0, -2).map(Math.exp),
      signal: kernel.signal * spread * spread,
      noise: kernel.noise * spread * spread,
    },
    logLikelihood: fitted.logLikelihood,
    best: Math.max(...values),
    predict(point) {
      const k = points.map((p) => kernel.covariance(point, p));
      let m = 0;
      for (let i = 0; i < n; i++) m += k[i] * alpha[i];
      const v = solve(l, n, k, false);
      const variance = kernel.signal - v.reduce((a, b) => a + b * b, 0);
      return { mean: mean + m * spread, std: Math.sqrt(Math.max(variance, 0)) * spread };
    },
  };
}

// ---- expected improvement ----

// The standard normal's density and distribution (erf by Abramowitz and Stegun 7.1.26).
const density = (z) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
function distribution(z) {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

// How much a point whose value is normal (mean, std) is expected to exceed `best` by (at
// least `margin`): (mean - best - margin) Φ(z) + std φ(z), z = (mean - best - margin) / std;
// where std is 0, the improvement itself if positive, else 0.
export function expectedImprovement(mean, std, best, margin = 0) {
  const gain = mean - best - margin;
  if (!(std > 1e-12)) return Math.max(gain, 0);
  const z = gain / std;
  return Math.max(0, gain * distribution(z) + std * density(z));
}

// ---- the next trial ----

// The point of the cube with the highest expected improvement: random points of the space,
// then steps around the best few, each read back as parameters (so a whole number or a
// choice is scored where a trial could really be). Tried parameters are skipped.
function maximize(code, space, process, best, margin, tried, random, exploit = []) {
  // A normal draw (Box-Muller) from the uniform `random`.
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const score = (params) => {
    const { mean, std } = process.predict(encode(code, params));
    return expectedImprovement(mean, std, best, margin);
  };
  const key = (params) => JSON.stringify(params);
  const seen = new Set(tried.map(key));
  const pool = [];
  const consider = (params) => {
    const k = key(params);
    if (seen.has(k)) return;
    seen.add(k);
    pool.push({ params, value: score(params) });
  };
  for (let i = 0; i < 512; i++) consider(draw(space, random));
  // Steps around the best trials so far, so that the good region is searched closely.
  for (const params of exploit) {
    const origin = encode(code, params);
    for (let i = 0; i < 32; i++)
      consider(
        decode(
          code,
          origin.map((u) => u + 0.05 * normal()),
        ),
      );
  }
  for (let round = 0, step = 0.1; round < 3; round++, step /= 2) {
    pool.sort((a, b) => b.value - a.value);
    for (const { params } of pool.slice(0, 4)) {
      const origin = encode(code, params);
      for (let i = 0; i < 24; i++) {
        const next = origin.map((u) => u + step * normal());
        // A choice's coordinates: another value now and then.
        for (const p of code.parameters)
          if (p.kind === 'choice' && random() < 0.2) {
            next.fill(0, p.at, p.at + p.width);
            next[p.at + Math.floor(random() * p.width)] = 1;
          }
        consider(decode(code, next));
      }
    }
  }
  pool.sort((a, b) => b.value - a.value);
  return pool[0] ?? null;
}

// Signs a metric so that higher is better; a value that is not a number (a run that
// diverged) counts as the worst seen.
function signedValues(trials, lower) {
  const signed = trials.map((t) => (Number.isFinite(t.value) ? (lower ? -t.value : t.value) : NaN));
  const worst = Math.min(...signed.filter(Number.isFinite));
  return signed.map((v) => (Number.isFinite(v) ? v : worst));
}

// The surrogate after `trials` ({params, value}) and the next trial it picks: {params,
// chosenBy, predict(params) -> {mean, std} and expectedImprovement(params) in the metric's
// own units, slice(name, points) over one parameter with the others at the next trial's}.
// Null with fewer than two trials of a finite value. `lower`: the metric is a loss; `next`:
// the next trial's parameters when already chosen (a random draw), else picked here; from:
// the last surrogate's theta, where fitting this one starts as well.
export function surrogate(
  space,
  trials,
  { lower = false, random = Math.random, margin = 0.01, next = null, from = null } = {},
) {
  if (trials.filter((t) => Number.isFinite(t.value)).length < 2) return null;
  const code = encoding(space);
  const points = trials.map((t) => encode(code, t.params));
  const values = signedValues(trials, lower);
  const process = gaussianProcess(code, points, values, { random, from });
  // The best so far as the surrogate sees it: the highest mean at a tried point. Trials are
  // noisy (one seed, one validation set); against the highest value itself, a lucky trial
  // makes every tried region look worse than the unknown corners of the space.
  const best = Math.max(...points.map((p) => process.predict(p).mean));
  // The margin is a share of the values' spread, so it means the same for any metric.
  const spread = Math.max(...values) - Math.min(...values) || 1;
  // The next trial: given (a random one), else the best of the acquisition.
  const chosen = next
    ? { params: next }
    : maximize(
        code,
        space,
        process,
        best,
        margin * spread,
        trials.map((t) => t.params),
        random,
        trials
          .map((t, i) => ({ params: t.params, value: values[i] }))
          .sort((a, b) => b.value - a.value)
          .slice(0, 3)
          .map((t) => t.params),
      );
  const sign = lower ? -1 : 1;
  const predict = (params) => {
    const { mean, std } = process.predict(encode(code, params));
    return { mean: sign * mean, std };
  };
  const improvement = (params) => {
    const { mean, std } = process.predict(encode(code, params));
    return expectedImprovement(mean, std, best, margin * spread);
  };
  return {
    params: chosen?.params ?? null,
    expectedImprovement: improvement,
    predict,
    hyperparameters: process.hyperparameters,
    theta: process.theta,
    slice(name, points = 64) {
      const spec = space[name];
      if (!spec)
        throw new Error(
          `surrogate.slice: ${show(name)} is not a parameter of the space; expected one of ${Object.keys(space).join(', ')}`,
        );
      const at = chosen?.params ?? trials.at(-1).params;
      const xs = Array.isArray(spec)
        ? spec
        : [...new Set(Array.from({ length: points }, (_, i) => fromUnit(spec, i / (points - 1))))];
      const rows = xs.map((x) => {
        const params = { ...at, [name]: x };
        return { x, ...predict(params), ei: improvement(params) };
      });
      return {
        x: rows.map((r) => r.x),
        mean: rows.map((r) => r.mean),
        std: rows.map((r) => r.std),
        ei: rows.map((r) => r.ei),
        at,
      };
    },
  };
}
