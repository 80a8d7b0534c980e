import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { create, type Font } from 'fontkit';

/**
 * The faces every document embeds (as subsets): Noto Serif SC, a Song-style serif, from the
 * @expo-google-fonts/noto-serif-sc package — whole TTF files (glyf outlines, which the PDF subsetter
 * handles well), never a font of the machine, nothing fetched. The files are read once per process, into
 * shared memory that the render threads parse from (fontBytes); each thread parses its own fonts once.
 */
export interface DocumentFonts {
  regular: Font;
  bold: Font;
}

/** The bytes of the two font files, over SharedArrayBuffers: handed to a render thread, they are not copied. */
export interface DocumentFontBytes {
  regular: Uint8Array;
  bold: Uint8Array;
}

const FILES = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
} as const;

let bytes: DocumentFontBytes | undefined;
let loaded: DocumentFonts | undefined;

/**
 * The font files' bytes: read at the first call (about 30 MB), or those a render thread was given
 * (useFontBytes). Plain Uint8Arrays, not Buffers: fontkit slices them, and a slice of a Uint8Array is a copy
 * of its own, which the text decoder accepts (it refuses a view into shared memory).
 */
export function fontBytes(): DocumentFontBytes {
  bytes ??= { regular: readShared(FILES.regular), bold: readShared(FILES.bold) };
  return bytes;
}

/** A render thread's fonts are parsed from the bytes its pool read (render-worker.ts), not read again. */
export function useFontBytes(given: DocumentFontBytes): void {
  if (loaded) throw new Error('the document fonts are parsed already');
  bytes = given;
}

export function documentFonts(): DocumentFonts {
  const { regular, bold } = fontBytes();
  loaded ??= { regular: open(regular, FILES.regular), bold: open(bold, FILES.bold) };
  return loaded;
}

function readShared(file: string): Uint8Array {
  const fd = openSync(require.resolve(file), 'r');
  try {
    const target = new Uint8Array(new SharedArrayBuffer(fstatSync(fd).size));
    for (let at = 0; at < target.length;) {
      const read = readSync(fd, target, at, target.length - at, at);
      if (read === 0) throw new Error(`${file} ended before its size`);
      at += read;
    }
    return target;
  } finally {
    closeSync(fd);
  }
}

function open(data: Uint8Array, file: string): Font {
  const font = create(data as Buffer);
  if (!('characterSet' in font)) throw new Error(`${file} is a font collection, not a font`);
  return font;
}

/** The characters of `text` the regular face has no glyph for (they would print as empty boxes). */
export function unsupportedCharacters(text: string): string[] {
  const { regular } = documentFonts();
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x20 || ch === '\u3000') continue;
    if (!regular.hasGlyphForCodePoint(cp)) missing.add(ch);
  }
  return [...missing];
}
