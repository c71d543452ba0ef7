// Stands in for the VS Code webview host in the browser tests: records what the webview posts
// and any CSP violation, so the tests can assert on them.
window.__posted = [];
window.__cspViolations = [];
window.__state = undefined;
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => window.__state,
  setState: (s) => {
    window.__state = s;
  },
});
