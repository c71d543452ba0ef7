// Colours come from VS Code's theme (CSS variables, with fallbacks in media/timeline.css), and
// every state also has its own fill pattern so it reads without hue (colour-blind users, print).

export interface Theme {
  running: string;
  waiting: string;
  blocked: string;
  mixed: string;
  foreground: string;
  /** The editor background: behind captions drawn over bars. */
  background: string;
  grid: string;
  highlight: string;
  race: string;
  /** Handoff line colour by HANDOFF_REASONS code. */
  handoff: string[];
  /** Colours for the GIL row's holders, cycled by lane. */
  holders: string[];
  /** Fills by state code (0 running, 1 waiting, 2 blocked, 3 mixed). */
  fills: (string | CanvasPattern)[];
  font: string;
}

function cssVar(name: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || "#888";
}

export type PatternKind = "solid" | "hatch" | "dots" | "cross";

export function pattern(colour: string, kind: PatternKind): string | CanvasPattern {
  if (kind === "solid") return colour;
  const size = 8;
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext("2d");
  if (!g) return colour;
  g.fillStyle = colour;
  g.globalAlpha = 0.35;
  g.fillRect(0, 0, size, size);
  g.globalAlpha = 1;
  g.strokeStyle = colour;
  g.lineWidth = 1.5;
  if (kind === "hatch" || kind === "cross") {
    g.beginPath();
    g.moveTo(0, size);
    g.lineTo(size, 0);
    g.moveTo(-2, 2);
    g.lineTo(2, -2);
    g.moveTo(size - 2, size + 2);
    g.lineTo(size + 2, size - 2);
    if (kind === "cross") {
      g.moveTo(0, 0);
      g.lineTo(size, size);
    }
    g.stroke();
  } else {
    g.fillRect(2, 2, 2.5, 2.5);
    g.fillRect(6, 6, 2, 2);
  }
  return g.createPattern(canvas, "repeat") ?? colour;
}

/** How many distinct colours the GIL row cycles through for its holders. */
export const HOLDER_COLOURS = 6;

/** Line dash per handoff reason: blocking solid, preempted dashed, start/exit dotted, lock wait dash-dot. */
export const HANDOFF_DASH: readonly number[][] = [[], [4, 3], [1, 3], [1, 3], [7, 2, 1, 2]];

/** How each state is drawn, for the legend text: the hue is never the only cue. */
export const STATE_PATTERN_NAMES = ["solid", "hatched", "dotted", "cross-hatched"] as const;
const STATE_PATTERNS: PatternKind[] = ["solid", "hatch", "dots", "cross"];

export function readTheme(): Theme {
  const running = cssVar("--gt-running");
  const waiting = cssVar("--gt-waiting");
  const blocked = cssVar("--gt-blocked");
  const mixed = cssVar("--gt-mixed");
  return {
    running,
    waiting,
    blocked,
    mixed,
    foreground: cssVar("--gt-fg"),
    background: cssVar("--gt-bg"),
    grid: cssVar("--gt-grid"),
    highlight: cssVar("--gt-highlight"),
    race: cssVar("--gt-race"),
    handoff: ["--gt-h-blocking", "--gt-h-preempted", "--gt-h-lifecycle", "--gt-h-lifecycle", "--gt-h-lockwait"].map(cssVar),
    holders: Array.from({ length: HOLDER_COLOURS }, (_, i) => cssVar(`--gt-p${i + 1}`)),
    fills: [running, waiting, blocked, mixed].map((c, i) => pattern(c, STATE_PATTERNS[i])),
    font: getComputedStyle(document.body).fontFamily || "sans-serif",
  };
}

/** A small legend canvas, painted by `paint`. */
export function swatchCanvas(paint: (g: CanvasRenderingContext2D, width: number, height: number) => void): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = 28;
  c.height = 12;
  c.className = "swatch";
  const g = c.getContext("2d");
  if (g) paint(g, c.width, c.height);
  return c;
}

/** A swatch painted with the state's real fill. */
export function swatch(fill: string | CanvasPattern): HTMLCanvasElement {
  return swatchCanvas((g, w, h) => {
    g.fillStyle = fill;
    g.fillRect(0, 0, w, h);
  });
}
