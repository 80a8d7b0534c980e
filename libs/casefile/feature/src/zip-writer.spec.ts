import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { assertSafeEntryName, ZipWriter } from './zip-writer';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Runs python3's zipfile over the archive: names, sizes and content hashes as it reads them. */
function pythonRead(path: string): { name: string; size: number; sha256: string }[] {
  const script = [
    'import hashlib, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None',
    'print(json.dumps([{"name": i.filename, "size": i.file_size, "sha256": hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
}

describe('ZipWriter (stored entries, UTF-8 names, ZIP64 when needed)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'zip-writer-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an archive that unzip -t and python zipfile accept, with the hashes it reports', async () => {
    const zip = new ZipWriter(new Date('2026-11-28T10:20:30Z'));
    const bytes = collect(zip.output);
    const big = randomBytes(3 * 1024 * 1024 + 17); // several chunks, backpressure on the output
    const chunks = async function* () {
      for (let i = 0; i < big.length; i += 64 * 1024) yield big.subarray(i, i + 64 * 1024);
    };
    const results = [
      await zip.addFile('README.txt', '案卷导出\nhello\n'),
      await zip.addFile('documents/01_立案审批表.html', Buffer.from('<p>立案审批表</p>')),
      await zip.addFile('evidence/01-video.mp4', chunks()),
      await zip.addFile('evidence/02-empty.bin', Readable.from([])),
    ];
    expect(await zip.finish()).toMatchObject({ entries: 4 });
    const archive = await bytes;
    const path = join(dir, 'a.zip');
    writeFileSync(path, archive);

    expect(results[2]).toMatchObject({ size: big.length, sha256: sha(big) });
    expect(results[0]!.sha256).toBe(sha('案卷导出\nhello\n'));
    expect(results[3]).toMatchObject({ size: 0, sha256: sha('') });

    const tested = execFileSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(tested).toMatch(/No errors detected/);
    const read = pythonRead(path);
    expect(read.map((e) => e.name)).toEqual([
      'README.txt',
      'documents/01_立案审批表.html',
      'evidence/01-video.mp4',
      'evidence/02-empty.bin',
    ]);
    expect(read.map((e) => [e.size, e.sha256])).toEqual(results.map((r) => [r.size, r.sha256]));

    // The UTF-8 flag is what makes the Chinese name come out right: python reads cp437 without it.
    expect(archive.readUInt16LE(6) & 0x0800).toBe(0x0800);
  });

  it('an archive with a corrupted byte fails unzip -t (the test above is not vacuous)', async () => {
    const zip = new ZipWriter();
    const bytes = collect(zip.output);
    await zip.addFile('a.txt', 'some content of the case file');
    await zip.finish();
    const archive = await bytes;
    archive[archive.indexOf('some content')] ^= 0xff; // a data byte
    const path = join(dir, 'bad.zip');
    writeFileSync(path, archive);
    expect(() => execFileSync('unzip', ['-t', path], { stdio: 'pipe' })).toThrow();
    expect(readFileSync(path).length).toBe(archive.length);
  });

  it('refuses unsafe or duplicate names and entries after finish', async () => {
    for (const name of ['', '/abs', '../up', 'a/../b', 'a\\b', 'a//b', './a']) {
      expect(() => assertSafeEntryName(name)).toThrow(/unsafe/);
    }
    const zip = new ZipWriter();
    void collect(zip.output);
    await zip.addFile('a.txt', 'x');
    await expect(zip.addFile('a.txt', 'y')).rejects.toThrow(/duplicate/);
    await zip.finish();
    await expect(zip.addFile('b.txt', 'z')).rejects.toThrow(/finished/);
  });

  it('writes ZIP64 records when the entries outgrow the classic format (65,535)', async () => {
    const zip = new ZipWriter(new Date('2026-12-06T08:00:00Z'));
    const bytes = collect(zip.output);
    const count = 65_536 + 3;
    for (let i = 0; i < count; i += 1) await zip.addFile(`e/${i}.txt`, String(i));
    expect(await zip.finish()).toMatchObject({ entries: count });
    const archive = await bytes;
    // The ZIP64 end of central directory record (PK\x06\x06) is there, and python reads every entry.
    expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    const path = join(dir, 'many.zip');
    writeFileSync(path, archive);
    const script =
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(len(z.infolist()), z.read("e/65537.txt").decode())';
    expect(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }).trim()).toBe(`${count} 65537`);
  }, 120_000);
});
