// Race points of a decoded trace: the single entry point the model calls (model.ts fills
// TraceModel.races with it). Happens-before + locksets over record order (raceDetect.ts), then
// verdicts, interleavings and fixes (raceReport.ts); lost updates on multiprocessing shared memory
// between processes (raceShared.ts). Pure: no vscode import.
import { detectRaces } from "./raceDetect";
import { buildRacePoints } from "./raceReport";
import { detectSharedMemoryRaces } from "./raceShared";
import type { EventStore } from "./store";
import type { RacePoint } from "./types";

/**
 * Find the race points of every process in the store. `originNs` is the trace's time origin (the
 * first process's startNs, as the model uses) so access times line up with the timeline.
 */
export function findRaces(store: EventStore, originNs?: number): RacePoint[] {
  const origin = originNs ?? store.processes[0]?.header.startNs ?? 0;
  return buildRacePoints(store, [...detectRaces(store), ...detectSharedMemoryRaces(store)], origin);
}
