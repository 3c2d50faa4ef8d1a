// The code view: the page's setup as Keras (Python) and as code for this engine, each with
// a copy button; and the whole run as a Keras project to download (script, data, weights).
import { javascriptCode, kerasCode } from '../codegen.js';
import { h, panel } from '../dom.js';

export function codePanel(app) {
  const keras = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Keras code' });
  const js = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'JavaScript code' });
  const copied = h('span', { class: 'hint', role: 'status' });
  const copy = (pre, what) =>
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(pre.textContent);
            copied.textContent = `${what} code copied.`;
          } catch {
            // Without clipboard permission: select the text so that Ctrl+C copies it.
            getSelection().selectAllChildren(pre);
            copied.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected code.';
          }
        },
      },
      `Copy ${what}`,
    );
  // The Keras project (keras_project.js, with its zip library) is loaded on first use.
  const download = h(
    'button',
    {
      type: 'button',
      class: 'btn-keras-project',
      title: 'The Keras script, the exact data (data.npz) and the trained weights, in one zip',
      onclick: async () => {
        download.disabled = true;
        try {
          const { kerasProject } = await import('../keras_project.js');
          const { bytes, files } = await kerasProject(app);
          const a = h('a', { href: URL.createObjectURL(new Blob([bytes], { type: 'application/zip' })) });
          a.download = 'playground-keras.zip';
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 1000);
          copied.textContent = `Downloaded playground-keras.zip: ${files.join(', ')}.`;
        } catch (error) {
          copied.textContent = `The project could not be made: ${error.message}`;
        } finally {
          download.disabled = false;
        }
      },
    },
    'Download as a Keras project',
  );
  function render() {
    const info = app.data ?? app.info;
    const data = {
      task: app.task,
      classes: info.classes,
      inputShape: info.inputShape ?? ['features'],
      target: app.target ?? 'onehot',
    };
    keras.textContent = kerasCode(app.state, data);
    js.textContent = javascriptCode(app.state, data);
  }
  app.addEventListener('model', render);
  render();
  return panel(
    'code',
    'Code',
    h('details', {}, h('summary', {}, 'Keras (Python)'), keras, copy(keras, 'Keras')),
    h('details', {}, h('summary', {}, 'JavaScript (this engine)'), js, copy(js, 'JavaScript')),
    h('div', { class: 'row' }, download),
    copied,
  );
}
