// The image the probing views look at on MNIST, and every layer's outputs for it: the
// drawing while the user draws (the last thing touched), otherwise the chosen test image.
// The network view and "What the layers see" draw from app.probeMaps ({model, source,
// pixels, maps}); it is renewed when the weights change, the drawing changes or another
// test image is chosen, and 'probe' is emitted each time.
import * as dl from '../../lib/layers_api.js';

// {kind: 'drawing', pixels} or {kind: 'test', index, pixels}, or null without images.
export function probeSource(app) {
  if (!app.isImages || !app.data?.image) return null;
  if (app.probeFrom === 'drawing' && app.drawing) return { kind: 'drawing', pixels: app.drawing };
  const index = Math.min(app.chosenImage ?? 0, app.data.testCount - 1);
  return { kind: 'test', index, pixels: app.data.testImage(index) };
}

// What a source is called in captions.
export const sourceName = (source) => (source.kind === 'drawing' ? 'your drawing' : `test image ${source.index}`);

// Starts renewing app.probeMaps on the events that change it; once per playground.
export function watchProbe(app) {
  if (app.probeWatched) return;
  app.probeWatched = true;
  let busy = false;
  let again = false;
  async function renew() {
    if (busy) {
      again = true;
      return;
    }
    const model = app.model;
    const source = probeSource(app);
    if (!model || app.problem || !source) return;
    busy = true;
    const x = dl.tensorFromBytes(Uint8Array.from(source.pixels), [1, ...app.data.imageShape]);
    try {
      const maps = await model.activations(x);
      if (model === app.model) {
        app.probeMaps = { model, source, pixels: Uint8Array.from(source.pixels), maps };
        app.emit('probe');
      }
    } catch {
      // The model was replaced or disposed meanwhile: the next event renews the maps.
    } finally {
      x.dispose();
      busy = false;
      if (again) {
        again = false;
        renew();
      }
    }
  }
  app.addEventListener('refresh', renew);
  app.addEventListener('model', renew);
  app.addEventListener('drawing', () => {
    app.probeFrom = 'drawing';
    renew();
  });
  app.addEventListener('choose', () => {
    app.probeFrom = 'test';
    renew();
  });
}
