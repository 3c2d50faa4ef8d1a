// The benchmark's measure of the page's views: how much redrawing them while a 2D set
// trains at full speed slows the engine, and how often they redraw (npm run bench, or
// node scripts/bench.mjs --views for this part alone).
import { startHarness } from '../tests/browser/harness.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The spiral with every feature on and three hidden layers of 8 (every unit drawn as a
// heatmap), batches of 10, until paused at full speed: the samples trained in 5 s (after 1 s
// of warm-up) with the views redrawing (at most every app.refreshMs) and with no redraw at
// all, alternately, three times each. The views' cost is the slowdown of the median;
// refreshes per second are counted while they redraw.
const VIEWS_QUERY =
  '?data=spiral&epochs=0&speed=full&layers=dense-8-tanh~dense-8-tanh~dense-8-tanh~dense-1-sigmoid' +
  '&features=x1,x2,x1%5E2,x2%5E2,x1*x2,sin(x1),sin(x2)';
// The sequence presets the same way (queries below), 12 s each, with the Try-it and
// Inside panels and the samples written every few seconds, or the forecast (off: none of
// them).
export const SEQUENCE_VIEWS = {
  charLstm: '?preset=charLstm&epochs=1000',
  tinyGpt: '?preset=tinyGpt&epochs=1000',
  forecaster: '?preset=forecaster&epochs=1000',
};
const ON = { charLstm: 'on the Bible', tinyGpt: 'on the Bible', forecaster: 'on the sines' };

export async function viewsCost(log = console.log, { query = VIEWS_QUERY, seconds = 5 } = {}) {
  const harness = await startHarness();
  try {
    const runs = { on: [], off: [] };
    for (let round = 0; round < 3; round++)
      for (const mode of ['off', 'on']) {
        const page = await harness.browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(new URL(query, harness.url).href);
        await page.waitForFunction(() => window.playground?.state === 'ready' && window.playground.app.model, null, {
          timeout: 60000,
        });
        const run = await page.evaluate(
          async ([quiet, measured]) => {
            const app = window.playground.app;
            if (quiet) {
              app.refreshViews = () => {};
              // The sequence panels: no redraw, no samples, no forecast.
              for (const panel of document.querySelectorAll(
                '[data-panel=text], [data-panel=sequence], [data-panel=forecast]',
              ))
                panel.hidden = true;
            }
            let refreshes = 0;
            let samples = 0;
            app.addEventListener('refresh', () => refreshes++);
            app.addEventListener('batch', ({ detail }) => (samples += detail.info.samples));
            await app.train();
            await new Promise((r) => setTimeout(r, 1000)); // warm-up: not counted
            [refreshes, samples] = [0, 0];
            const start = performance.now();
            await new Promise((r) => setTimeout(r, measured * 1000));
            const seconds = (performance.now() - start) / 1000;
            const counted = { seconds, samplesPerS: samples / seconds, refreshesPerS: refreshes / seconds };
            await app.pause();
            return counted;
          },
          [mode === 'off', seconds],
        );
        runs[mode].push(run);
        log(`  views ${mode}: ${run.seconds.toFixed(2)} s, ${run.refreshesPerS.toFixed(1)} refreshes/s`);
        await page.close();
      }
    const mid = (mode, key) => median(runs[mode].map((r) => r[key]));
    return {
      query,
      samples_per_s_without_views: mid('off', 'samplesPerS'),
      samples_per_s_with_views: mid('on', 'samplesPerS'),
      slowdown_percent: 100 * (1 - mid('on', 'samplesPerS') / mid('off', 'samplesPerS')),
      refreshes_per_s: mid('on', 'refreshesPerS'),
    };
  } finally {
    await harness.close();
  }
}

export function viewsTable(v) {
  return [
    '\nthe page while the spiral trains at full speed (headless Chromium; goals: 10 refreshes/s, 20% at most)',
    `  ${v.samples_per_s_without_views.toFixed(0)} samples/s without views, ${v.samples_per_s_with_views.toFixed(0)} with them: ${v.slowdown_percent.toFixed(1)}% slower`,
    `  views redrawn ${v.refreshes_per_s.toFixed(1)} times a second`,
    ...Object.entries(v.sequences ?? {}).map(
      ([name, s]) =>
        `  ${name} ${ON[name]}: ${s.samples_per_s_without_views.toFixed(0)} windows/s without the sequence views and samples, ${s.samples_per_s_with_views.toFixed(0)} with them: ${s.slowdown_percent.toFixed(1)}% slower (goal: 20% at most)`,
    ),
  ].join('\n');
}

// The 2D views' cost and each sequence preset's.
export async function allViewsCosts(log = console.log) {
  const views = await viewsCost(log);
  views.sequences = {};
  for (const [name, query] of Object.entries(SEQUENCE_VIEWS))
    views.sequences[name] = await viewsCost(log, { query, seconds: 12 });
  return views;
}
