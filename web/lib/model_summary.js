// model.summary(): the engine's Keras-style table, printed line by line with printFn
// (console.log by default; null prints nothing), resolving with its text. Called as
// TensorFlow.js' summary(lineLength, positions, printFn) or as summary({printFn}); printed
// at once where the engine runs in this thread and the model is built.
export function summary(model, args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { printFn: args[2] };
  const printFn = options.printFn === undefined ? console.log : options.printFn;
  const print = (engineText) => {
    // (A graph's own name heads the table, as TensorFlow.js prints it.)
    const named = model.graph
      ? engineText.replace(/^Model: "model"/, () => `Model: ${JSON.stringify(model.name)}`)
      : engineText;
    const text = withVaryingShapes(named, model.varyingShapes);
    if (printFn) text.split('\n').forEach((line) => printFn(line));
    return text;
  };
  if (model.owner.sync && model.info && !model.disposed && !model.writing)
    return Promise.resolve(print(model.owner.callSync('summary', model.id)));
  const printed = model.ready('summary').then(async () => print(await model.owner.call('summary', model.id)));
  // Programs written for TensorFlow.js call summary() without awaiting it: a model that
  // could not be built rejects here without an unhandled rejection, and the next call that
  // needs the model (fit, predict) reports why.
  printed.catch(() => {});
  return printed;
}

// The engine's table gives shapes for the lengths the model is made for now; where a
// graph's inputs vary (functional.js), a row's output shape shows null (None) there. (A
// layer of several outputs keeps its row: the engine prints their sizes together.)
function withVaryingShapes(text, shapes) {
  if (!shapes?.size) return text;
  return text
    .split('\n')
    .map((line) => {
      const row = /^ (\S+) \(\w+\)(\s+)(\(None(?:, \d+)*\))(\s*)/.exec(line);
      const shape = row && !shapes.has(`${row[1]}#0`) && shapes.get(row[1]);
      if (!shape || row[3].split(',').length !== shape.length + 1) return line;
      const varying = `(None, ${shape.map((d) => (d === null ? 'None' : d)).join(', ')})`;
      const cell = row[3] + row[4];
      const start = row.index + row[0].length - cell.length;
      return line.slice(0, start) + varying.padEnd(cell.length - 1) + ' ' + line.slice(start + cell.length);
    })
    .join('\n');
}
