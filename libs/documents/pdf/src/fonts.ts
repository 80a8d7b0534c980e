import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';

/**
 * The faces every document embeds (as subsets): Noto Serif SC, a Song-style serif, from the
 * @expo-google-fonts/noto-serif-sc package — whole TTF files (glyf outlines, which the PDF subsetter
 * handles well), never a font of the machine, nothing fetched. Read and parsed once per process.
 */
export interface DocumentFonts {
  regular: Font;
  bold: Font;
}

const FILES = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
} as const;

let loaded: DocumentFonts | undefined;

export function documentFonts(): DocumentFonts {
  loaded ??= { regular: open(FILES.regular), bold: open(FILES.bold) };
  return loaded;
}

function open(file: string): Font {
  const font = create(readFileSync(require.resolve(file)));
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
