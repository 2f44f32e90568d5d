// A worker that dies within this long of its start counts as a quick death: each one in a row doubles the wait
// before the next start (250 ms, 500 ms … 30 s), so a worker that cannot start does not spin the machine. One that
// dies after running a while is replaced after the first wait.
export const QUICK_DEATH_MS = 30_000;
const FIRST_RESTART_MS = 250;
const MAX_RESTART_MS = 30_000;

export const restartDelayMs = (quickDeaths: number): number =>
  Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** Math.min(quickDeaths, 10));
