import type { TestApi } from './test-app';
import { waitFor } from './wait-for';

/** One server-sent event of the interception alert stream. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Opens `GET /api/v1/alerts/stream` with a bearer token and collects its events (and heartbeat comments) as
 * they arrive; `next` waits for the first event matching a predicate, `close` aborts the stream.
 */
export async function openStream(api: TestApi, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${api.url}/api/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let comments = 0;
  let ended = false;
  let buffer = '';
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) comments++;
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join('\n') });
        }
      }
    } catch {
      // aborted at close
    } finally {
      ended = true;
    }
  })();
  return {
    response,
    events,
    comments: () => comments,
    ended: () => ended,
    next: (predicate: (e: SseEvent) => boolean, timeoutMs = 10_000) =>
      waitFor('an SSE event', async () => events.find(predicate), timeoutMs),
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}
