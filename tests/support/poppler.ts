import { execFileSync, spawnSync } from 'node:child_process';

const TOOLS = ['pdftotext', 'pdffonts', 'pdfinfo', 'pdftoppm'];

/**
 * Debian's poppler-utils read the rendered PDFs as a reader would (text, fonts, pages, pictures). A clean
 * machine (CI) lacks them: installed here with apt-get, as root, once.
 */
export function ensurePoppler(): void {
  const missing = () => TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing().length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { env, stdio: 'ignore' });
  const still = missing();
  if (still.length) throw new Error(`poppler-utils installed, yet ${still.join(', ')} not found`);
}

export const poppler = (tool: string, args: string[]): string =>
  execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** The number of pages poppler finds in a PDF. */
export const pageCountOf = (file: string): number =>
  Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [file]))![1]);

/** Each font of a PDF as pdffonts lists it: its name and whether it is embedded ("yes"/"no"). */
export function fontsOf(file: string): { name: string; emb: string }[] {
  return poppler('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return { name: cols[0]!, emb: cols[cols.length - 5]! };
    });
}
