// What a standalone HTML report carries as JSON, shared by the generator (htmlReport.ts) and the
// page's stand-in host (webview/standalone.ts). Types only, so the webview bundle can import it.
import type { RunStatus, TimelineView } from "../protocol";

/** The id of the `<script type="application/json">` block that holds the ReportData. */
export const REPORT_DATA_ID = "gil-timeline-report";

export interface ReportData {
  /** What the panel would be sent as its "model" message. */
  view: TimelineView;
  status: RunStatus;
  /** The readable summary and race details, as the CLI prints them. */
  summaryText: string;
  /** The traced program's stdout, when the report was made from a run (null from a saved trace). */
  output: string | null;
  /** ISO 8601 time the report was written. */
  generatedAt: string;
}
