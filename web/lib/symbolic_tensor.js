// The symbolic tensor of a graph being described (functional.js): no values, a shape with
// null for the batch (null as a whole for a layer's output until its model is built; then
// weights.js fills it in), and the layer application that makes it (or, for a layer of
// several outputs, which of them it is).
let made = 0;

export class SymbolicTensor {
  constructor({ shape = null, name, dtype = 'float32', layer = null, inputs = [], whole = null, part = null }) {
    this.order = ++made; // creation order: a topological order, and the order of apply() calls
    this.shape = shape;
    this.name = name;
    this.dtype = dtype;
    this.sourceLayer = layer;
    this.inputs = inputs;
    // Output `part` of an application of a layer of several outputs: `whole` is the
    // application (not itself a tensor of the graph), and the only input.
    this.whole = whole;
    this.part = part;
    if (whole) this.inputs = [whole];
  }
}
