// A helper engine in a Node worker thread (node_team.js): serves the leader's requests on
// the MessagePort it was given.
import { parentPort, workerData } from 'node:worker_threads';

import { loadEngineModule } from './engine_loader.js';
import { serveTeam } from './team.js';

const engine = await loadEngineModule({ engineDir: workerData.engineDir, simd: workerData.simd });
serveTeam(workerData.port, engine, () => process.exit(1));
parentPort.postMessage('ready');
