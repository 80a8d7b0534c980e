/**
 * For failures that repeat for as long as an outage lasts (every request, every reconnection attempt): at most
 * one log line per `intervalMs`, told how many it stands for. `log(suppressed)` runs when a line is due.
 */
export function logThrottle(intervalMs = 10_000): (log: (suppressed: number) => void) => void {
  let last = 0;
  let suppressed = 0;
  return (log) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      suppressed++;
      return;
    }
    log(suppressed);
    last = now;
    suppressed = 0;
  };
}
