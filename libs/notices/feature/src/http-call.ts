/** A provider call that did not succeed; its message goes into the attempt record. */
export class ProviderCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** POST JSON with a timeout; anything but a 2xx is a failure. Returns the response text. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const e = error as Error;
    throw new ProviderCallError(
      e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `request failed: ${e.message}`,
    );
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new ProviderCallError(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text;
}
