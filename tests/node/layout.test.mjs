// The tree keeps the shape the design asks for: no import circle among the JavaScript
// modules under web/, and no source file past 400 lines (a file that long is asking to be
// split).
import assert from 'node:assert/strict';
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
