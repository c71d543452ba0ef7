// Test-by-test comparison of a plain run and a traced run, and the explained differences
// (test/compat/known-differences.json: tests that inspect tracing themselves).

/** Every test either run reports; a test one run never reached counts as "not run". */
export function compareRuns(plain, traced) {
  const ids = new Set([...plain.tests.keys(), ...traced.tests.keys()]);
  const differ = [];
  for (const test of [...ids].sort()) {
    const p = plain.tests.get(test)?.result ?? "not run";
    const t = traced.tests.get(test)?.result ?? "not run";
    if (p !== t) differ.push({ test, plain: p, traced: t, tracedDetail: traced.tests.get(test)?.detail ?? "" });
  }
  return { tests: ids.size, same: ids.size - differ.length, differ };
}

/** The known-differences entry for this test, or null. An entry: { python: "3.12" | ["3.11", ...],
 * suite, test (the unittest id), mode: "timeline" | "races" | "both", plain, traced, reason }. */
export function explainedBy(known, minor, suite, mode, diff) {
  const version = `3.${minor}`;
  return known.find((k) =>
    (Array.isArray(k.python) ? k.python.includes(version) : k.python === version) &&
    k.suite === suite && k.test === diff.test && (k.mode === "both" || k.mode === mode) &&
    k.plain === diff.plain && k.traced === diff.traced) ?? null;
}
