// Two-class "circle" data as in TensorFlow Playground: points inside a radius are one
// class, points in a ring outside it the other. Seeded, so every load shows the same set.

// mulberry32: a tiny seeded generator for data, separate from the engine's.
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Returns {x: Float32Array (n*2), y: Float32Array (n), n}; coordinates in [-6, 6].
export function circleData(n, noise, seed) {
  const random = seededRandom(seed);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inside = i % 2 === 0;
    const radius = inside ? random() * 2.5 : 3.5 + random() * 1.5;
    const angle = random() * 2 * Math.PI;
    x[2 * i] = radius * Math.sin(angle) + (random() - 0.5) * noise;
    x[2 * i + 1] = radius * Math.cos(angle) + (random() - 0.5) * noise;
    y[i] = inside ? 0 : 1;
  }
  return { x, y, n };
}
