// A deep Q-network trained as TensorFlow.js' snake-dqn example trains its agent
// (tfjs-examples/snake-dqn: agent.js' trainOnReplayBatch, dqn.js' network and weight
// copy), on a smaller game: an agent on a 5x5 board walks to a fruit. The state is the
// board as an image of two channels (agent, fruit) as snake-dqn's getStateTensor makes it;
// the online network's gradients come from tf.variableGrads over model.apply(..., {training:
// true}), the target network's maxima from predict. Run as is with @tensorflow/tfjs;
// tfjs_programs.test.mjs runs it again with only the import changed.
import * as tf from '@tensorflow/tfjs';

await tf.ready();
const STEPS = Number(process.env.STEPS ?? 1500);
const SIZE = 5;
const NUM_ACTIONS = 4; // up, down, left, right
const MOVES = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];
const MAX_MOVES = 12;

// A seeded generator, so that both libraries play the same games.
let seed = 12345;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const randomInt = (n) => Math.floor(random() * n);

function newGame() {
  const agent = [randomInt(SIZE), randomInt(SIZE)];
  let fruit;
  do fruit = [randomInt(SIZE), randomInt(SIZE)];
  while (fruit[0] === agent[0] && fruit[1] === agent[1]);
  return { agent, fruit, moves: 0 };
}

// One move: {state, reward, done}. A step costs a little, a wall more, the fruit pays.
function step(game, action) {
  const [dy, dx] = MOVES[action];
  const y = game.agent[0] + dy;
  const x = game.agent[1] + dx;
  const wall = y < 0 || y >= SIZE || x < 0 || x >= SIZE;
  const agent = wall ? game.agent : [y, x];
  const next = { agent, fruit: game.fruit, moves: game.moves + 1 };
  const ate = agent[0] === game.fruit[0] && agent[1] === game.fruit[1];
  const reward = ate ? 1 : wall ? -0.2 : -0.05;
  return { state: next, reward, done: ate || next.moves >= MAX_MOVES };
}

function getStateTensor(states) {
  const values = new Float32Array(states.length * SIZE * SIZE * 2);
  states.forEach((s, n) => {
    values[((n * SIZE + s.agent[0]) * SIZE + s.agent[1]) * 2] = 1;
    values[((n * SIZE + s.fruit[0]) * SIZE + s.fruit[1]) * 2 + 1] = 1;
  });
  return tf.tensor4d(values, [states.length, SIZE, SIZE, 2]);
}

function createDeepQNetwork() {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 1, activation: 'relu', inputShape: [SIZE, SIZE, 2] }),
  );
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: NUM_ACTIONS }));
  return model;
}

// The target network takes the online network's weights (LayerVariable read and write).
function copyWeights(dest, src) {
  tf.tidy(() => dest.weights.forEach((w, i) => w.write(src.weights[i].read())));
}

const online = createDeepQNetwork();
const target = createDeepQNetwork();
copyWeights(target, online);
const optimizer = tf.train.adam(1e-3);
const memory = [];
const GAMMA = 0.9;
const BATCH = 32;

function chooseAction(state, epsilon) {
  if (random() < epsilon) return randomInt(NUM_ACTIONS);
  return tf.tidy(
    () =>
      online
        .predict(getStateTensor([state]))
        .argMax(-1)
        .dataSync()[0],
  );
}

// snake-dqn's trainOnReplayBatch, line for line but for the game's names.
function trainOnReplayBatch() {
  const batch = Array.from({ length: BATCH }, () => memory[randomInt(memory.length)]);
  const lossFunction = () =>
    tf.tidy(() => {
      const stateTensor = getStateTensor(batch.map((example) => example[0]));
      const actionTensor = tf.tensor1d(
        batch.map((example) => example[1]),
        'int32',
      );
      const qs = online.apply(stateTensor, { training: true }).mul(tf.oneHot(actionTensor, NUM_ACTIONS)).sum(-1);
      const rewardTensor = tf.tensor1d(batch.map((example) => example[2]));
      const nextStateTensor = getStateTensor(batch.map((example) => example[4]));
      const nextMaxQTensor = target.predict(nextStateTensor).max(-1);
      const doneMask = tf.scalar(1).sub(tf.tensor1d(batch.map((example) => (example[3] ? 1 : 0))).asType('float32'));
      const targetQs = rewardTensor.add(nextMaxQTensor.mul(doneMask).mul(GAMMA));
      return tf.losses.meanSquaredError(targetQs, qs);
    });
  const grads = tf.variableGrads(lossFunction);
  optimizer.applyGradients(grads.grads);
  const loss = grads.value.dataSync()[0];
  tf.dispose(grads);
  return loss;
}

// Greedy play of `games` new games: the share that reach the fruit.
function successRate(games) {
  let reached = 0;
  for (let g = 0; g < games; g++) {
    let game = newGame();
    for (;;) {
      const { state, reward, done } = step(game, chooseAction(game, 0));
      game = state;
      if (reward === 1) reached++;
      if (done) break;
    }
  }
  return reached / games;
}

const start = performance.now();
const before = successRate(50);
let game = newGame();
const losses = [];
for (let i = 0; i < STEPS; i++) {
  const epsilon = Math.max(0.05, 1 - i / (STEPS * 0.6));
  const action = chooseAction(game, epsilon);
  const { state, reward, done } = step(game, action);
  memory.push([game, action, reward, done, state]);
  if (memory.length > 5000) memory.shift();
  game = done ? newGame() : state;
  if (memory.length >= BATCH) losses.push(trainOnReplayBatch());
  if (i % 100 === 0) copyWeights(target, online);
}
const trainMs = performance.now() - start;
const after = successRate(100);
console.log(
  'RESULT',
  JSON.stringify({
    before,
    accuracy: after,
    firstLoss: losses.slice(0, 20).reduce((a, b) => a + b, 0) / 20,
    lastLoss: losses.slice(-100).reduce((a, b) => a + b, 0) / 100,
    ms: trainMs,
    msPerStep: trainMs / STEPS,
  }),
);
online.dispose();
target.dispose();
optimizer.dispose();
console.log('TENSORS', tf.memory().numTensors);
