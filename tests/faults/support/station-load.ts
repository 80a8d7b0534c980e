import { randomBytes, randomUUID } from 'node:crypto';
import {
  detectionBody,
  evidenceItem,
  signatureHeaders,
  type TestStation,
} from '../../support/station-client';

/** One HTTP attempt of a detection, as the station saw it. */
export interface Attempt {
  detectionId: string;
  /** It carries a photo: it needs the object store. */
  withPhoto: boolean;
  phase: string;
  sentAt: number;
  ms: number;
  /** The HTTP status, or null: no answer (connection refused or reset, the process gone). */
  status: number | null;
  code?: string;
  problem: boolean;
  retryAfter?: string;
  error?: string;
  /** Our own client gave up waiting: a request held open far beyond any timeout. */
  hung?: boolean;
}

export interface DetectionRecord {
  detectionId: string;
  withPhoto: boolean;
  phase: string;
  firstSentAt: number;
  /** The first 2xx answer: 202 accepted, or 200 for a retry of a detection stored by an earlier attempt. */
  acceptedAt?: number;
  acceptedStatus?: number;
  rejectedStatus?: number;
}

/** Longer than any timeout of the apps: a request still open then is one the apps let hang. */
const CLIENT_TIMEOUT_MS = 30_000;

/**
 * A station pushing detections at a steady rate, signed as the protocol says, and behaving as a station should:
 * a 503 is retried after its Retry-After, a request without an answer (the API gone) after a second, with the
 * same detection id and body; a 2xx or another 4xx ends it. Every attempt is recorded with the phase it was sent in.
 */
export class StationLoad {
  readonly attempts: Attempt[] = [];
  readonly detections = new Map<string, DetectionRecord>();
  phase = 'setup';
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private readonly running = new Set<Promise<void>>();
  private sequence = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly station: TestStation,
    private readonly ratePerSecond: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const run = this.push().finally(() => this.running.delete(run));
      this.running.add(run);
    }, 1000 / this.ratePerSecond);
  }

  /** No new detections; the ones under way keep retrying until answered or `giveUpAfterMs` has passed. */
  async stop(giveUpAfterMs = 60_000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + giveUpAfterMs;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    this.stopping = true;
    await Promise.all(this.running);
  }

  /**
   * When the first attempt sent at or after `since` was accepted (a fresh request, not one waiting before);
   * `withPhoto`: only detections carrying a photo count (they need the object store as well).
   */
  firstAcceptedSince(since: number, withPhoto = false): number | undefined {
    const accepted = this.attempts.filter(
      (a) => a.sentAt >= since && a.status !== null && a.status < 300 && (a.withPhoto || !withPhoto),
    );
    return accepted.length ? Math.min(...accepted.map((a) => a.sentAt + a.ms)) : undefined;
  }

  private async push(): Promise<void> {
    // One detection in four carries a photo: those need the object store too.
    const withPhoto = this.sequence++ % 4 === 0;
    const body = detectionBody({
      detectionId: `F-${randomUUID()}`,
      evidence: withPhoto ? [evidenceItem('plate_front', randomBytes(1024), 'image/jpeg')] : [],
    });
    const raw = JSON.stringify(body);
    const record: DetectionRecord = {
      detectionId: body['detectionId'] as string,
      withPhoto,
      phase: this.phase,
      firstSentAt: Date.now(),
    };
    this.detections.set(record.detectionId, record);
    for (;;) {
      const attempt = await this.send(record, raw);
      this.attempts.push(attempt);
      if (attempt.status !== null && attempt.status < 300) {
        record.acceptedAt = attempt.sentAt + attempt.ms;
        record.acceptedStatus = attempt.status;
        return;
      }
      if (attempt.status !== null && attempt.status !== 503) {
        record.rejectedStatus = attempt.status;
        return;
      }
      if (this.stopping || attempt.hung) return;
      const waitSeconds = attempt.status === 503 ? Number(attempt.retryAfter ?? 1) : 1;
      await new Promise((r) => setTimeout(r, Math.max(0.2, waitSeconds) * 1000));
    }
  }

  private async send({ detectionId, withPhoto }: DetectionRecord, raw: string): Promise<Attempt> {
    const sentAt = Date.now();
    const attempt = { detectionId, withPhoto, phase: this.phase, sentAt };
    try {
      const response = await fetch(`${this.apiUrl}/api/v1/detections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signatureHeaders(this.station, raw) },
        body: raw,
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const text = await response.text();
      let code: string | undefined;
      try {
        code = (JSON.parse(text) as { code?: string }).code;
      } catch {
        // not JSON
      }
      return {
        ...attempt,
        ms: Date.now() - sentAt,
        status: response.status,
        code,
        problem: /^application\/problem\+json/.test(response.headers.get('content-type') ?? ''),
        retryAfter: response.headers.get('retry-after') ?? undefined,
      };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      return {
        ...attempt,
        ms: Date.now() - sentAt,
        status: null,
        problem: false,
        error: e.cause?.code ?? e.cause?.message ?? e.message,
        hung: e.name === 'TimeoutError',
      };
    }
  }
}

/** Readiness of a process, probed every second: the answer's status and how long it took. */
export interface Probe {
  target: string;
  phase: string;
  at: number;
  ms: number;
  /** null: nothing listens (the process is down). */
  status: number | null;
  /** No answer within 2 s although the process listens. */
  late: boolean;
}

export class ReadinessWatch {
  readonly probes: Probe[] = [];
  phase = 'setup';
  private timer?: NodeJS.Timeout;

  constructor(private readonly targets: Record<string, string>) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const [target, url] of Object.entries(this.targets)) void this.probe(target, url);
    }, 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async probe(target: string, url: string): Promise<void> {
    const phase = this.phase;
    const at = Date.now();
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      this.probes.push({ target, phase, at, ms: Date.now() - at, status: response.status, late: false });
    } catch (error) {
      const late = (error as Error).name === 'TimeoutError';
      this.probes.push({ target, phase, at, ms: Date.now() - at, status: null, late });
    }
  }
}
