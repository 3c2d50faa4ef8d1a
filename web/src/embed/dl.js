// The JavaScript API as one module of the built folder (dl.js beside engine/ and data/),
// for pages that import it from wherever the folder is copied, as a TensorFlow.js program
// imports @tensorflow/tfjs:
//
//   import * as tf from './playground/dl.js';
//
// The engine is found beside this file unless ready({engineUrl}) says otherwise.
import { setReadyDefaults } from '../../lib/index.js';

setReadyDefaults({ engineUrl: new URL(__DL_FROM_SOURCE__ ? '../../engine/' : 'engine/', import.meta.url).href });

export * from '../../lib/index.js';
