// Time labels that stay readable at every zoom: the unit follows the visible span.

export type TimeUnit = "s" | "ms" | "us";

export function unitForSpan(spanMs: number): TimeUnit {
  if (spanMs >= 5000) return "s";
  if (spanMs >= 2) return "ms";
  return "us";
}

/** The unit follows the visible span; enough decimals to tell ticks stepMs apart. */
export function formatTime(ms: number, spanMs: number, stepMs = spanMs / 10): string {
  const unit = unitForSpan(spanMs);
  const scale = unit === "s" ? 1 / 1000 : unit === "ms" ? 1 : 1000;
  const step = Math.abs(stepMs * scale) || 1;
  // 1e-9 absorbs float noise: a 0.1 step must not ask for two decimals.
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
  return `${(ms * scale).toFixed(decimals)} ${unit === "us" ? "\u00b5s" : unit}`;
}

/** A duration for tooltips and the summary: 3 significant figures, in the natural unit. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${+ms.toPrecision(3)} ms`;
  return `${+(ms * 1000).toPrecision(3)} \u00b5s`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
