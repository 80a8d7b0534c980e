import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { ZipFile } from 'yazl';

/**
 * The case file's ZIP, written as it is read (yazl, a maintained streaming writer). Entries are *stored*
 * (no compression: case files are mostly JPEG and MP4 evidence, already compressed), names are UTF-8, and
 * ZIP64 records are written where an entry, the archive or the entry count outgrows the classic format
 * (4 GiB, 65,535 entries). Each entry's bytes pass through sha256 and CRC-32 on their way in, so the
 * manifest's hashes are of exactly what the archive holds. `output` applies backpressure: `addFile` waits
 * while the consumer is slow, and nothing is buffered beyond a chunk or two.
 */
export interface ZipEntryResult {
  name: string;
  size: number;
  crc32: number;
  /** sha256 hex of the bytes written into the archive for this entry. */
  sha256: string;
}

/** -rw-r--r-- regular file. */
const FILE_MODE = 0o100644;

/** A name as stored: relative, forward slashes, no empty, `.` or `..` segment (zip-slip safe). */
export function assertSafeEntryName(name: string): void {
  const segments = name.split('/');
  if (
    name.length === 0 ||
    name.includes('\\') ||
    name.includes('\0') ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new Error(`unsafe zip entry name: ${JSON.stringify(name)}`);
  }
}

/** Counts, hashes and CRCs what passes; `done` resolves with the totals once the source has ended. */
class Digest extends Transform {
  private readonly hash = createHash('sha256');
  private crc = 0;
  private size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.crc = crc32(chunk, this.crc);
    this.hash.update(chunk);
    callback(null, chunk);
  }

  result(name: string): ZipEntryResult {
    return { name, size: this.size, crc32: this.crc >>> 0, sha256: this.hash.digest('hex') };
  }
}

function digestOf(name: string, buffer: Buffer): ZipEntryResult {
  const digest = new Digest();
  digest.write(buffer);
  return digest.result(name);
}

export class ZipWriter {
  private readonly zip = new ZipFile();
  private readonly stream = new PassThrough({ highWaterMark: 256 * 1024 });
  private readonly names = new Set<string>();
  private bytes = 0;
  private busy = false;
  private finished = false;
  private failure: Error | undefined;
  /** Rejects when the output closes early (the client went away, or `abort`): a pending entry stops waiting. */
  private readonly closed: Promise<never>;

  constructor(private readonly modifiedAt: Date = new Date()) {
    this.zip.outputStream.on('data', (chunk: Buffer) => (this.bytes += chunk.length));
    this.zip.outputStream.pipe(this.stream);
    this.zip.on('error', (error: Error) => this.abort(error));
    this.closed = new Promise<never>((_resolve, reject) =>
      this.stream.once('close', () => reject(this.failure ?? new Error('the zip output was closed'))),
    );
    this.closed.catch(() => undefined);
  }

  /** The archive's bytes as they are produced. */
  get output(): Readable {
    return this.stream;
  }

  /**
   * Appends one file. `source` is the whole content or a stream of chunks (read once, never buffered
   * whole). Entries are written one at a time: a call before the previous one resolved is a bug.
   */
  async addFile(
    name: string,
    source: string | Uint8Array | AsyncIterable<Uint8Array | string>,
    modifiedAt: Date = this.modifiedAt,
  ): Promise<ZipEntryResult> {
    if (this.finished) throw new Error('zip already finished');
    if (this.busy) throw new Error('zip entries are written one at a time');
    assertSafeEntryName(name);
    if (this.names.has(name)) throw new Error(`duplicate zip entry ${name}`);
    this.names.add(name);
    this.busy = true;
    try {
      const options = { mtime: modifiedAt, mode: FILE_MODE, compress: false };
      if (typeof source === 'string' || source instanceof Uint8Array) {
        // Already in memory: one buffer, hashed here (yazl writes its sizes in the local header).
        const buffer = typeof source === 'string' ? Buffer.from(source, 'utf8') : Buffer.from(source);
        this.zip.addBuffer(buffer, name, options);
        return digestOf(name, buffer);
      }
      const digest = new Digest();
      const input = Readable.from(source, { objectMode: false }).on('error', (e) => digest.destroy(e));
      const ended = new Promise<void>((resolve, reject) => {
        digest.once('end', resolve);
        digest.once('error', reject);
      });
      this.zip.addReadStreamLazy(name, options, (cb) => cb(null, input.pipe(digest)));
      await Promise.race([ended, this.closed]);
      return digest.result(name);
    } finally {
      this.busy = false;
    }
  }

  /** Writes the central directory and ends the output once everything has been read by the consumer. */
  async finish(): Promise<{ entries: number; bytes: number }> {
    if (this.finished) throw new Error('zip already finished');
    if (this.busy) throw new Error('an entry is still being written');
    this.finished = true;
    const ended = new Promise<void>((resolve) => this.zip.outputStream.once('end', resolve));
    this.zip.end();
    await Promise.race([ended, this.closed]);
    return { entries: this.names.size, bytes: this.bytes };
  }

  /** Ends the output with an error (the consumer sees a failed stream, never a valid-looking archive). */
  abort(error: Error): void {
    this.finished = true;
    this.failure ??= error;
    this.zip.outputStream.unpipe(this.stream);
    this.stream.destroy(error);
  }
}
