import type { Role } from '@ecc/identity-domain';
import type { ProblemLanguage } from './problem-language';
import type { Problem } from './problem';

type Text = Record<ProblemLanguage, string>;
type Render = (p: Problem) => string;

/** The status lines of problems (RFC 9457 `title`), in words a member of staff reads. */
export const PROBLEM_TITLES: Readonly<Record<number, Text>> = {
  400: { 'zh-CN': '请求有误', en: 'Bad Request' },
  401: { 'zh-CN': '未登录或登录已失效', en: 'Unauthorized' },
  403: { 'zh-CN': '无权操作', en: 'Forbidden' },
  404: { 'zh-CN': '未找到', en: 'Not Found' },
  405: { 'zh-CN': '不支持的请求方法', en: 'Method Not Allowed' },
  409: { 'zh-CN': '与当前状态冲突', en: 'Conflict' },
  413: { 'zh-CN': '内容过大', en: 'Content Too Large' },
  415: { 'zh-CN': '不支持的内容类型', en: 'Unsupported Media Type' },
  422: { 'zh-CN': '不符合办案规则', en: 'Unprocessable Content' },
  429: { 'zh-CN': '请求过于频繁', en: 'Too Many Requests' },
  500: { 'zh-CN': '服务器内部错误', en: 'Internal Server Error' },
  503: { 'zh-CN': '服务暂不可用', en: 'Service Unavailable' },
};

/** The roles by name, as staff call them (a problem never shows `legal_reviewer`). */
export const ROLE_NAMES: Readonly<Record<Role, Text>> = {
  officer: { 'zh-CN': '执法人员', en: 'officer' },
  legal_reviewer: { 'zh-CN': '法制审核人员', en: 'legal reviewer' },
  approver: { 'zh-CN': '负责人', en: 'approver' },
  auditor: { 'zh-CN': '监督评查人员', en: 'auditor' },
  admin: { 'zh-CN': '系统管理员', en: 'administrator' },
};

/** What a `*_not_found` problem names, in Chinese (the English detail names it already). */
const ENTITY_NAMES: Readonly<Record<string, string>> = {
  case: '案件',
  lead: '线索',
  station: '检测点',
  device: '检测设备',
  user: '用户',
  detection: '检测记录',
  notice: '告知',
  fence: '电子围栏',
  alert: '预警',
  permit: '大件运输许可',
  vehicle: '车辆',
  enterprise: '道路运输企业',
  driver: '驾驶人',
  source_unit: '货运源头单位',
  sub_case: '关联案件',
  document: '文书',
  evidence: '证据',
  legal_basis: '法律依据',
  policy: '策略',
  export: '导出文件',
};

const DEPENDENCY_WORDS: Readonly<Record<string, Text>> = {
  database: { 'zh-CN': '数据库', en: 'the database' },
  redis: { 'zh-CN': '队列存储（Redis）', en: 'the queue store (Redis)' },
  storage: { 'zh-CN': '对象存储', en: 'the object store' },
};

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Role codes as words, joined as the language joins alternatives. */
export function roleWords(roles: readonly string[], language: ProblemLanguage): string {
  const words = roles.map((r) => ROLE_NAMES[r as Role]?.[language] ?? r);
  return language === 'zh-CN' ? words.join('或') : words.join(', ');
}

/** An action code (`approve_filing`) in English words; Chinese uses the action's own title when it has one. */
const actionWords = (p: Problem, language: ProblemLanguage): string => {
  const action = typeof p['action'] === 'string' ? p['action'] : '';
  if (language === 'zh-CN' && typeof p['actionTitle'] === 'string') return `「${p['actionTitle']}」`;
  return action ? action.replace(/_/g, ' ') : language === 'zh-CN' ? '此操作' : 'this action';
};

/** A lead's status in words (线索状态), from the problem's `leadStatus`. */
const LEAD_STATUS_WORDS: Readonly<Record<string, string>> = {
  pending_review: '待审核',
  confirmed: '已确认',
  rejected: '已驳回',
  notified: '已告知',
  notice_failed: '告知失败',
  fenced: '已布控',
  filed: '已立案',
};
const leadStatusWords = (p: Problem): string => {
  const status = String(p['leadStatus'] ?? '');
  return LEAD_STATUS_WORDS[status] ?? status;
};

const seconds = (p: Problem): string => String(p['retryAfterSeconds'] ?? '');

const both = (zh: Render, en: Render): Record<ProblemLanguage, Render> => ({ 'zh-CN': zh, en });

/**
 * The staff-facing text of a problem by its stable `code`, in each language, from the problem's own fields (so
 * a program reads the same values in `roles`, `allow`, `retryAfterSeconds` whatever the language). A code not
 * listed keeps the text it was raised with.
 */
const MESSAGES: Readonly<Record<string, Partial<Record<ProblemLanguage, Render>>>> = {
  route_not_found: both(
    () => '没有这个接口地址',
    () => 'no route matches this path',
  ),
  method_not_allowed: both(
    (p) => `此地址不支持 ${String(p['method'])} 请求，可用的方法：${strings(p['allow']).join('、')}`,
    (p) => `${String(p['method'])} is not allowed here; allowed: ${strings(p['allow']).join(', ')}`,
  ),
  malformed_json: both(
    () => '请求体不是有效的 JSON',
    () => 'the body is not valid JSON',
  ),
  payload_too_large: both(
    () => '请求体超过大小上限',
    () => 'the body is larger than the limit',
  ),
  unsupported_media_type: both(
    () => '不支持此内容类型',
    () => 'this content type is not supported',
  ),
  invalid_content_length: both(
    () => 'Content-Length 与请求体不符',
    () => 'the Content-Length does not match the body',
  ),
  invalid_case_action: { en: () => "the action's body is invalid: see the fields listed in errors" },
  validation_failed: both(
    () => '请求参数有误，见 errors 所列字段',
    () => 'the request is invalid: see the fields listed in errors',
  ),
  token_in_query: both(
    () => '令牌须放在 Authorization 请求头中，不得写在地址里',
    () => 'send the token in the Authorization header, never in the URL',
  ),
  internal_error: both(
    (p) => `服务器发生意外错误，关联编号：${String(p['correlationId'] ?? p.requestId)}`,
    (p) => `An unexpected error occurred. Correlation id: ${String(p['correlationId'] ?? p.requestId)}`,
  ),
  dependency_unavailable: both(
    (p) =>
      `${DEPENDENCY_WORDS[String(p['dependency'])]?.['zh-CN'] ?? '依赖服务'}暂不可用，请 ${seconds(p)} 秒后重试`,
    (p) =>
      `${DEPENDENCY_WORDS[String(p['dependency'])]?.en ?? 'a dependency'} is unavailable; retry after ${seconds(p)} s`,
  ),
  request_timeout: both(
    (p) => `请求未能及时处理，请 ${seconds(p)} 秒后重试`,
    (p) => `the request could not be answered in time; retry after ${seconds(p)} s`,
  ),
  overloaded: both(
    (p) => `服务器繁忙，请 ${seconds(p)} 秒后重试`,
    (p) => `the server is at its limit; retry after ${seconds(p)} s`,
  ),
  shutting_down: both(
    (p) => `服务器正在停机，请 ${seconds(p)} 秒后重试`,
    (p) => `this server is shutting down; retry after ${seconds(p)} s`,
  ),
  unauthenticated: both(
    () => '请先登录',
    () => 'authentication required',
  ),
  missing_token: both(
    () => '请先登录：请求须携带 Authorization: Bearer 令牌',
    () => 'an Authorization: Bearer token is required',
  ),
  invalid_token: both(
    () => '登录令牌无效或已过期，请重新登录',
    () => 'the bearer token is invalid or expired',
  ),
  token_revoked: both(
    () => '登录令牌已作废（已退出登录或已修改密码），请重新登录',
    () => 'this token was revoked (signed out, or the password changed)',
  ),
  user_inactive: both(
    () => '此账号已停用',
    () => 'this account is disabled',
  ),
  password_change_required: both(
    () => '您使用一次性密码登录，请先修改密码（POST /api/v1/users/me/password）',
    () => 'signed in with a one-time password: change it first (POST /api/v1/users/me/password)',
  ),
  role_not_allowed: both(
    (p) => `${actionWords(p, 'zh-CN')}须由${roleWords(strings(p['roles']), 'zh-CN')}办理`,
    (p) => `${actionWords(p, 'en')} needs one of the roles: ${roleWords(strings(p['roles']), 'en')}`,
  ),
  invalid_credentials: both(
    () => '用户名或密码错误',
    () => 'username or password is wrong',
  ),
  sign_in_throttled: both(
    (p) => `登录失败次数过多，请 ${seconds(p)} 秒后再试`,
    (p) => `too many failed sign-ins: try again in ${seconds(p)} s`,
  ),
  username_taken: both(
    () => '用户名已被使用',
    () => 'this username is already taken',
  ),
  last_admin: both(
    () => '这是最后一名在用的系统管理员，请先任命另一名',
    () => 'this is the last active admin: appoint another first',
  ),
  user_already_disabled: both(
    () => '该用户已停用',
    () => 'the user is already disabled',
  ),
  user_already_active: both(
    () => '该用户已启用',
    () => 'the user is already active',
  ),
  policy_value_empty: both(
    (p) => `策略 ${String(p['policyKey'])} 的取值为空：请写明各项取值，系统不会把空对象当作默认值保存`,
    (p) =>
      `the ${String(p['policyKey'])} policy is empty: state its values; an empty object is not stored as the defaults`,
  ),
  // Raised in English by the contexts below the case workflow: their text for staff.
  station_code_taken: { 'zh-CN': () => '该检测点编码已存在' },
  device_taken: { 'zh-CN': () => '该检测点已有此设备编码，或设备序列号已登记在其他设备上' },
  calibration_certificate_taken: { 'zh-CN': () => '该设备已登记此检定证书' },
  permit_no_taken: { 'zh-CN': () => '该许可证号已登记' },
  registry_import_conflict: { 'zh-CN': () => '其他请求同时修改了相同记录，本文件未导入任何内容，请重新提交' },
  user_field_taken: { 'zh-CN': () => '该证件号或统一身份账号已被其他用户使用' },
  not_on_own_account: { 'zh-CN': () => '管理员不能对本人账号执行此操作' },
  lead_already_reviewed: { 'zh-CN': (p) => `该线索已审核（${leadStatusWords(p)}）` },
  lead_not_awaiting_notice: { 'zh-CN': (p) => `该线索${leadStatusWords(p)}，不在等待告知送达` },
  lead_not_awaiting_notice_decision: {
    'zh-CN': (p) => `该线索${leadStatusWords(p)}：只有告知短信最终发送失败的线索才等待办案人员决定`,
  },
  lead_not_fenceable: { 'zh-CN': (p) => `该线索${leadStatusWords(p)}：只有已告知且回应期限届满的线索才布控` },
  lead_not_fenced: { 'zh-CN': (p) => `该线索${leadStatusWords(p)}，未布控` },
  lead_already_filed: { 'zh-CN': () => '该线索已立案' },
  lead_modified: { 'zh-CN': () => '该线索已被他人处理，请刷新后重试' },
  lead_not_confirmed: { 'zh-CN': () => '只有已确认的线索才能执行此操作（行政处罚法第四十一条）' },
  lead_not_awaiting_response: { 'zh-CN': () => '只有已审核、尚未立案的线索才等待当事人回应' },
  lead_already_responded: { 'zh-CN': () => '该线索已记录当事人回应' },
  owner_already_known: { 'zh-CN': () => '该线索的车辆所有人已知' },
  plate_colour_required: { 'zh-CN': () => '检测记录未识别号牌颜色，请填写 plateColour' },
  case_modified: { 'zh-CN': () => '案件已被他人修改，请刷新后重试' },
  receipt_no_taken: { 'zh-CN': () => '该收据号已登记' },
  not_an_officer: { 'zh-CN': () => '所列人员中有人不是在职执法人员' },
  duplicate_officer: { 'zh-CN': () => '执法人员重复' },
  alert_not_open: { 'zh-CN': () => '只有未处理的预警可以签收' },
  alert_resolved: { 'zh-CN': () => '该预警已处理完毕' },
  fence_not_active: { 'zh-CN': () => '该电子围栏已撤控' },
  notice_not_failed: { 'zh-CN': () => '只有最终发送失败的告知才能重发' },
  legal_basis_exists: { 'zh-CN': () => '该法律依据在此生效日期已有版本' },
  evaluation_override_needs_approver: {
    'zh-CN': () => '案卷评查得分低于结案要求时，只有负责人可以说明理由后结案',
  },
  working_calendar_not_covered: {
    'zh-CN': (p) =>
      `工作日历未包含 ${String(p['date'])} 的节假日安排（覆盖至 ${String((p['coverage'] as { to?: string } | undefined)?.to ?? '')}）：请管理员录入该年度国务院节假日安排通知`,
  },
  statistics_period_too_long: { 'zh-CN': () => '统计期间过长，请缩短期间' },
  // Raised in Chinese by the case workflow (its staff's language), with an English text for programs.
  invalid_transition: {
    en: (p) =>
      `the case is ${String(p['caseState']).replace(/_/g, ' ')}: ${actionWords(p, 'en')} is not possible now`,
  },
  case_archived: { en: () => 'the case is archived: read-only' },
  auditor_read_only: { en: () => 'auditors read, they do not act on cases' },
  not_case_officer: { en: () => 'only an officer of this case may do this' },
  reviewer_is_case_officer: {
    en: () => 'the legal reviewer must not be an officer of the case (行政处罚法 Art. 58)',
  },
  approver_is_case_officer: { en: () => 'an approver does not approve a case they handle' },
  fewer_than_two_officers: {
    en: () => 'at least two officers holding enforcement certificates (行政处罚法 Art. 42)',
  },
  owner_unknown: { en: () => 'the owner is not known: complete the vehicle owner first' },
  review_checks_failed: {
    en: () => 'confirm a lead only when plate and axle count match the images; otherwise reject it',
  },
  lead_not_reviewed: { en: () => 'the lead is not reviewed and cannot be filed (行政处罚法 Art. 41)' },
  invalid_cursor: both(
    () => '分页游标无效：请使用接口返回的游标',
    () => 'the cursor is not one this API returned',
  ),
};

/** `station_not_found` → the station, in words; null for a code of another shape or an unknown entity. */
function notFoundText(code: string): string | null {
  if (!code.endsWith('_not_found')) return null;
  const entity = ENTITY_NAMES[code.slice(0, -'_not_found'.length)];
  return entity ? `${entity}不存在` : null;
}

/** A problem member with the `errors[].message` in other languages, used here and never sent. */
export const LOCALIZED_FIELD_MESSAGES = 'localizedFieldMessages';

/**
 * The problem in a language: its title, its detail where the code has a text, the field messages where they
 * were given in that language; the rest is unchanged.
 */
export function localizeProblem(problem: Problem, language: ProblemLanguage): Problem {
  const { [LOCALIZED_FIELD_MESSAGES]: localized, ...rest } = problem;
  const messages = (localized as Partial<Record<ProblemLanguage, string[]>> | undefined)?.[language];
  const errors =
    messages && problem.errors
      ? problem.errors.map((e, i) => ({ ...e, message: messages[i] ?? e.message }))
      : problem.errors;
  return localizeText({ ...rest, ...(errors ? { errors } : {}) } as Problem, language);
}

function localizeText(problem: Problem, language: ProblemLanguage): Problem {
  const title = PROBLEM_TITLES[problem.status]?.[language] ?? problem.title;
  const render = MESSAGES[problem.code]?.[language];
  // An English not-found detail names the id it looked for; the Chinese one names the entity in words.
  const notFound = language === 'zh-CN' ? notFoundText(problem.code) : null;
  const detail = render ? render(problem) : (notFound ?? problem.detail);
  return { ...problem, title, detail };
}

/** The codes with a text of their own (besides `<entity>_not_found`). */
export const LOCALIZED_PROBLEM_CODES: readonly string[] = Object.keys(MESSAGES);
