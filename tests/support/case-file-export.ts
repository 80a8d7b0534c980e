import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface UnpackedCaseFileExport {
  /** the archive as downloaded */
  zipPath: string;
  /** where it was extracted */
  out: string;
  /** its manifest.json, parsed */
  manifest: any;
}

/**
 * A case-file export (GET /cases/{id}/export) written to `dir`/case.zip and extracted into `dir`/out (by Python's
 * zipfile, not our reader), then verified offline as its README.txt tells the reader: `sha256sum -c SHA256SUMS`,
 * which exits non-zero — and this throws — when a file is missing or its hash differs.
 */
export function unpackCaseFileExport(dir: string, archive: Buffer): UnpackedCaseFileExport {
  const zipPath = join(dir, 'case.zip');
  writeFileSync(zipPath, archive);
  const out = join(dir, 'out');
  execFileSync('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    zipPath,
    out,
  ]);
  const checked = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
  if (/FAILED/.test(checked)) throw new Error(`the export's SHA256SUMS do not hold:\n${checked}`);
  return { zipPath, out, manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) };
}
