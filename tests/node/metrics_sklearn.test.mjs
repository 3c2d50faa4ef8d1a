// The engine's per-class scores (engine/train/metrics.cpp, the project's one
// implementation) against scikit-learn's on the same labels: precision, recall, F1 and
// support per class and their macro and weighted averages, with classes that are never
// predicted and one that never occurs (scikit-learn's zero_division=0). Run by Debian's
// Python (/usr/bin/python3, with python3-sklearn from scripts/setup.sh), not whichever
// python3 comes first on PATH.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();

const SKLEARN = `
import json, sys
from sklearn.metrics import precision_recall_fscore_support, confusion_matrix
case = json.load(sys.stdin)
labels = list(range(case["classes"]))
out = {}
for average in [None, "macro", "weighted"]:
    p, r, f, s = precision_recall_fscore_support(case["truth"], case["predicted"], labels=labels, average=average, zero_division=0)
    key = average or "per_class"
    out[key] = {"precision": list(map(float, p)) if average is None else float(p),
                "recall": list(map(float, r)) if average is None else float(r),
                "f1": list(map(float, f)) if average is None else float(f)}
    if average is None: out[key]["support"] = list(map(int, s))
out["confusion"] = confusion_matrix(case["truth"], case["predicted"], labels=labels).flatten().tolist()
print(json.dumps(out))
`;

test('classificationReport equals scikit-learn on random labels (a class never predicted, one never present)', async () => {
  const rnd = dl.data.seededRandom(7);
  for (const [n, classes] of [
    [1, 2],
    [17, 3],
    [500, 10],
  ]) {
    // Class classes-1 never occurs in the truth; class 0 is never predicted.
    const truth = Array.from({ length: n }, () => Math.floor(rnd() * (classes - 1)));
    const predicted = truth.map((t) => (rnd() < 0.6 ? t : Math.floor(rnd() * classes)) || 1);
    const ours = await dl.metrics.classificationReport(truth, predicted, classes);
    const theirs = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', SKLEARN], {
        input: JSON.stringify({ truth, predicted, classes }),
        encoding: 'utf8',
      }),
    );
    const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ours ${a}, scikit-learn ${b}`);
    ours.perClass.forEach((row, c) => {
      for (const key of ['precision', 'recall', 'f1'])
        close(row[key], theirs.per_class[key][c], `${key} of class ${c}`);
      assert.equal(row.support, theirs.per_class.support[c], `support of class ${c}`);
    });
    for (const average of ['macro', 'weighted'])
      for (const key of ['precision', 'recall', 'f1'])
        close(ours[average][key], theirs[average][key], `${average} ${key}`);
    assert.deepEqual(ours.confusionMatrix, theirs.confusion);
  }
});

test('classificationReport refuses bad classes by name, with the value as JSON', async () => {
  await assert.rejects(
    dl.metrics.classificationReport([0, 1.5], [0, 1], 2),
    /classificationReport: labels\[1\] is 1\.5; expected a whole number/,
  );
  await assert.rejects(
    dl.metrics.classificationReport([0, 1], [0, '1'], 2),
    /classificationReport: predictions\[1\] is "1"; expected a whole number/,
  );
  await assert.rejects(
    dl.metrics.classificationReport([0, 4], [0, 1], 3),
    /class report: the true class of sample 1 is 4; expected 0 to 2/,
  );
  await assert.rejects(dl.metrics.classificationReport([0], [0], 5000), /classes must be at most 4096; got 5000/);
  await assert.rejects(
    dl.metrics.classificationReport([0], [0], 3e9),
    /classes must be a whole number >= 1; got 3000000000/,
  );
  await assert.rejects(
    dl.metrics.classificationReport([2 ** 32], [0], 2),
    /labels\[0\] is 4294967296; expected a whole number/,
  );
  await assert.rejects(dl.metrics.classificationReport([0], [], 2), /non-empty and of the same length; got 1 and 0/);
});
