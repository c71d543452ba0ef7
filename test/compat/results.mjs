// Per-test results from the verbose output of `python -m test SUITE -v` (unittest's
// TextTestRunner under regrtest): "test_x (module.Class.test_x) ... ok", with the result word
// possibly several lines later when the test itself prints, a docstring line in between, and
// subtest failures only in the "FAIL: ..." blocks at the end.

const RESULT_WORDS = ["ok", "FAIL", "ERROR", "expected failure", "unexpected success"];

/** "ok" | "FAIL" | "ERROR" | "skipped" | "expected failure" | "unexpected success", or null. */
function resultOf(text) {
  const t = text.trim().replace(/^\d+\.\d+s /, "");
  if (RESULT_WORDS.includes(t)) return t;
  if (/^skipped\b/.test(t)) return "skipped";
  return null;
}

// "test_x (test.test_queue.QueueTest.test_x)" (3.11+ prints the full id) or
// "test_x (test.test_queue.QueueTest)" (before 3.11); a subtest adds " (param=1)".
const DESCRIPTION = /^(\w+) \(([\w.]+)\)/;

function testId(description) {
  const m = DESCRIPTION.exec(description);
  if (!m) return description.trim(); // a doctest or another kind of case: its description is its name
  const [, name, where] = m;
  return where.endsWith(`.${name}`) ? where : `${where}.${name}`;
}

/**
 * @param {string} output stdout+stderr of one regrtest run
 * @returns {{ tests: Map<string, {result: string, detail: string}>, suiteResult: string | null, ran: number }}
 */
export function parseVerbose(output) {
  const lines = output.split(/\r?\n/);
  const tests = new Map();
  let pending = null; // a test whose "..." line is out, result word not yet seen
  let described = null; // a "test_x (id)" line alone: the docstring line with "..." follows
  const settle = (result, detail) => {
    if (pending && !tests.has(pending)) tests.set(pending, { result, detail });
    pending = null;
  };
  for (const raw of lines) {
    // test_concurrent_futures prints each test's time (after its result, or after a skipped
    // test's description), so it can land at the start of the next line.
    const line = raw.replace(/^\d+\.\d+s /, "");
    const dots = line.indexOf(" ... ");
    if (dots > 0 && !line.startsWith(" ")) {
      const head = line.slice(0, dots);
      let id = DESCRIPTION.test(head) ? testId(head) : described ?? testId(head);
      for (let n = 2; tests.has(id) || id === pending; n++) id = `${id.replace(/ #\d+$/, "")} #${n}`; // same description twice (doctests)
      described = null;
      if (pending) settle("unknown", "no result word before the next test");
      pending = id;
      const rest = line.slice(dots + 5);
      const result = resultOf(rest);
      if (result) settle(result, rest.trim());
      continue;
    }
    if (DESCRIPTION.test(line) && line.trim() === DESCRIPTION.exec(line)[0]) {
      described = testId(line);
      continue;
    }
    if (pending) {
      const result = resultOf(line);
      if (result) settle(result, line.trim());
    }
  }
  settle("unknown", "no result word");
  // Subtest failures and failures reported after the "..." line: the summary blocks decide.
  for (const m of output.matchAll(/^(FAIL|ERROR): (\w+ \([\w.]+\))/gm)) {
    const id = testId(m[2]);
    const known = tests.get(id);
    if (!known || known.result === "ok" || known.result === "unknown") tests.set(id, { result: m[1], detail: `${m[1]} (summary)` });
  }
  const suite = /Tests result: ([A-Z_, ]+?)\s*(?:==|$)/m.exec(output);
  // A package suite (test_concurrent_futures on 3.13) runs one unittest runner per module.
  const ran = [...output.matchAll(/^Ran (\d+) tests? in/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { tests, suiteResult: suite ? suite[1] : null, ran };
}
