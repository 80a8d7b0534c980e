/**
 * `npm run bench:pdf`: how fast and how large the printed documents are. Renders the sample decision
 * (行政处罚决定书) repeatedly, then a case file of about 20 pages, and prints PDFs per second, the size of a
 * decision and the CPU time (user + system, this process) of the case file. Then the same for the case
 * layer's own documents (phase 2): each kind's stored template text mapped to its printable model and
 * rendered, as the worker's job does, and a case file of about 20 pages made of them.
 */
import { CASE_DOCUMENT_TEMPLATES } from '@ecc/cases-feature';
import { printableFromCaseDocument } from '@ecc/documents-domain';
import { PdfRenderPool, renderCaseFile, renderDocument, sampleDocuments } from '@ecc/documents-pdf';
import { storedFromTemplate } from '../support/case-document-facts';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU of the calling thread alone (Node 23.9+), where the pool's threads are not counted. */
const mainThreadCpuMs = () => {
  const u = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main() {
  const docs = sampleDocuments();
  const decision = docs['decision']!;

  let t = cpuMs();
  const first = await renderDocument(decision); // loads the fonts once
  const firstCpu = cpuMs() - t;

  const rounds = Number(process.env['BENCH_PDF_ROUNDS'] ?? 50);
  const wall = process.hrtime.bigint();
  t = cpuMs();
  for (let i = 0; i < rounds; i++) await renderDocument({ ...decision, version: i + 2 });
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const perDocCpu = (cpuMs() - t) / rounds;

  const documents = [...Object.values(docs), docs['inquiry_record']!, docs['decision']!].map((d, i) => ({
    ...d,
    number: { ...d.number, sequence: i + 1 },
  }));
  t = cpuMs();
  const file = await renderCaseFile({
    cover: {
      authority: '汨罗市交通运输局',
      caseNumber: '汨交罚〔2024〕第0001号',
      caseCause: '车辆湘F12345违法超限运输',
      party: '欧阳喆',
      filedOn: '2024年5月14日',
    },
    documents,
    createdAt: '2024-12-20T02:00:00.000Z',
    timeZone: 'Asia/Shanghai',
  });
  const caseFileCpu = cpuMs() - t;

  const rows: [string, string][] = [
    ['decision: first render (fonts loaded, cold)', `${firstCpu.toFixed(0)} ms CPU`],
    ['decision: PDFs rendered per second (one core)', (rounds / seconds).toFixed(1)],
    ['decision: CPU per PDF', `${perDocCpu.toFixed(1)} ms`],
    ['decision: size', `${(first.pdf.length / 1024).toFixed(1)} KB, ${first.pageCount} pages`],
    [
      `case file: ${file.pageCount} pages (${documents.length} documents + cover + catalogue)`,
      `${caseFileCpu.toFixed(0)} ms CPU`,
    ],
    ['case file: size', `${(file.pdf.length / 1024).toFixed(0)} KB`],
  ];
  rows.push(...(await templateDocuments(rounds)));
  rows.push(...(await eventLoopWhileRendering(rounds)));
  for (const [k, v] of rows) console.log(`${k.padEnd(70)} ${v}`);
}

/** The case layer's documents: stored text → printable model → PDF, as the render job does it. */
async function templateDocuments(rounds: number): Promise<[string, string][]> {
  const kinds = Object.keys(CASE_DOCUMENT_TEMPLATES);
  const decision = await renderDocument(printableFromCaseDocument(storedFromTemplate('decision')));
  const wall = process.hrtime.bigint();
  let t = cpuMs();
  for (let i = 0; i < rounds; i++) {
    const kind = kinds[i % kinds.length]!;
    await renderDocument(printableFromCaseDocument({ ...storedFromTemplate(kind), version: i + 2 }));
  }
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const perDocCpu = (cpuMs() - t) / rounds;

  // a case file of about 20 pages: every kind, plus further inquiry records as an investigation adds them
  const stored = [...kinds, ...Array.from({ length: 6 }, () => 'inquiry_record')].map((kind, i) =>
    storedFromTemplate(kind, i + 1),
  );
  t = cpuMs();
  const file = await renderCaseFile({
    cover: {
      authority: '汨罗市交通运输局',
      caseNumber: '汨交罚〔2025〕第0007号',
      caseCause: '车辆湘F12345违法超限运输',
      party: '欧阳喆',
      filedOn: '2025年3月3日',
    },
    documents: stored.map((d) => printableFromCaseDocument(d)),
    createdAt: '2025-03-20T02:00:00.000Z',
    timeZone: 'Asia/Shanghai',
  });
  const caseFileCpu = cpuMs() - t;
  return [
    [
      `case documents (${kinds.length} kinds from their templates): PDFs per second`,
      (rounds / seconds).toFixed(1),
    ],
    ['case documents: CPU per PDF (mapping and rendering)', `${perDocCpu.toFixed(1)} ms`],
    [
      'case decision from its template: size',
      `${(decision.pdf.length / 1024).toFixed(1)} KB, ${decision.pageCount} pages`,
    ],
    [
      `case file from the templates: ${file.pageCount} pages (${stored.length} documents + cover + catalogue)`,
      `${caseFileCpu.toFixed(0)} ms CPU, ${(file.pdf.length / 1024).toFixed(0)} KB`,
    ],
  ];
}

/**
 * How long the event loop is held up while documents are rendered, as a queue worker renders them (two jobs at
 * a time), and what each way costs in CPU: on the calling thread (before the render pool), in one render thread
 * and in two. The delay is what a BullMQ lock renewal or an HTTP request waits. Every thread that renders is
 * warmed up alike first (its fonts parsed, its code optimised: WARM_UP renders each), and the three ways take
 * turns over ROUNDS rounds, so a change of the machine's load falls on all of them; the CPU is the process's
 * (every thread) summed over the rounds.
 */
async function eventLoopWhileRendering(rounds: number): Promise<[string, string][]> {
  const kinds = Object.keys(CASE_DOCUMENT_TEMPLATES);
  const models = Array.from({ length: rounds }, (_, i) =>
    printableFromCaseDocument({ ...storedFromTemplate(kinds[i % kinds.length]!), version: i + 2 }),
  );
  const warmUp = Number(process.env['BENCH_PDF_WARM_UP'] ?? 100);
  const turns = Number(process.env['BENCH_PDF_TURNS'] ?? 3);
  type Render = (m: (typeof models)[number]) => Promise<unknown>;
  const totals = new Map<string, { gaps: number[]; seconds: number; cpu: number; main: number }>();
  const measure = async (label: string, render: Render) => {
    const queue = [...models];
    const wall = process.hrtime.bigint();
    const t = cpuMs();
    const main = mainThreadCpuMs();
    const probe = loopProbe();
    // two at a time, as DOCUMENT_RENDER_CONCURRENCY runs them
    await Promise.all(
      [0, 1].map(async () => {
        for (let m = queue.shift(); m; m = queue.shift()) await render(m);
      }),
    );
    const gaps = probe.stop();
    const total = totals.get(label) ?? { gaps: [], seconds: 0, cpu: 0, main: 0 };
    total.gaps.push(...gaps);
    total.seconds += Number(process.hrtime.bigint() - wall) / 1e9;
    total.cpu += cpuMs() - t;
    total.main += mainThreadCpuMs() - main;
    totals.set(label, total);
  };
  const one = new PdfRenderPool({ threads: 1 });
  const two = new PdfRenderPool({ threads: 2 });
  try {
    // What a render thread costs once: its start, its modules, its fonts parsed and its first render.
    let t = cpuMs();
    await one.renderDocument(models[0]!);
    const firstRender = cpuMs() - t;
    t = cpuMs();
    for (let i = 1; i < 50; i++) await one.renderDocument(models[i % models.length]!);
    const next49 = (cpuMs() - t) / 49;
    for (let i = 0; i < warmUp; i++) {
      await renderDocument(models[i % models.length]!);
      await one.renderDocument(models[i % models.length]!);
    }
    await Promise.all(
      Array.from({ length: 2 * warmUp }, (_, i) => two.renderDocument(models[i % models.length]!)),
    );
    const ways: [string, Render][] = [
      ['on the main thread', (m) => renderDocument(m)],
      ['in 1 render thread', (m) => one.renderDocument(m)],
      ['in 2 render threads', (m) => two.renderDocument(m)],
    ];
    for (let turn = 0; turn < turns; turn++) for (const [label, render] of ways) await measure(label, render);
    const documents = turns * rounds;
    return [
      [
        'a render thread: start, modules, fonts and its first render; its next 49',
        `${firstRender.toFixed(0)} ms CPU; ${next49.toFixed(1)} ms CPU per PDF`,
      ],
      ...[...totals].map(([label, { gaps, seconds, cpu, main }]): [string, string] => {
        gaps.sort((a, b) => a - b);
        const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))]!;
        return [
          `${documents} case documents (${turns} turns of ${rounds}) ${label}: loop turns; gap p50 / p99 / max`,
          `${gaps.length} turns; ${at(0.5).toFixed(1)} / ${at(0.99).toFixed(1)} / ${gaps.at(-1)!.toFixed(1)} ms; ` +
            `${(documents / seconds).toFixed(1)} PDFs/s; CPU ${(cpu / documents).toFixed(2)} ms per PDF, ` +
            `of which the main thread ${(main / documents).toFixed(2)} ms`,
        ];
      }),
    ];
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}

/**
 * How long the event loop goes between turns: a 1 ms timer notes the time since its last run (the first gap runs
 * from the start), which is what a lock renewal or a request waits. Sorted, the longest last.
 */
function loopProbe(): { stop: () => number[] } {
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const gaps: number[] = [];
  let last = now();
  const timer = setInterval(() => {
    const t = now();
    gaps.push(t - last);
    last = t;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      gaps.push(now() - last);
      return gaps.sort((a, b) => a - b);
    },
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
