import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CaseFile, PrintableDocument } from '@ecc/documents-domain';
import { DomainError, type ErrorCategory } from '@ecc/shared-kernel';
import { fontBytes } from './fonts';
import { renderCaseFile, type RenderedCaseFile } from './render-case-file';
import { renderDocument, type RenderedDocument, type RenderOptions } from './render-document';

/** What the pool posts to a render thread. */
export type RenderRequest =
  | { id: number; op: 'document'; input: PrintableDocument; options: RenderOptions }
  | { id: number; op: 'case_file'; input: CaseFile; options: RenderOptions };

/** What a render thread answers: the rendering (its PDF moved, not copied) or the error it raised. */
export type RenderReply =
  | {
      id: number;
      ok: true;
      result: (Omit<RenderedDocument, 'pdf'> | Omit<RenderedCaseFile, 'pdf'>) & { pdf: Uint8Array };
    }
  | {
      id: number;
      ok: false;
      error:
        | {
            domain: true;
            category: ErrorCategory;
            code: string;
            message: string;
            details: DomainError['details'];
          }
        | { domain: false; message: string };
    };

interface Task {
  request: RenderRequest;
  resolve: (value: RenderedDocument | RenderedCaseFile) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

export interface RenderPoolOptions {
  /** Render threads, started on first use and kept; 0 renders on the calling thread (as before the pool). */
  threads: number;
}

/**
 * A small, fixed pool of render threads (node:worker_threads): laying out and writing a PDF is tens of ms of
 * CPU per document, and a case file hundreds, which on the main thread would hold up the event loop — a queue
 * worker's lock renewals, an API's other requests. The font files are read once per process, into shared memory
 * the threads parse from (not copied); each thread parses the fonts once and renders with the same functions as
 * the main thread (render-worker.ts), so a document's bytes and sha256 do not depend on where it was rendered.
 * Requests beyond the free threads wait in order. A thread that dies fails its one render and is replaced.
 */
export class PdfRenderPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: RenderPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 0)
      throw new Error(`render threads must be a whole number ≥ 0, not ${options.threads}`);
  }

  get threads(): number {
    return this.options.threads;
  }

  renderDocument(input: PrintableDocument, options: RenderOptions = {}): Promise<RenderedDocument> {
    if (this.options.threads === 0) return renderDocument(input, options);
    return this.submit({ id: this.nextId++, op: 'document', input, options }) as Promise<RenderedDocument>;
  }

  renderCaseFile(input: CaseFile, options: RenderOptions = {}): Promise<RenderedCaseFile> {
    if (this.options.threads === 0) return renderCaseFile(input, options);
    return this.submit({ id: this.nextId++, op: 'case_file', input, options }) as Promise<RenderedCaseFile>;
  }

  /** Stops the threads; renders still waiting or running fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error('the render pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private submit(request: RenderRequest): Promise<RenderedDocument | RenderedCaseFile> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length) {
      const slot = this.slots.find((s) => !s.task) ?? this.startThread();
      if (!slot) return; // every thread busy: the next reply dispatches again
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.ref(); // a render under way keeps the process alive until it answers
      slot.worker.postMessage(task.request);
    }
  }

  private startThread(): Slot | null {
    if (this.slots.length >= this.options.threads) return null;
    const worker = new Worker(WORKER.file, { execArgv: WORKER.execArgv, workerData: { fonts: fontBytes() } });
    const slot: Slot = { worker, task: null };
    worker.on('message', (reply: RenderReply) => {
      const task = slot.task;
      slot.task = null;
      slot.worker.unref(); // an idle thread does not keep the process alive
      if (task && task.request.id === reply.id) settle(task, reply);
      this.dispatch();
    });
    const lost = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.task?.reject(error);
      slot.task = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`a render thread stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }
}

function settle(task: Task, reply: RenderReply): void {
  if (reply.ok) {
    const { pdf, ...rest } = reply.result;
    task.resolve({ ...rest, pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength) } as
      RenderedDocument | RenderedCaseFile);
    return;
  }
  const e = reply.error;
  task.reject(e.domain ? new DomainError(e.category, e.code, e.message, e.details) : new Error(e.message));
}

/**
 * The thread's script beside this file: the compiled `.js` when the lib runs built, the `.ts` source (loaded
 * through @swc-node/register, with the source condition of the workspace packages) when it runs from source.
 */
const WORKER = (() => {
  const js = join(__dirname, 'render-worker.js');
  if (existsSync(js)) return { file: js, execArgv: [] as string[] };
  return {
    file: join(__dirname, 'render-worker.ts'),
    execArgv: ['--conditions=@ecc/source', '-r', '@swc-node/register'],
  };
})();
