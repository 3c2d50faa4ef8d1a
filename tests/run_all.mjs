// Runs every test suite (native doctest cases under ctest, Node tests on the real .wasm,
// browser tests in headless Chromium), then prints one closing line with the totals:
// "N passed, N failed". Exits non-zero if anything failed or a suite could not run.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk, stream) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const testFiles = (dir) =>
  readdirSync(`${root}${dir}`)
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => `${dir}/${f}`);

const ctestCounts = (out) => {
  const m = out.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
  return m && { passed: Number(m[3]) - Number(m[2]), failed: Number(m[2]) };
};

// Each suite says how to read its counts from its own summary lines.
const suites = [
  {
    name: 'native (ctest)',
    command: ['ctest', ['--test-dir', 'build/native', '--output-on-failure']],
    counts: ctestCounts,
  },
  {
    name: 'native under AddressSanitizer and UndefinedBehaviorSanitizer (ctest)',
    command: ['ctest', ['--test-dir', 'build/asan', '--output-on-failure']],
    counts: ctestCounts,
  },
  ...['tests/node', 'tests/browser'].map((dir) => ({
    name: dir,
    command: ['node', ['--test', '--test-concurrency=1', ...testFiles(dir)]],
    counts: (out) => {
      const pass = out.match(/^# pass (\d+)$/m);
      const fail = out.match(/^# fail (\d+)$/m);
      return pass && fail && { passed: Number(pass[1]), failed: Number(fail[1]) };
    },
  })),
];

// The formatters' own checks count as one test each: the code follows .clang-format and
// .prettierrc.json.
const cppFiles = ['engine', 'bindings', 'tests/native', 'tools'].flatMap((dir) =>
  readdirSync(`${root}${dir}`, { recursive: true })
    .filter((f) => /\.(h|cpp)$/.test(f))
    .map((f) => `${dir}/${f}`),
);
for (const [name, command, args] of [
  ['format (clang-format)', 'clang-format', ['--dry-run', '-Werror', ...cppFiles]],
  ['types (tsc)', 'npx', ['tsc', '-p', 'tests/types']],
  ['format (prettier)', 'npx', ['prettier', '--check', 'web/**/*.{js,html,css}', 'tests/**/*.mjs', 'vite.config.mjs']],
]) {
  suites.push({
    name,
    command: [command, args],
    counts: (out, code) => ({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 }),
  });
}

let passed = 0;
let failed = 0;
const broken = [];
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const { code, output } = await run(...suite.command);
  const counts = suite.counts(output, code);
  if (!counts) {
    broken.push(suite.name);
    failed += 1;
    continue;
  }
  passed += counts.passed;
  failed += counts.failed;
  if (code !== 0 && counts.failed === 0) {
    broken.push(suite.name);
    failed += 1;
  }
  console.log(`--- ${suite.name}: ${counts.passed} passed, ${counts.failed} failed`);
}
if (broken.length) console.log(`\nsuites that did not finish cleanly: ${broken.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
