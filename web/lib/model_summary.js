// model.summary(): the engine's Keras-style table, printed line by line with printFn
// (console.log by default; null prints nothing), resolving with its text. Called as
// TensorFlow.js' summary(lineLength, positions, printFn) or as summary({printFn}); printed
// at once where the engine runs in this thread and the model is built.
export function summary(model, args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { printFn: args[2] };
  const printFn = options.printFn === undefined ? console.log : options.printFn;
  const print = (text) => {
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
