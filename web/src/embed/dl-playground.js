// <dl-playground>: a trainable network in any page, with one script tag:
//   <script type="module" src="…/dl-playground.js"></script>
//   <dl-playground preset="small" panels="train charts boundary" autotrain></dl-playground>
// Its attributes are the page's address keys (state.js) plus panels, autotrain, eager,
// width and height; it fires dl-* events and command({type, …}) drives it
// (widget_core.js). docs/embedding.md has them all as tables.
import uplotCss from 'uplot/dist/uPlot.min.css?inline';

import pageCss from '../style.css?inline';
import viewsCss from '../views.css?inline';
import sequencesCss from '../sequences.css?inline';
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

// A widget's settings: its attributes as address keys.
function settingsOf(element) {
  const params = new URLSearchParams();
  for (const { name, value } of element.attributes) params.set(name, value);
  return params;
}

class DlPlayground extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = uplotCss + pageCss + viewsCss + sequencesCss + WIDGET_CSS;
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
    this.ready = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.ready.catch(() => {});
    this.container = container;
    this.note = note;
    // A widget starts (downloads its panels, loads its data, builds its model) when it
    // comes near the screen, so that a long tutorial's later widgets cost nothing until
    // read; `eager` starts it at once, and so does any command.
    if (this.hasAttribute('eager') || typeof IntersectionObserver === 'undefined') this.begin();
    else {
      // Until it starts it keeps a widget's room, so that widgets further down stay off screen.
      if (!this.style.height || this.style.height === 'auto') this.style.minHeight = '400px';
      this.observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.begin(), {
        rootMargin: '100px 0px',
      });
      this.observer.observe(this);
    }
  }

  begin() {
    if (this.started) return;
    this.started = true;
    this.observer?.disconnect();
    const { container, note } = this;
    const params = settingsOf(this);
    const pageWidgets = () => [...document.querySelectorAll('dl-playground')].map(settingsOf);
    createWidget(container, params, assetBase, pageWidgets)
      .finally(() => (this.style.minHeight = ''))
      .then(
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
      )
      .then(this.settle.resolve, this.settle.reject);
  }

  // Taken out of the page (a single-page tutorial moving on): training pauses; put back,
  // it can resume where it was.
  disconnectedCallback() {
    if (this.app?.trainState === 'training') this.app.pause();
  }

  // Runs a command ({type: 'train'}, {type: 'set', name, value}, …); see widget_core.js.
  async command(message) {
    this.begin();
    return runCommand(await this.ready, message);
  }
}

if (!customElements.get('dl-playground')) customElements.define('dl-playground', DlPlayground);
