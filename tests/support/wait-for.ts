/**
 * Polls `probe` every 100 ms until it returns a value other than undefined, null or false, and returns it;
 * after `timeoutMs` fails naming `what`, with the end of a process's output when `output` is given.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  options: number | { timeoutMs?: number; output?: () => string } = {},
): Promise<T> {
  const { timeoutMs = 15_000, output } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${output ? `\n${output().slice(-4000)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
