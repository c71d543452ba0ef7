// The overview under the chart: the whole run at one pixel per LOD block, with the visible window
// outlined. Click or drag to move the window; arrows move it when focused.
import type { TimelineView } from "../src/protocol";
import { aggregate, MIXED } from "./lod";
import type { Theme } from "./theme";

const STATE_ALPHA = [1, 0.55, 0.25];

export class Minimap {
  private base: HTMLCanvasElement | null = null;
  private window: [number, number] = [0, 1];
  private full = 1;
  private dragging = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onRange: (min: number, max: number) => void,
  ) {
    canvas.addEventListener("pointerdown", (e) => {
      this.dragging = true;
      canvas.setPointerCapture(e.pointerId);
      this.centreAt(e.offsetX);
    });
    canvas.addEventListener("pointermove", (e) => this.dragging && this.centreAt(e.offsetX));
    canvas.addEventListener("pointerup", () => (this.dragging = false));
    canvas.addEventListener("keydown", (e) => {
      const span = this.window[1] - this.window[0];
      const step = e.key === "ArrowRight" ? span / 4 : e.key === "ArrowLeft" ? -span / 4 : 0;
      if (step === 0) return;
      e.preventDefault();
      this.onRange(this.window[0] + step, this.window[1] + step);
    });
  }

  setView(view: TimelineView, theme: Theme): void {
    const width = Math.max(this.canvas.clientWidth, 100);
    const height = this.canvas.clientHeight || 48;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.full = Math.max(view.durationMs, 1e-3);
    const base = document.createElement("canvas");
    base.width = this.canvas.width;
    base.height = this.canvas.height;
    const g = base.getContext("2d");
    if (g && view.lanes.length > 0) {
      const msPerPixel = this.full / base.width;
      const rowH = base.height / view.lanes.length;
      const colours = [theme.running, theme.waiting, theme.blocked];
      view.lanes.forEach((lane, row) => {
        const iv = lane.intervals;
        for (const b of aggregate(iv.start, iv.end, iv.state, 0, this.full, msPerPixel)) {
          g.globalAlpha = b.key === MIXED ? 0.7 : (STATE_ALPHA[b.key] ?? 1);
          g.fillStyle = b.key === MIXED ? theme.mixed : (colours[b.key] ?? theme.mixed);
          g.fillRect(b.start / msPerPixel, row * rowH + 1, Math.max((b.end - b.start) / msPerPixel, 1), Math.max(rowH - 2, 1));
        }
      });
    }
    this.base = base;
    this.paint(theme);
  }

  setWindow(min: number, max: number, full: number, theme: Theme): void {
    this.window = [min, max];
    this.full = Math.max(full, 1e-3);
    this.canvas.setAttribute("aria-valuetext", `showing ${min.toFixed(2)} to ${max.toFixed(2)} ms of ${full.toFixed(2)} ms`);
    this.paint(theme);
  }

  private paint(theme: Theme): void {
    const g = this.canvas.getContext("2d");
    if (!g) return;
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.base) g.drawImage(this.base, 0, 0);
    const scale = this.canvas.width / this.full;
    const x0 = this.window[0] * scale;
    const w = Math.max((this.window[1] - this.window[0]) * scale, 2);
    g.save();
    g.fillStyle = theme.foreground;
    g.globalAlpha = 0.12;
    g.fillRect(0, 0, x0, this.canvas.height);
    g.fillRect(x0 + w, 0, this.canvas.width - x0 - w, this.canvas.height);
    g.globalAlpha = 1;
    g.strokeStyle = theme.highlight;
    g.lineWidth = 2;
    g.strokeRect(x0 + 1, 1, w - 2, this.canvas.height - 2);
    g.restore();
  }

  private centreAt(offsetX: number): void {
    const t = (offsetX / Math.max(this.canvas.clientWidth, 1)) * this.full;
    const span = this.window[1] - this.window[0];
    this.onRange(t - span / 2, t + span / 2);
  }
}
