/**
 * The body of a render thread (render-pool.ts): renders what the pool posts with the same functions as the
 * main thread, so the bytes and their sha256 are those an inline render gives. Its fonts are parsed once, at
 * the thread's first render, from the bytes the pool read once for all its threads (shared memory, not copied).
 * A DomainError goes back as its parts, to be raised again on the other side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '@ecc/shared-kernel';
import { useFontBytes, type DocumentFontBytes } from './fonts';
import { renderCaseFile } from './render-case-file';
import { renderDocument } from './render-document';
import type { RenderReply, RenderRequest } from './render-pool';

if (!parentPort) throw new Error('render-worker runs as a worker thread of the render pool');
const port = parentPort;
useFontBytes((workerData as { fonts: DocumentFontBytes }).fonts);

port.on('message', (request: RenderRequest) => {
  void answer(request);
});

async function answer(request: RenderRequest): Promise<void> {
  try {
    const rendered =
      request.op === 'document'
        ? await renderDocument(request.input, request.options)
        : await renderCaseFile(request.input, request.options);
    // A copy the thread owns whole (a Buffer may be a view into a shared pool), moved rather than cloned.
    const pdf = new Uint8Array(rendered.pdf);
    const reply: RenderReply = { id: request.id, ok: true, result: { ...rendered, pdf } };
    port.postMessage(reply, [pdf.buffer]);
  } catch (error) {
    const reply: RenderReply = {
      id: request.id,
      ok: false,
      error:
        error instanceof DomainError
          ? {
              domain: true,
              category: error.category,
              code: error.code,
              message: error.message,
              details: error.details,
            }
          : { domain: false, message: error instanceof Error ? error.message : String(error) },
    };
    port.postMessage(reply);
  }
}
