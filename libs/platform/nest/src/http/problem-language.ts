/** The languages problems are written in: the staff's Chinese, and English for programs and vendors. */
export const PROBLEM_LANGUAGES = ['zh-CN', 'en'] as const;
export type ProblemLanguage = (typeof PROBLEM_LANGUAGES)[number];

/**
 * The language of a problem from `Accept-Language` (RFC 9110 §12.5.4): the acceptable range with the highest
 * weight that we write — any `zh` range is zh-CN, any `en` range is English, `*` is the default — and the
 * default when the header names neither (or is absent).
 */
export function negotiateLanguage(
  acceptLanguage: string | undefined,
  fallback: ProblemLanguage,
): ProblemLanguage {
  if (!acceptLanguage) return fallback;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === '*') return fallback;
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return fallback;
}
