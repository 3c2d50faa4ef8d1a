// The tree keeps the shape the design asks for: only the expected files at the root, no
// import circle among the JavaScript modules under web/, the page and widgets reach the
// library only through its public entries (web/lib/index.js as a user would, or its
// layers part web/lib/layers_api.js), and no source file past 400 lines (a file that long
// is asking to be split).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

import { projectRoot } from './engine.mjs';

const SOURCE = /\.(js|mjs|cpp|h|ts|css|html|sh)$/;
const SKIP = /(^|\/)(node_modules|public|dist|build)(\/|$)/;

function files(dir, pattern) {
  return readdirSync(join(projectRoot, dir), { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => pattern.test(f) && !SKIP.test(f));
}

// The relative modules a file imports or re-exports statically.
function importsOf(file) {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  const found = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm))
    found.push(relative(projectRoot, resolve(projectRoot, dirname(file), m[1])));
  return found;
}

// The files git keeps at the repository's root: anything else there (a stray file made by
// a shell mishap, a forgotten notes file) fails.
const ROOT_FILES = [
  '.clang-format',
  '.gitignore',
  '.prettierrc.json',
  'CHANGELOG.md',
  'CMakeLists.txt',
  'CONTRIBUTING.md',
  'README.md',
  'package-lock.json',
  'package.json',
  'vite.config.mjs',
];

test('the repository root holds only the expected files', () => {
  // Tracked files and untracked ones git does not ignore.
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: projectRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  const atRoot = [...new Set(tracked.filter((f) => !f.includes('/')))];
  assert.ok(atRoot.includes('package.json'), `git ls-files found ${JSON.stringify(atRoot)}; the scan is broken`);
  const unexpected = atRoot.filter((f) => !ROOT_FILES.includes(f));
  assert.deepEqual(unexpected, [], `unexpected files at the root: ${JSON.stringify(unexpected)}`);
});

test('the page and widgets import the library only through its entries, index.js or layers_api.js', () => {
  const page = files('web/src', /\.js$/).concat(files('web', /^web\/[^/]*\.html$/));
  const reaching = [];
  for (const file of page) {
    const text = readFileSync(join(projectRoot, file), 'utf8');
    // Static imports and re-exports, imports for effect, dynamic import(), new URL(...)
    // of a module, and a page's script tags.
    for (const m of text.matchAll(/(?:from\s+|import\s*\(?\s*|new URL\(\s*|src=)['"](\.[^'"]+)['"]/g)) {
      const target = relative(projectRoot, resolve(projectRoot, dirname(file), m[1]));
      if (target.startsWith('web/lib/') && !['web/lib/index.js', 'web/lib/layers_api.js'].includes(target))
        reaching.push(`${file} -> ${target}`);
    }
  }
  assert.ok(page.length > 30, `found only ${page.length} page modules; the scan is broken`);
  assert.ok(page.includes('web/index.html'), 'the pages at web/ are scanned too');
  assert.deepEqual(reaching, [], `library internals imported by the page:\n${reaching.join('\n')}`);
});

test('no import circle among the JavaScript modules under web/', () => {
  const graph = new Map(files('web', /\.js$/).map((f) => [f, importsOf(f).filter((i) => i.endsWith('.js'))]));
  const circles = [];
  const state = new Map(); // 1: on the current path, 2: done
  const visit = (file, path) => {
    if (state.get(file) === 2) return;
    if (state.get(file) === 1) {
      circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 1);
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 2);
  };
  for (const file of graph.keys()) visit(file, []);
  assert.ok(graph.size > 20, `found only ${graph.size} modules; the scan is broken`);
  assert.deepEqual(circles, [], `import circles:\n${circles.join('\n')}`);
});

test('no source file is past 400 lines', () => {
  const all = ['engine', 'bindings', 'web', 'tests', 'tools', 'scripts'].flatMap((dir) => files(dir, SOURCE));
  const long = all
    .map((f) => [f, readFileSync(join(projectRoot, f), 'utf8').split('\n').length - 1])
    .filter(([, lines]) => lines > 400)
    .map(([f, lines]) => `${f}: ${lines} lines`);
  assert.ok(all.length > 100, `found only ${all.length} source files; the scan is broken`);
  assert.deepEqual(long, [], `files past 400 lines:\n${long.join('\n')}`);
});
