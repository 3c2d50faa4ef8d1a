// The iframe embed page: a playground configured from the page's address (the same keys
// as <dl-playground>'s attributes), talking to its parent page with postMessage.
// Out: {source: 'dl-playground', type: 'ready' | 'batch' | 'epoch' | 'trained' |
// 'prediction' | 'evaluated' | 'error' | 'reply', …}. In: commands {type, id?, …} (see
// runCommand); each is answered with {type: 'reply', id, ok, result | error}.
import { createWidget, publishEvents, runCommand } from './widget_core.js';

const params = new URLSearchParams(location.search);
// Events go to this origin only when the embedding page names one (?origin=…).
const target = params.get('origin') ?? '*';
const send = (type, detail = {}) => window.parent.postMessage({ ...detail, source: 'dl-playground', type }, target);

const container = document.getElementById('playground');
const note = document.getElementById('problems');
try {
  const { app, problems } = await createWidget(container, params, new URL('./', document.baseURI));
  window.playground = { app };
  if (problems.length) {
    note.textContent = `Some settings were not used: ${problems.join('; ')}.`;
    note.hidden = false;
  }
  publishEvents(app, send);
  window.addEventListener('message', async (event) => {
    if (event.source !== window.parent || event.data?.source === 'dl-playground') return;
    if (target !== '*' && event.origin !== target) return;
    const id = event.data?.id;
    try {
      const result = await runCommand(app, event.data);
      send('reply', { id, ok: true, result: JSON.parse(JSON.stringify(result)) });
    } catch (error) {
      send('reply', { id, ok: false, error: error.message });
    }
  });
  send('ready', { state: app.state, problems });
} catch (error) {
  note.textContent = `The playground could not start: ${error.message}`;
  note.hidden = false;
  send('error', { message: error.message });
}
