// summary() of a model that holds JavaScript layers (mixed_model.js): a row per layer
// with its name, output shape and parameter count. `parts` splits a Sequential into its
// engine runs and JavaScript layers.
import { snake } from './catalog.js';
import { homeOf } from './layer_homes.js';
import { isCustomLayer } from './layer_registry.js';
import { show } from './show.js';

export function summary(model, parts, lineLength, positions, print = console.log) {
  const rows = [];
  const count = (l) => l.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  if (model.mixedState.graph) {
    // Each layer's name (Keras' default where it has none) and the shape of its output in
    // the graph (its first application's).
    const shapes = new Map();
    const visit = (t) => {
      if (!t || shapes.has(t)) return;
      shapes.set(t, true);
      (t.whole ? [t.whole] : (t.inputs ?? [])).forEach(visit);
      if (t.sourceLayer && !t.whole && !shapes.has(t.sourceLayer)) shapes.set(t.sourceLayer, t.shape);
    };
    model.outputs.forEach(visit);
    // Unnamed layers as Keras names them: "dense", "dense_1", ...
    const counts = new Map();
    const numbered = (base) => {
      const n = counts.get(base) ?? 0;
      counts.set(base, n + 1);
      return n ? `${base}_${n}` : base;
    };
    for (const l of model.layerConfigs) {
      const name = l.name ?? numbered(snake(l.type));
      const type = isCustomLayer(l) ? (l.getClassName?.() ?? l.constructor.name) : l.type;
      // (An engine layer's own model knows its output shape where the graph does not.)
      const own = isCustomLayer(l) ? null : homeOf.get(l)?.model.deref()?.info?.outputShape;
      const shape = shapes.get(l) ?? (own && [null, ...own]);
      rows.push([`${name} (${type})`, shape ? show(shape) : '', count(l)]);
    }
  }
  for (const p of model.mixedState.graph ? [] : parts(model, 'summary')) {
    if (p.engine)
      p.engine.info.layers.forEach((l) =>
        rows.push([`${l.name} (${l.type})`, show([null, ...l.outputShape]), l.parameters]),
      );
    else rows.push([`${p.layer.name} (${p.layer.type})`, show(p.outputShape), p.layer.countParams()]);
  }
  const total = rows.reduce((n, r) => n + (r[2] ?? 0), 0);
  const line = (r) => `${String(r[0]).padEnd(32)}${String(r[1]).padEnd(24)}${r[2]}`;
  print([line(['Layer (type)', 'Output shape', 'Param #']), ...rows.map(line), `Total params: ${total}`].join('\n'));
}
