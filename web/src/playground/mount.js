// Puts a playground with the chosen panels into an element: the full page uses every
// panel, an embedded widget a few.
import * as dl from '../../lib/layers_api.js';
import { Playground } from './app.js';
import { h } from './dom.js';

// Panels by name: the column each goes to on a wide screen, and its module, loaded only
// when a playground shows it (a widget with a few panels downloads only those).
export const PANELS = {
  data: ['side', () => import('./panels/data.js').then((m) => m.dataPanel)],
  images: ['side', () => import('./panels/images.js').then((m) => m.imagesPanel)],
  texts: ['side', () => import('./panels/texts.js').then((m) => m.textsPanel)],
  model: ['side', () => import('./panels/builder.js').then((m) => m.builderPanel)],
  settings: ['side', () => import('./panels/controls.js').then((m) => m.settingsPanel)],
  techniques: ['side', () => import('./panels/techniques.js').then((m) => m.techniquesPanel)],
  transfer: ['side', () => import('./panels/transfer.js').then((m) => m.transferPanel)],
  code: ['side', () => import('./panels/code.js').then((m) => m.codePanel)],
  train: ['main', () => import('./panels/controls.js').then((m) => m.trainPanel)],
  charts: ['main', () => import('./panels/charts.js').then((m) => m.chartsPanel)],
  network: ['main', () => import('./panels/network.js').then((m) => m.networkPanel)],
  gradients: ['main', () => import('./panels/gradients.js').then((m) => m.gradientsPanel)],
  boundary: ['main', () => import('./panels/boundary.js').then((m) => m.boundaryPanel)],
  pad: ['main', () => import('./panels/pad.js').then((m) => m.padPanel)],
  text: ['main', () => import('./panels/text.js').then((m) => m.textPanel)],
  sequence: ['main', () => import('./panels/sequence.js').then((m) => m.sequencePanel)],
  forecast: ['main', () => import('./panels/forecast.js').then((m) => m.forecastPanel)],
  filters: ['main', () => import('./panels/filters.js').then((m) => m.filtersPanel)],
  gallery: ['main', () => import('./panels/gallery.js').then((m) => m.galleryPanel)],
  tuning: ['main', () => import('./panels/tuning.js').then((m) => m.tuningPanel)],
};

// root: an element; options: {app (a Playground), panels (names), autoTrain}.
export async function mountPlayground(root, { app, panels = Object.keys(PANELS), autoTrain = false } = {}) {
  for (const name of panels)
    if (!Object.hasOwn(PANELS, name))
      throw new Error(`unknown panel ${dl.show(name)}; expected some of ${Object.keys(PANELS).join(', ')}`);
  // The page's widgets train in the engine's worker, whatever a program's default is.
  const { simd } = await dl.ready({ worker: true });
  const side = h('div', { class: 'column side' });
  const main = h('div', { class: 'column main' });
  const makers = await Promise.all(panels.map((name) => PANELS[name][1]()));
  panels.forEach((name, i) => (PANELS[name][0] === 'side' ? side : main).append(makers[i](app, simd)));
  root.classList.add('playground');
  root.append(...[side, main].filter((c) => c.childElementCount));
  await app.rebuild({ reloadData: true });
  if (autoTrain && !app.problem) await app.train();
  return app;
}

export { Playground };
