// Ends a child's whole process tree: the child runs in its own process group (spawned detached),
// so signalling the negative pid reaches the tracer, the script and any processes it started.

/** SIGTERM the group (the tracer flushes its trace on SIGTERM), SIGKILL it after `graceMs`. */
export function killTree(pid: number, graceMs: number): () => void {
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
  timer.unref();
  return () => clearTimeout(timer);
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
