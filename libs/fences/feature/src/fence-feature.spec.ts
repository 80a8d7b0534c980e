import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { FencesRepository } from '@ecc/fences-data';
import type { FenceChangedMessage, InterceptionAlertView } from '@ecc/fences-domain';
import { AlertStream, HEARTBEAT_MS } from './alert-stream';
import type { FenceBus } from './fence-bus';
import { FencedPlates } from './fenced-plates';

/** A bus whose messages the test delivers by hand. */
function fakeBus() {
  const changed: ((m: FenceChangedMessage) => void)[] = [];
  const alerts: ((a: InterceptionAlertView) => void)[] = [];
  return {
    bus: {
      onChanged: (l: never) => changed.push(l),
      onAlert: (l: never) => alerts.push(l),
    } as unknown as FenceBus,
    changed: (m: FenceChangedMessage) => changed.forEach((l) => l(m)),
    alert: (a: InterceptionAlertView) => alerts.forEach((l) => l(a)),
  };
}

function fakeResponse() {
  const res = new EventEmitter() as EventEmitter & { chunks: string[]; headers?: Record<string, string> };
  res.chunks = [];
  Object.assign(res, {
    writableEnded: false,
    destroyed: false,
    writeHead: (_status: number, headers: Record<string, string>) => (res.headers = headers),
    write: (chunk: string) => res.chunks.push(chunk),
    end: () => Object.assign(res, { writableEnded: true }),
  });
  return res;
}

describe('AlertStream', () => {
  afterEach(() => jest.useRealTimers());

  it('sends each published alert as event: interception, a heartbeat comment every 15 s, and forgets closed streams', () => {
    jest.useFakeTimers();
    const { bus, alert } = fakeBus();
    const stream = new AlertStream(bus);
    stream.onModuleInit();
    const res = fakeResponse();
    stream.attach(res as unknown as ServerResponse);
    expect(res.headers?.['content-type']).toMatch(/^text\/event-stream/);

    alert({ id: 'a1', plate: '湘F12345' } as InterceptionAlertView);
    expect(res.chunks.at(-1)).toMatch(/^id: a1\nevent: interception\ndata: \{/);

    jest.advanceTimersByTime(HEARTBEAT_MS);
    expect(res.chunks.at(-1)).toMatch(/^: heartbeat/);

    res.emit('close');
    expect(stream.size).toBe(0);
    stream.beforeApplicationShutdown();
  });
});

describe('FencedPlates', () => {
  it('knows the plates of active fences, adds an announced plate at once and keeps it through a reload that does not see it yet', async () => {
    let plates = ['湘F00001'];
    const repo = { activePlates: jest.fn(async () => plates) } as unknown as FencesRepository;
    const { bus, changed } = fakeBus();
    const watch = new FencedPlates(repo, bus);
    await watch.onModuleInit();
    expect(watch.has('湘F00001')).toBe(true);
    expect(watch.has('湘F00002')).toBe(false);

    // announced inside the fencing transaction: the reload it triggers may run before the commit
    changed({ kind: 'fenced', fenceId: 'f2', plate: '湘F00002' });
    await watch.reload();
    expect(watch.has('湘F00002')).toBe(true);

    plates = [];
    changed({ kind: 'lifted', fenceId: 'f1', plate: '湘F00001' });
    await watch.reload();
    expect(watch.has('湘F00001')).toBe(false);
    watch.onApplicationShutdown();
  });

  it('keeps the previous list when a reload fails', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const repo = {
      activePlates: jest.fn().mockResolvedValueOnce(['湘F00003']).mockRejectedValueOnce(new Error('db down')),
    } as unknown as FencesRepository;
    const watch = new FencedPlates(repo, fakeBus().bus);
    await watch.onModuleInit();
    await watch.reload();
    expect(watch.has('湘F00003')).toBe(true);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    watch.onApplicationShutdown();
  });
});
