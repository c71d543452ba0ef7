import { describe, expect, it } from "vitest";
import { formatDuration, formatPercent, formatTime, unitForSpan } from "../../webview/format";

describe("time axis labels", () => {
  it("pick the unit from the visible span", () => {
    expect(unitForSpan(60_000)).toBe("s");
    expect(unitForSpan(500)).toBe("ms");
    expect(unitForSpan(0.5)).toBe("us");
  });

  it("tell neighbouring ticks apart at every zoom", () => {
    // Ticks a tenth of the span apart, from a minute down to 10 ns.
    for (const span of [60_000, 5_000, 100, 2, 0.1, 0.001, 0.00001]) {
      const base = 1234.5;
      for (const step of [span / 10, span / 20]) {
        const labels = Array.from({ length: 11 }, (_, i) => formatTime(base + i * step, span, step));
        expect(new Set(labels).size).toBe(labels.length);
      }
    }
  });

  it("write the unit", () => {
    expect(formatTime(1500, 10_000, 500)).toBe("1.5 s");
    expect(formatTime(2000, 10_000, 1000)).toBe("2 s");
    expect(formatTime(12, 100)).toBe("12 ms");
    expect(formatTime(0.25, 1)).toBe("250 \u00b5s");
  });
});

describe("durations and shares", () => {
  it("use three significant figures in the natural unit", () => {
    expect(formatDuration(4550)).toBe("4.55 s");
    expect(formatDuration(5)).toBe("5 ms");
    expect(formatDuration(0.0123)).toBe("12.3 \u00b5s");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(0.009)).toBe("0.9%");
  });
});
