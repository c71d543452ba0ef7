import { describe, expect, it } from "vitest";
import { asPersistedState, isHostToWebview, isWebviewToHost } from "../../src/protocol";
import { contentSecurityPolicy, timelineHtml } from "../../src/panel/html";

describe("webview -> host messages", () => {
  it("accepts the well-formed ones", () => {
    for (const m of [{ type: "ready" }, { type: "reveal", file: "/a.py", line: 3 }, { type: "selectRace", index: 0 }]) {
      expect(isWebviewToHost(JSON.parse(JSON.stringify(m)))).toBe(true);
    }
  });

  it("rejects malformed or unknown ones (the webview is untrusted)", () => {
    for (const m of [null, "ready", [], { type: "reveal", file: "/a.py" }, { type: "reveal", file: "", line: 1 }, { type: "reveal", file: "/a.py", line: 0 }, { type: "reveal", file: "/a.py", line: 1.5 }, { type: "selectRace", index: -1 }, { type: "exec", cmd: "rm" }]) {
      expect(isWebviewToHost(m)).toBe(false);
    }
  });
});

describe("host -> webview messages", () => {
  it("checks the shape of each kind", () => {
    expect(isHostToWebview({ type: "status", status: { state: "running" } })).toBe(true);
    expect(isHostToWebview({ type: "highlight", file: "/a.py", line: 2 })).toBe(true);
    expect(isHostToWebview({ type: "persist", state: { title: "t", tracePath: null } })).toBe(true);
    expect(isHostToWebview({ type: "model", view: {} })).toBe(false);
    expect(isHostToWebview({ type: "status" })).toBe(false);
    const run = { label: "switch interval 1 ms", view: { lanes: [], processes: [] }, status: { state: "done" } };
    expect(isHostToWebview({ type: "compare", compare: { title: "t", runs: [run, run], rows: [] } })).toBe(true);
    expect(isHostToWebview({ type: "compare", compare: { title: "t", runs: [{ label: 1, view: run.view }], rows: [] } })).toBe(false);
    expect(isHostToWebview({ type: "compare", compare: { title: "t", runs: [{ label: "x", view: {} }], rows: [] } })).toBe(false);
    expect(isHostToWebview({ type: "compare", compare: { title: "t", runs: [run] } })).toBe(false);
  });

  it("restores persisted state or refuses foreign state", () => {
    expect(asPersistedState({ title: "x", tracePath: "/t/run.trace" })).toEqual({ kind: "timeline", id: "", title: "x", tracePath: "/t/run.trace", filterThreads: null, script: null });
    expect(asPersistedState({ title: "x" })).toEqual({ kind: "timeline", id: "", title: "x", tracePath: null, filterThreads: null, script: null });
    expect(asPersistedState(undefined)).toBeNull();
  });
});

describe("the HTML shell", () => {
  const html = timelineHtml({ cspSource: "vscode-resource:", scriptUri: "vscode-resource:/media/dist/timeline.js", styleUri: "vscode-resource:/media/timeline.css", title: "<b>t</b>", nonce: "abc123" });

  it("has a nonce CSP with nothing remote", () => {
    const csp = contentSecurityPolicy("vscode-resource:", "abc123");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-abc123'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|unsafe-eval|\*/);
    expect(html).toContain(`content="${csp}"`);
  });

  it("has no inline script and escapes the title", () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toContain('nonce="abc123"');
    expect(scripts[0][2].trim()).toBe("");
    expect(html).toContain("&lt;b&gt;t&lt;/b&gt;");
    expect(html).not.toContain("<b>t</b>");
  });
});
