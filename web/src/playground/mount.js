// Puts a playground with the chosen panels into an element: the full page uses every
// panel, an embedded widget a few.
import * as dl from '../../lib/index.js';
import { Playground } from './app.js';
import { h } from './dom.js';
import { boundaryPanel } from './panels/boundary.js';
import { builderPanel } from './panels/builder.js';
import { chartsPanel } from './panels/charts.js';
import { codePanel, dataPanel, settingsPanel, trainPanel } from './panels/controls.js';
import { filtersPanel } from './panels/filters.js';
import { galleryPanel } from './panels/gallery.js';
import { networkPanel } from './panels/network.js';
import { padPanel } from './panels/pad.js';
import { techniquesPanel } from './panels/techniques.js';
import { tuningPanel } from './panels/tuning.js';

// Panels by name, and the column each goes to on a wide screen.
export const PANELS = {
  data: ['side', dataPanel],
  model: ['side', builderPanel],
  settings: ['side', settingsPanel],
  techniques: ['side', techniquesPanel],
  code: ['side', codePanel],
  train: ['main', trainPanel],
  charts: ['main', chartsPanel],
  network: ['main', networkPanel],
  boundary: ['main', boundaryPanel],
  pad: ['main', padPanel],
  filters: ['main', filtersPanel],
  gallery: ['main', galleryPanel],
  tuning: ['main', tuningPanel],
};

// root: an element; options: {app (a Playground), panels (names), autoTrain}.
export async function mountPlayground(root, { app, panels = Object.keys(PANELS), autoTrain = false } = {}) {
  for (const name of panels)
    if (!PANELS[name]) throw new Error(`unknown panel '${name}'; expected some of ${Object.keys(PANELS).join(', ')}`);
  const { simd } = await dl.ready();
  const side = h('div', { class: 'column side' });
  const main = h('div', { class: 'column main' });
  for (const name of panels) {
    const [column, make] = PANELS[name];
    (column === 'side' ? side : main).append(make(app, simd));
  }
  root.classList.add('playground');
  root.append(...[side, main].filter((c) => c.childElementCount));
  await app.rebuild({ reloadData: true });
  if (autoTrain && !app.problem) await app.train();
  return app;
}

export { Playground };
