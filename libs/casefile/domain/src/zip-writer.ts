import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3): every entry is *stored* (no compression: case files are
 * mostly JPEG and MP4 evidence, already compressed), its CRC-32 and sizes follow its data in a data
 * descriptor (general purpose bit 3), so an entry of unknown length is written as it is read and nothing is
 * buffered beyond one chunk. Names are UTF-8 (bit 11): document titles are Chinese.
 *
 * No ZIP64: an entry, the archive's offsets or the entry count beyond the classic limits (4 GiB, 65,535
 * entries) is refused with a `ZipLimitError` instead of writing an archive the classic format cannot hold.
 *
 * Output is a Readable (`output`) with backpressure: `addFile` waits when the consumer is slow.
 */
export class ZipLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipLimitError';
  }
}

export interface ZipEntryResult {
  name: string;
  size: number;
  crc32: number;
  /** sha256 hex of the bytes written into the archive for this entry. */
  sha256: string;
}

interface CentralRecord {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
  dosTime: number;
  dosDate: number;
}

const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;
/** bit 3: sizes and CRC in a data descriptor; bit 11: file name is UTF-8. */
const FLAGS = 0x0808;
const VERSION_NEEDED = 20;
/** made by: UNIX (3), spec 2.0, so that the external attributes carry file permissions. */
const VERSION_MADE_BY = (3 << 8) | 20;
/** -rw-r--r-- regular file. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** MS-DOS date and time of an instant's UTC wall clock (2-second resolution, 1980-2107). */
export function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

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

export class ZipWriter {
  private readonly stream = new PassThrough({ highWaterMark: 256 * 1024 });
  private readonly records: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private offset = 0;
  private busy = false;
  private finished = false;

  constructor(private readonly modifiedAt: Date = new Date()) {}

  /** The archive's bytes as they are produced. */
  get output(): Readable {
    return this.stream;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.offset;
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
    if (this.records.length >= MAX_ENTRIES) throw new ZipLimitError('more than 65,535 entries need ZIP64');
    this.busy = true;
    try {
      const nameBytes = Buffer.from(name, 'utf8');
      if (nameBytes.length > 0xffff) throw new Error('zip entry name too long');
      const { time, date } = dosDateTime(modifiedAt);
      const headerOffset = this.offset;
      this.assertOffset(headerOffset);
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(VERSION_NEEDED, 4);
      header.writeUInt16LE(FLAGS, 6);
      header.writeUInt16LE(0, 8); // stored
      header.writeUInt16LE(time, 10);
      header.writeUInt16LE(date, 12);
      // CRC-32 and sizes (14..25) stay zero: they follow in the data descriptor.
      header.writeUInt16LE(nameBytes.length, 26);
      header.writeUInt16LE(0, 28);
      await this.write(Buffer.concat([header, nameBytes]));

      let crc = 0;
      let size = 0;
      const hash = createHash('sha256');
      const chunks = typeof source === 'string' || source instanceof Uint8Array ? [toBuffer(source)] : source;
      for await (const raw of chunks) {
        const chunk = toBuffer(raw);
        if (chunk.length === 0) continue;
        size += chunk.length;
        if (size > MAX_32) throw new ZipLimitError(`${name} is larger than 4 GiB (ZIP64 not supported)`);
        crc = crc32(chunk, crc);
        hash.update(chunk);
        await this.write(chunk);
      }

      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(size, 8);
      descriptor.writeUInt32LE(size, 12);
      await this.write(descriptor);

      this.names.add(name);
      this.records.push({
        name: nameBytes,
        crc: crc >>> 0,
        size,
        offset: headerOffset,
        dosTime: time,
        dosDate: date,
      });
      return { name, size, crc32: crc >>> 0, sha256: hash.digest('hex') };
    } finally {
      this.busy = false;
    }
  }

  /** Writes the central directory and ends the output. */
  async finish(): Promise<{ entries: number; bytes: number }> {
    if (this.finished) throw new Error('zip already finished');
    if (this.busy) throw new Error('an entry is still being written');
    this.finished = true;
    const centralOffset = this.offset;
    this.assertOffset(centralOffset);
    for (const r of this.records) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(VERSION_MADE_BY, 4);
      header.writeUInt16LE(VERSION_NEEDED, 6);
      header.writeUInt16LE(FLAGS, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(r.dosTime, 12);
      header.writeUInt16LE(r.dosDate, 14);
      header.writeUInt32LE(r.crc, 16);
      header.writeUInt32LE(r.size, 20);
      header.writeUInt32LE(r.size, 24);
      header.writeUInt16LE(r.name.length, 28);
      // extra (30), comment (32), disk (34), internal attributes (36): zero
      header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
      header.writeUInt32LE(r.offset, 42);
      await this.write(Buffer.concat([header, r.name]));
    }
    const centralSize = this.offset - centralOffset;
    this.assertOffset(this.offset);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(centralOffset, 16);
    await this.write(end);
    this.stream.end();
    return { entries: this.records.length, bytes: this.offset };
  }

  /** Ends the output with an error (the consumer sees a failed stream, never a valid-looking archive). */
  abort(error: Error): void {
    this.finished = true;
    this.stream.destroy(error);
  }

  private assertOffset(offset: number): void {
    if (offset > MAX_32) throw new ZipLimitError('the archive is larger than 4 GiB (ZIP64 not supported)');
  }

  private async write(chunk: Buffer): Promise<void> {
    if (this.stream.destroyed) throw new Error('the zip output was closed');
    this.offset += chunk.length;
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        this.stream.off('drain', onDrain);
        this.stream.off('close', onClose);
        this.stream.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('the zip output was closed'));
      this.stream.once('drain', onDrain);
      this.stream.once('close', onClose);
      this.stream.once('error', done);
    });
  }
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
