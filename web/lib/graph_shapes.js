// The shapes of a built graph model's symbolic tensors, from the engine's nodes (weights.js
// calls it once the model is built).

// Each symbolic tensor a layer of the graph makes takes its node's shape, [null, ...],
// and its name ("dense_1", or "dense_1:1" for a shared layer's second application, "lstm#1"
// for output 1 of a layer of several). otherNodes: the nodes for inputs of other lengths,
// where a graph's inputs vary; a dimension that differs there is null.
export function shapeGraph(model, nodes, otherNodes) {
  model.nodeShapes = new Map(nodes.map((n) => [n.name, n.shape]));
  const other = new Map((otherNodes ?? []).map((n) => [n.name, n.shape]));
  const declared = (name, shape) => shape.map((d, k) => (other.has(name) && other.get(name)[k] !== d ? null : d));
  const shapes = new Map(nodes.map((n) => [n.name, declared(n.name, n.shape)]));
  // (For summary's table: the nodes whose shapes vary, with null there.)
  if (otherNodes) model.varyingShapes = new Map([...shapes].filter(([, shape]) => shape.includes(null)));
  const applied = [];
  const parts = [];
  const seen = new Set();
  const visit = (t) => {
    if (seen.has(t)) return;
    seen.add(t);
    t.inputs.forEach(visit);
    if (t.whole) parts.push(t);
    else if (t.sourceLayer) applied.push(t);
  };
  model.outputs.forEach(visit);
  applied.sort((a, b) => a.order - b.order);
  const calls = new Map();
  for (const t of applied) {
    const call = calls.get(t.sourceLayer) ?? 0;
    calls.set(t.sourceLayer, call + 1);
    const name = model.layerNames.get(t.sourceLayer) + (call ? `:${call}` : '');
    if (!t.shape && shapes.has(name)) t.shape = [null, ...shapes.get(name)];
    t.name ??= name;
  }
  // Output k of a layer of several: its node "lstm#k" (made for the parts the graph uses).
  for (const t of parts) {
    const name = `${t.whole.name}#${t.part}`;
    if (!t.shape && shapes.has(name)) t.shape = [null, ...shapes.get(name)];
    t.name ??= name;
  }
}
