// A view's redraw, run at once when the app is idle and at most once every `every` ms while
// it trains (each redraw waits for a batch to end, so it takes time from training); asked
// for while one runs, it runs once more after that one.
export function throttled(app, every, redraw) {
  let busy = false;
  let again = false;
  let last = -Infinity;
  let timer = 0;
  async function run() {
    if (busy) return void (again = true);
    busy = true;
    last = performance.now();
    try {
      await redraw();
    } finally {
      busy = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }
  function schedule() {
    if (timer) return;
    const wait = app.trainState === 'training' ? Math.max(0, last + every - performance.now()) : 0;
    timer = setTimeout(() => {
      timer = 0;
      run();
    }, wait);
  }
  return schedule;
}
