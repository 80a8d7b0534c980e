import { create } from 'qrcode';

/** A dark run of modules in one row of a QR code: drawn as one filled rectangle (vector, no image). */
export interface QrRun {
  row: number;
  column: number;
  length: number;
}

/** The dark modules of the QR code of `text` (error correction M), merged into runs per row. */
export function qrRuns(text: string): { size: number; runs: QrRun[] } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const runs: QrRun[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let column = 0; column <= modules.size; column++) {
      const dark = column < modules.size && modules.get(row, column);
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        runs.push({ row, column: start, length: column - start });
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}
