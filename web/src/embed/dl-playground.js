// <dl-playground>: a trainable network in any page, with one script tag:
//   <script type="module" src="…/dl-playground.js"></script>
//   <dl-playground preset="small" panels="train charts boundary" autotrain></dl-playground>
// Attributes: preset, data, layers (as in the page's address, e.g. dense-4-tanh~dense-1-sigmoid)
// or model (a JSON array of layers), lr, optimizer, loss, batch, epochs, l1, l2, val, seed,
// noise; panels (names: data model settings code train charts network boundary pad filters
// gallery), autotrain, width and height. The element fires dl-ready, dl-batch, dl-epoch,
// dl-trained, dl-prediction, dl-evaluated and dl-error events; command({type, …}) drives it.
import uplotCss from 'uplot/dist/uPlot.min.css?inline';

import pageCss from '../style.css?inline';
import viewsCss from '../views.css?inline';
import { createWidget, publishEvents, runCommand } from './widget_core.js';

// The built script sits beside engine/ and data/; under Vite's dev server this source
// file is two folders down (src/embed/). __DL_FROM_SOURCE__ is set by vite.config.mjs.
const assetBase = new URL(__DL_FROM_SOURCE__ ? '../../' : './', import.meta.url);

const WIDGET_CSS = `
:host { display: block; contain: content; font-family: system-ui, sans-serif; color: #1d2433;
  background: #f4f5f9; border-radius: 10px; overflow: auto; }
.playground { padding: 10px; gap: 10px; }
.column.main { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); align-items: start; }
.problem { margin: 8px 10px; }
`;

class DlPlayground extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = uplotCss + pageCss + viewsCss + WIDGET_CSS;
    const container = document.createElement('div');
    const note = document.createElement('p');
    note.className = 'problem';
    note.setAttribute('role', 'alert');
    note.hidden = true;
    root.append(style, note, container);
    for (const side of ['width', 'height']) {
      const value = this.getAttribute(side);
      if (value) this.style[side] = /^\d+$/.test(value) ? `${value}px` : value;
    }
    const params = new URLSearchParams();
    for (const { name, value } of this.attributes) params.set(name, value);
    this.ready = createWidget(container, params, assetBase).then(
      ({ app, problems }) => {
        this.app = app;
        if (problems.length) {
          note.textContent = `Some settings were not used: ${problems.join('; ')}.`;
          note.hidden = false;
        }
        publishEvents(app, (type, detail) => this.dispatchEvent(new CustomEvent(`dl-${type}`, { detail })));
        this.dispatchEvent(new CustomEvent('dl-ready', { detail: { state: app.state, problems } }));
        return app;
      },
      (error) => {
        note.textContent = `The playground could not start: ${error.message}`;
        note.hidden = false;
        this.dispatchEvent(new CustomEvent('dl-error', { detail: { message: error.message } }));
        throw error;
      },
    );
    this.ready.catch(() => {});
  }

  // Taken out of the page (a single-page tutorial moving on): training pauses; put back,
  // it can resume where it was.
  disconnectedCallback() {
    if (this.app?.trainState === 'training') this.app.pause();
  }

  // Runs a command ({type: 'train'}, {type: 'set', name, value}, …); see widget_core.js.
  async command(message) {
    return runCommand(await this.ready, message);
  }
}

if (!customElements.get('dl-playground')) customElements.define('dl-playground', DlPlayground);
