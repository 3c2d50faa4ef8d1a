// Your text: paste running text or drop a .txt for a language model, or a CSV of
// text,label for a classifier; each is kept in this browser under a name, listed with
// Use, Export and Delete. The limits are said before anything is read; a file that is
// empty, too large, binary or not UTF-8 is refused with its reason and nothing changes.
import { h, labelled, panel, select } from '../dom.js';
import { DATA_SETS } from '../state.js';
import {
  LIMITS,
  checkRunningText,
  deleteText,
  listTexts,
  loadText,
  parseLabelledCsv,
  readTextFile,
  saveText,
} from '../text_store.js';

export function textsPanel(app) {
  const pasted = h('textarea', { rows: 4, 'aria-label': 'your text', placeholder: 'Paste any text here…' });
  const name = h('input', { type: 'text', value: 'my text', maxlength: '100', 'aria-label': 'name of the text' });
  const labelledBox = h('input', { type: 'checkbox', 'aria-label': 'pasted text is a CSV of text,label' });
  const file = h('input', {
    type: 'file',
    accept: '.txt,.csv,text/plain,text/csv',
    'aria-label': 'a text file',
    onchange: () => file.files[0] && useFile(file.files[0]),
  });
  const tokens = select(['characters', 'words'], app.state.tokens, (v) => app.update({ tokens: v }), {
    'aria-label': 'tokens',
  });
  const list = h('ul', { class: 'text-list', 'aria-label': 'texts kept in this browser' });
  const report = h('p', { class: 'hint', role: 'status' });
  const say = (message, kind = 'info') => {
    report.textContent = message;
    report.dataset.kind = kind;
  };

  // A text in hand becomes the data set it fits, and is kept under its name.
  async function use(text) {
    const key = await saveText(text);
    app.userText = { ...text, name: key, serial: (app.userText?.serial ?? 0) + 1 };
    await app.update({ data: text.kind === 'text' ? 'mytext' : 'mylabels', textName: key });
    say(
      text.kind === 'text'
        ? `Kept ${JSON.stringify(key)}: ${text.text.length.toLocaleString('en')} characters for a language model.`
        : `Kept ${JSON.stringify(key)}: ${text.rows.length} labelled texts, ${new Set(text.rows.map((r) => r.label)).size} labels.`,
    );
    await render();
  }

  async function useFile(chosen) {
    try {
      await use(await readTextFile(chosen));
    } catch (error) {
      say(error.message, 'error');
    } finally {
      file.value = '';
    }
  }

  async function usePasted() {
    try {
      const text = pasted.value.replace(/\r\n?/g, '\n');
      const labelledRows = labelledBox.checked ? parseLabelledCsv(text, 'the pasted CSV') : null;
      if (!labelledRows) checkRunningText(text, 'the pasted text');
      await use({ name: name.value, kind: labelledRows ? 'labelled' : 'text', text, rows: labelledRows });
    } catch (error) {
      say(error.message, 'error');
    }
  }

  function exportText(entry) {
    loadText(entry.name).then(
      ({ kind, text }) => {
        const blob = new Blob([text], { type: kind === 'labelled' ? 'text/csv' : 'text/plain' });
        const link = h('a', {
          href: URL.createObjectURL(blob),
          download: `${entry.name}.${kind === 'labelled' ? 'csv' : 'txt'}`,
        });
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      },
      (error) => say(error.message, 'error'),
    );
  }

  async function render() {
    let entries = [];
    try {
      entries = await listTexts();
    } catch (error) {
      say(`This browser cannot keep texts: ${error.message}`, 'error');
    }
    list.replaceChildren(
      ...entries.map((entry) =>
        h(
          'li',
          { class: entry.name === app.state.textName ? 'current' : '' },
          h(
            'span',
            {},
            `${entry.name} (${entry.kind === 'labelled' ? 'labelled, ' : ''}${entry.characters.toLocaleString('en')} characters) `,
          ),
          h(
            'button',
            {
              type: 'button',
              onclick: () => app.update({ data: entry.kind === 'text' ? 'mytext' : 'mylabels', textName: entry.name }),
            },
            'Use',
          ),
          h('button', { type: 'button', onclick: () => exportText(entry) }, 'Export'),
          h(
            'button',
            {
              type: 'button',
              onclick: async () => {
                await deleteText(entry.name);
                say(`Deleted ${JSON.stringify(entry.name)}.`);
                render();
              },
            },
            'Delete',
          ),
        ),
      ),
    );
    tokensField.hidden = !DATA_SETS[app.state.data].userText;
    tokens.value = app.state.tokens;
  }

  const tokensField = labelled('tokens', tokens);
  app.addEventListener('state', () => {
    tokensField.hidden = !DATA_SETS[app.state.data].userText;
    tokens.value = app.state.tokens;
  });
  app.addEventListener(
    'data',
    (e) => e.detail.error && DATA_SETS[app.state.data].userText && say(e.detail.error.message, 'error'),
  );
  render();
  return panel(
    'texts',
    'Your text',
    h('p', { class: 'hint' }, `Kept in this browser only. ${LIMITS}.`),
    pasted,
    h(
      'div',
      { class: 'row' },
      labelled('name', name),
      labelled('CSV of text,label', labelledBox),
      h('button', { type: 'button', onclick: usePasted }, 'Keep and use'),
    ),
    labelled('or a file (.txt, .csv)', file),
    tokensField,
    list,
    report,
  );
}
