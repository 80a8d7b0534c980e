import { DomainError } from '@ecc/shared-kernel';
import { fontBytes, useFontBytes } from './fonts';
import { renderCaseFile } from './render-case-file';
import { renderDocument } from './render-document';
import { PdfRenderPool } from './render-pool';
import { sampleDocuments } from './sample-documents';

jest.setTimeout(120_000);

const docs = sampleDocuments();
const decision = docs['decision']!;
const caseFile = {
  cover: {
    authority: '汨罗市交通运输局',
    caseNumber: '汨交罚〔2024〕第0001号',
    caseCause: '车辆湘F12345违法超限运输',
    party: '欧阳喆',
    filedOn: '2024年5月14日',
    remedies: ['2024年6月20日向汨罗市人民政府申请行政复议，2024年8月10日复议决定维持'],
  },
  documents: [decision, docs['inquiry_record']!],
  createdAt: '2024-12-20T02:00:00.000Z',
  timeZone: 'Asia/Shanghai',
};

describe('PdfRenderPool (render threads)', () => {
  const pool = new PdfRenderPool({ threads: 2 });
  afterAll(() => pool.close());

  it('renders the same bytes and sha256 in a thread as on the calling thread', async () => {
    const options = { verifyBaseUrl: 'https://bureau.example/verify' };
    // a letter, a form signed page by page, a table over pages, and the verification address in the QR code
    for (const kind of ['decision', 'inquiry_record', 'evidence_list', 'proof_of_service']) {
      const doc = docs[kind]!;
      const [inline, threaded] = await Promise.all([
        renderDocument(doc, options),
        pool.renderDocument(doc, options),
      ]);
      expect(Buffer.isBuffer(threaded.pdf)).toBe(true);
      expect(Buffer.compare(threaded.pdf, inline.pdf)).toBe(0);
      expect(threaded).toEqual(inline);
    }
    const [inline, threaded] = await Promise.all([renderCaseFile(caseFile), pool.renderCaseFile(caseFile)]);
    expect(threaded.sha256).toBe(inline.sha256);
    expect(threaded.entries).toEqual(inline.entries);
    expect(Buffer.compare(threaded.pdf, inline.pdf)).toBe(0);
  });

  it('takes more renders than threads, each answered with its own document', async () => {
    const versions = Array.from({ length: 7 }, (_, i) => ({ ...decision, version: i + 1 }));
    const rendered = await Promise.all(versions.map((v) => pool.renderDocument(v)));
    expect(rendered.map((r) => r.verification.code.split('-').at(-1))).toEqual(
      versions.map((v) => String(v.version)),
    );
    expect(new Set(rendered.map((r) => r.sha256)).size).toBe(7);
  });

  it('raises a thread’s DomainError as a DomainError with its code and details, and carries on', async () => {
    const rare = { ...decision, party: { kind: 'person' as const, name: '王\u{20000}' } };
    const error = await pool.renderDocument(rare).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'document_characters_unsupported',
      message: expect.stringMatching(/U\+20000/),
    });
    await expect(pool.renderDocument({ ...decision, blocks: [] })).rejects.toMatchObject({
      category: 'validation',
    });
    await expect(pool.renderDocument(decision)).resolves.toMatchObject({ pageCount: 2 });
  });

  it('keeps the calling thread free while it renders: its CPU is not spent, its event loop turns', async () => {
    const threadCpuMs = () => {
      const u = process.threadCpuUsage(); // this thread alone (Node 23.9+), not the render threads
      return (u.user + u.system) / 1000;
    };
    const measure = async (render: (version: number) => Promise<unknown>) => {
      let turns = 0;
      const timer = setInterval(() => turns++, 5);
      const before = threadCpuMs();
      for (let i = 0; i < 6; i++) await Promise.all([render(100 + 2 * i), render(101 + 2 * i)]);
      const cpu = threadCpuMs() - before;
      clearInterval(timer);
      return { cpu, turns };
    };
    await Promise.all([pool.renderDocument(decision), pool.renderDocument(decision)]); // both threads started
    const inline = await measure((version) => renderDocument({ ...decision, version }));
    const threaded = await measure((version) => pool.renderDocument({ ...decision, version }));
    // Inline, every render is this thread's CPU; in the pool, only posting the model and taking the bytes back.
    expect(threaded.cpu).toBeLessThan(inline.cpu / 3);
    expect(threaded.turns).toBeGreaterThan(0);
  });

  it('fails the render of a thread that dies, and renders the next in a new thread', async () => {
    const one = new PdfRenderPool({ threads: 1 });
    try {
      await one.renderDocument(decision);
      const running = one.renderDocument({ ...decision, version: 9 });
      const [slot] = (one as unknown as { slots: { worker: { terminate: () => Promise<number> } }[] }).slots;
      await slot!.worker.terminate();
      await expect(running).rejects.toThrow(/a render thread stopped/);
      expect((await one.renderDocument(decision)).sha256).toBe((await renderDocument(decision)).sha256);
    } finally {
      await one.close();
    }
  });

  it('reads the font files once per process, into shared memory the threads parse from', async () => {
    await pool.renderDocument(decision);
    const bytes = fontBytes();
    expect(fontBytes()).toBe(bytes);
    for (const face of [bytes.regular, bytes.bold]) {
      expect(Object.prototype.toString.call(face.buffer)).toBe('[object SharedArrayBuffer]');
      expect(face.byteLength).toBeGreaterThan(10_000_000);
    }
    // the calling thread parsed its fonts already (the first spec rendered inline): bytes come too late
    expect(() => useFontBytes(bytes)).toThrow(/parsed already/);
  });

  it('renders on the calling thread with no threads, and refuses work once closed', async () => {
    const inline = new PdfRenderPool({ threads: 0 });
    expect((await inline.renderDocument(decision)).sha256).toBe((await renderDocument(decision)).sha256);
    const closing = new PdfRenderPool({ threads: 1 });
    await closing.renderDocument(decision);
    await closing.close();
    await expect(closing.renderDocument(decision)).rejects.toThrow('the render pool is closed');
    expect(() => new PdfRenderPool({ threads: -1 })).toThrow(/whole number/);
  });
});
