import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { localizeProblem, problemMessageOf, RAISED } from './problem-messages';
import { problem } from './problem';

/**
 * Every problem code raised anywhere in libs/ and apps/ has a text for staff in Chinese and one in English: the
 * source is scanned for the ways a code is raised, so a new code without its texts fails here. A text may be the
 * one the code was raised with (`RAISED`) only where that is already in the language, which is checked at every
 * raising site whose message is written out.
 */
const root = resolve(__dirname, '../../../../..');

const CATEGORY =
  'validation|unauthenticated|forbidden|not_found|conflict|rule_violation|too_large|rate_limited|unavailable';
const CODE = `'([a-z0-9_]+)'`;
/** A message written out: a quoted or template literal (its first piece, when concatenated). */
/** Arguments before the code: no statement end, brackets one level deep (so a match stays in one call). */
const ARGUMENTS = '(?:[^;()]|\\([^;()]*\\))*?';
const MESSAGE = `('(?:[^'\\\\]|\\\\.)*'|\`(?:[^\`\\\\]|\\\\.)*\`)`;

interface Raised {
  code: string;
  file: string;
  /** The message as written at the site, when it is a literal. */
  message?: string;
}

/** The ways a code is raised, each with the code's capture group and, where written out, the message's. */
interface Form {
  name: string;
  pattern: RegExp;
  code: (m: RegExpMatchArray) => string;
  /** The message's capture group, where the form writes it out. */
  message?: number;
  /** Only in the files this says (a helper's name that other code uses for other things). */
  where?: (file: string, text: string) => boolean;
}
const usesCaseActionHelpers = (file: string, text: string) =>
  file.endsWith('case-action-helpers.ts') || text.includes('case-action-helpers');

const FORMS: Form[] = [
  // new DomainError('conflict', 'code', 'message'), refuse('conflict', 'code', (s) => 'message')
  {
    name: 'category and code',
    pattern: new RegExp(`'(?:${CATEGORY})',\\s*${CODE}(?:,\\s*(?:\\([^)]*\\)\\s*=>\\s*)?${MESSAGE})?`, 'g'),
    code: (m) => m[1]!,
    message: 2,
  },
  {
    name: 'refusal object',
    pattern: new RegExp(`category: '(?:${CATEGORY})',\\s*code: ${CODE}`, 'g'),
    code: (m) => m[1]!,
  },
  // the case actions' helpers (cases-domain case-action-helpers.ts): forbidden/rule/conflict(code, message),
  // invalid(code, path, message)
  {
    name: 'case action helper',
    pattern: new RegExp(`\\b(?:forbidden|rule|conflict)\\(\\s*${CODE},\\s*${MESSAGE}`, 'g'),
    code: (m) => m[1]!,
    message: 2,
    where: usesCaseActionHelpers,
  },
  {
    name: 'case action field check',
    pattern: new RegExp(`\\binvalid\\(\\s*${CODE},\\s*'[^']*',\\s*${MESSAGE}`, 'g'),
    code: (m) => m[1]!,
    message: 2,
    where: usesCaseActionHelpers,
  },
  { name: 'not found', pattern: /\bnotFound\(\s*'([a-z0-9_]+)'/g, code: (m) => `${m[1]}_not_found` },
  // validationError(message, errors, 'code'), invalidBody(path, message, 'code'), parseModel(schema, input, 'code', …)
  {
    name: 'validation helper',
    pattern: new RegExp(`\\b(?:validationError|invalidBody)\\(${ARGUMENTS},\\s*${CODE}\\s*,?\\s*\\)`, 'g'),
    code: (m) => m[1]!,
  },
  { name: 'model parse', pattern: /\bparseModel\(\s*[^,]+,\s*[^,]+,\s*'([a-z0-9_]+)'/g, code: (m) => m[1]! },
  // the platform's own problems: problem(503, 'code', …), Fastify's codes, the load shedding's 503s
  { name: 'problem', pattern: /\bproblem\(\s*\d{3},\s*'([a-z0-9_]+)'/g, code: (m) => m[1]! },
  { name: 'status and code', pattern: /status: \d{3}, code: '([a-z0-9_]+)'/g, code: (m) => m[1]! },
  {
    name: '503 answer',
    pattern: new RegExp(`\\banswer503\\(${ARGUMENTS},\\s*${CODE}`, 'g'),
    code: (m) => m[1]!,
  },
];

/**
 * The places that raise a code held in a variable, with the codes that reach them other than through the
 * forms above. A new such place fails the scan until it is named here.
 */
const FORWARDERS: Record<string, readonly string[]> = {
  'libs/shared/kernel/src/domain-error.ts: code': ['validation_failed'],
  'libs/shared/kernel/src/domain-error.ts: `${entity}_not_found`': [],
  'libs/cases/domain/src/actions/case-action-helpers.ts: code': [],
  'libs/cases/feature/src/actions/case-action-request.ts: code': ['invalid_case_action'],
  'libs/leads/domain/src/lead-lifecycle.ts: refusal.code': [],
  'libs/documents/domain/src/printable-document.ts: code': [],
  // re-raised as a rule violation with the same code
  'libs/casefile/feature/src/case-document-pdfs.service.ts: error.code': [],
  // a domain error raised in a render thread, raised again on the main thread with the same code
  'libs/documents/pdf/src/render-pool.ts: e.code': [],
  // `publication_${status}` for the statuses other than the two named
  'libs/publicity/data/src/publications.repository.ts: code': [
    'publication_already_withdrawn',
    'publication_already_published',
    'publication_held',
    'publication_not_published',
  ],
  // deciding-authority.ts: { ready: false, code: 'awaits_threshold_trip_decision' }
  'libs/penalties/feature/src/sub-case-decision-gate.ts: readiness.code': ['awaits_threshold_trip_decision'],
  'libs/platform/nest/src/http/request-limits.ts: code': [],
  'libs/platform/nest/src/http/problem.filter.ts: exception.code': [],
  'libs/platform/nest/src/http/problem.filter.ts: code': ['route_not_found'],
  // http_<status>: a status Nest or Fastify answered with and nothing else named
  'libs/platform/nest/src/http/problem.filter.ts: `http_${statusCode}`': ['http_400'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The codes raised in `text` (a file of `file`) and the places whose code is a variable. */
export function scanSource(file: string, text: string): { raised: Raised[]; variableSites: string[] } {
  const raised: Raised[] = [];
  for (const form of FORMS) {
    if (form.where && !form.where(file, text)) continue;
    for (const m of text.matchAll(form.pattern)) {
      const message = form.message !== undefined ? m[form.message] : undefined;
      raised.push({ code: form.code(m), file, ...(message ? { message: message.slice(1, -1) } : {}) });
    }
  }
  const variableSites = [
    ...text.matchAll(/new DomainError\(\s*[^,]+?,\s*([^'\s,][^,]*?),/g),
    ...text.matchAll(/(?<!function )\bproblem\(\s*([^,]+?),\s*([^'\s,][^,]*?),/g),
  ].map((m) => `${file}: ${(m[2] ?? m[1])!.trim()}`);
  return { raised, variableSites };
}

function scanRepository(): { raised: Raised[]; variableSites: string[] } {
  const all = { raised: [] as Raised[], variableSites: [] as string[] };
  for (const dir of ['libs', 'apps']) {
    for (const path of sourceFiles(join(root, dir))) {
      const { raised, variableSites } = scanSource(relative(root, path), readFileSync(path, 'utf8'));
      all.raised.push(...raised);
      all.variableSites.push(...variableSites);
    }
  }
  for (const codes of Object.values(FORWARDERS))
    all.raised.push(...codes.map((code) => ({ code, file: 'FORWARDERS' })));
  return all;
}

/** A message's language by how it begins, once its `${…}` are taken out: Chinese or English. */
export function languageOf(message: string): 'zh-CN' | 'en' {
  const text = message.replace(/\$\{[^}]*\}/g, '').replace(/^[\s"'“”:：,，]+/, '');
  return /^[\u3400-\u9fff（《【「]/.test(text) ? 'zh-CN' : 'en';
}

const sample = (code: string) =>
  problem(400, code, 'THE RAISED TEXT', {
    roles: ['officer'],
    allow: ['GET'],
    retryAfterSeconds: 5,
    leadStatus: 'notified',
    policyKey: 'case',
  });
const cjk = /[\u3400-\u9fff]/;

describe('problem messages: every raised code, in Chinese and in English', () => {
  const { raised, variableSites } = scanRepository();
  const codes = [...new Set(raised.map((r) => r.code))].sort();

  it('knows every place that raises a code held in a variable', () => {
    expect([...new Set(variableSites)].filter((site) => !(site in FORWARDERS)).sort()).toEqual([]);
    // and none of the names is stale
    expect(Object.keys(FORWARDERS).filter((site) => !variableSites.includes(site))).toEqual([]);
  });

  it('finds the codes of every form', () => {
    expect(codes.length).toBeGreaterThan(200);
    for (const known of [
      'lead_already_reviewed', // refuse(category, code, …) in the lead lifecycle
      'already_recorded', // conflict(code, …) of the case actions
      'paid_before_service', // invalid(code, path, …)
      'station_not_found', // notFound('station', …)
      'role_not_allowed', // new DomainError('forbidden', 'role_not_allowed', …)
      'payload_too_large', // Fastify's codes
      'overloaded', // the load shedding's 503
      'printable_document_invalid', // parseModel(…, code, …)
      'publication_held', // a forwarder's codes
    ])
      expect(codes).toContain(known);
  });

  it('has a Chinese and an English text for each', () => {
    const missing = codes.filter((code) => {
      const zh = localizeProblem(sample(code), 'zh-CN').detail;
      return !problemMessageOf(code) && !cjk.test(zh);
    });
    expect(missing.map((code) => `${code} (${raised.find((r) => r.code === code)!.file})`)).toEqual([]);
    for (const code of codes) {
      const texts = problemMessageOf(code);
      if (!texts) continue; // `<entity>_not_found`: the entity in Chinese words, the raised English
      const zh = texts['zh-CN'] === RAISED ? null : texts['zh-CN'](sample(code));
      const en = texts.en === RAISED ? null : texts.en(sample(code));
      if (zh !== null) expect({ code, zh: cjk.test(zh) }).toEqual({ code, zh: true });
      if (en !== null) expect({ code, en: languageOf(en) }).toEqual({ code, en: 'en' });
      expect({ code, both: zh !== null || en !== null }).toEqual({ code, both: true });
    }
  });

  it('keeps the raised text only where it is already in that language', () => {
    const wrong = raised
      .filter((r) => r.message !== undefined)
      .flatMap((r) => {
        const texts = problemMessageOf(r.code);
        if (!texts) return [];
        const language = languageOf(r.message!);
        const keptIn = (['zh-CN', 'en'] as const).filter((l) => texts[l] === RAISED);
        return keptIn
          .filter((l) => l !== language)
          .map((l) => `${r.code} (${r.file}): raised in ${language}, kept as ${l}`);
      });
    expect(wrong).toEqual([]);
  });

  it('names roles and actions in words, not codes', () => {
    const zh = localizeProblem(
      problem(403, 'role_not_allowed', 'x', {
        roles: ['legal_reviewer', 'approver'],
        action: 'approve_filing',
        actionTitle: '批准立案',
      }),
      'zh-CN',
    ).detail;
    expect(zh).toBe('「批准立案」须由法制审核人员或负责人办理');
    const en = localizeProblem(
      problem(403, 'role_not_allowed', 'x', { roles: ['legal_reviewer'], action: 'approve_filing' }),
      'en',
    ).detail;
    expect(en).toBe('approve filing needs one of the roles: legal reviewer');
    // no text of the table shows a role or action code
    for (const code of codes) {
      const texts = problemMessageOf(code);
      for (const l of ['zh-CN', 'en'] as const) {
        if (!texts || texts[l] === RAISED) continue;
        expect({ code, text: texts[l](sample(code)) }).not.toEqual({
          code,
          text: expect.stringMatching(/\b(legal_reviewer|approve_filing|request_filing)\b/),
        });
      }
    }
  });

  it('fails on a code without texts, an unnamed forwarder and a wrong language', () => {
    const scanned = scanSource(
      'libs/x/src/x.ts',
      `throw new DomainError('conflict', 'no_text_for_this', 'the thing clashes');
       throw rule('also_new', '未满足条件'); // case-action-helpers
       throw new DomainError('conflict', someCode, 'forwarded');`,
    );
    expect(scanned.raised.map((r) => r.code)).toEqual(['no_text_for_this', 'also_new']);
    expect(scanned.raised.map((r) => r.message && languageOf(r.message))).toEqual(['en', 'zh-CN']);
    expect(problemMessageOf('no_text_for_this')).toBeUndefined();
    expect(scanned.variableSites).toEqual(['libs/x/src/x.ts: someCode']);
    expect(languageOf('${clash} 已审核本案')).toBe('zh-CN');
    expect(languageOf('the reasons are required (自由裁量理由)')).toBe('en');
  });
});
