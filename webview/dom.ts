// DOM building without innerHTML: every string (thread names, files, messages from the traced
// program) goes in through textContent, so nothing from a trace can become markup.

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "class") node.className = String(v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

/** Text where `backquoted` parts become <code>, the way the model writes names; still text only. */
export function richText(text: string): Node[] {
  return text.split("`").map((part, i) => (i % 2 === 1 ? el("code", {}, part) : document.createTextNode(part)));
}

/** Roving tabindex over a list: one item is tabbable, arrows/Home/End move between items. */
export function rovingFocus(container: HTMLElement, itemSelector: string): void {
  container.addEventListener("keydown", (e) => {
    const items = [...container.querySelectorAll<HTMLElement>(itemSelector)];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const next =
      e.key === "ArrowDown" || e.key === "ArrowRight" ? Math.min(at + 1, items.length - 1)
      : e.key === "ArrowUp" || e.key === "ArrowLeft" ? Math.max(at - 1, 0)
      : e.key === "Home" ? 0
      : e.key === "End" ? items.length - 1
      : -1;
    if (next < 0) return;
    e.preventDefault();
    items[at].tabIndex = -1;
    items[next].tabIndex = 0;
    items[next].focus();
  });
}
