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
  case_document: '案件文书',
  document_version: '文书版本',
  interception_alert: '拦截预警',
  provider_message: '短信服务商消息',
  publication: '处罚决定公示',
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
/** The text the problem was raised with: already in this language (the spec checks the raising sites). */
export const RAISED: Render = (p) => p.detail;
const render = (text: string | Render): Render => (typeof text === 'string' ? () => text : text);
/** Raised in English: a Chinese text of its own. */
const zh = (text: string | Render): Record<ProblemLanguage, Render> => ({
  'zh-CN': render(text),
  en: RAISED,
});
/** A Chinese text followed by the raised English, where that names what staff need (a reason, a value). */
const withRaised =
  (text: string): Render =>
  (p) =>
    `${text}（${p.detail}）`;
/** Raised in Chinese (the case workflow): an English text of its own. */
const en = (text: string | Render): Record<ProblemLanguage, Render> => ({
  'zh-CN': RAISED,
  en: render(text),
});

/**
 * The staff-facing text of a problem by its stable `code`, in each language, from the problem's own fields (so
 * a program reads the same values in `roles`, `allow`, `retryAfterSeconds` whatever the language). Every code
 * raised in libs/ and apps/ is listed, with both languages (`problem-messages.spec.ts` scans the source); `RAISED`
 * keeps the text it was raised with where that is already in the language. A code not listed (none, today) keeps
 * the raised text in both.
 */
const MESSAGES: Readonly<Record<string, Record<ProblemLanguage, Render>>> = {
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
  invalid_case_action: both(
    () => '办案操作的请求内容有误，见 errors 所列字段',
    () => "the action's body is invalid: see the fields listed in errors",
  ),
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
  // Raised in English by the contexts below the case workflow: their text for staff (the English is the raised one).
  station_code_taken: zh('该检测点编码已存在'),
  device_taken: zh('该检测点已有此设备编码，或设备序列号已登记在其他设备上'),
  calibration_certificate_taken: zh('该设备已登记此检定证书'),
  permit_no_taken: zh('该许可证号已登记'),
  registry_import_conflict: zh('其他请求同时修改了相同记录，本文件未导入任何内容，请重新提交'),
  user_field_taken: zh('该证件号或统一身份账号已被其他用户使用'),
  not_on_own_account: zh('管理员不能对本人账号执行此操作'),
  lead_already_reviewed: zh((p) => `该线索已审核（${leadStatusWords(p)}）`),
  lead_not_awaiting_notice: zh((p) => `该线索${leadStatusWords(p)}，不在等待告知送达`),
  lead_not_awaiting_notice_decision: zh(
    (p) => `该线索${leadStatusWords(p)}：只有告知短信最终发送失败的线索才等待办案人员决定`,
  ),
  lead_not_fenceable: zh((p) => `该线索${leadStatusWords(p)}：只有已告知且回应期限届满的线索才布控`),
  lead_not_fenced: zh((p) => `该线索${leadStatusWords(p)}，未布控`),
  lead_already_filed: zh('该线索已立案'),
  lead_modified: zh('该线索已被他人处理，请刷新后重试'),
  lead_not_confirmed: zh('只有已确认的线索才能执行此操作（行政处罚法第四十一条）'),
  lead_not_awaiting_response: zh('只有已审核、尚未立案的线索才等待当事人回应'),
  lead_already_responded: zh('该线索已记录当事人回应'),
  owner_already_known: zh('该线索的车辆所有人已知'),
  plate_colour_required: zh('检测记录未识别号牌颜色，请填写 plateColour'),
  case_modified: zh('案件已被他人修改，请刷新后重试'),
  receipt_no_taken: zh('该收据号已登记'),
  not_an_officer: zh('所列人员中有人不是在职执法人员'),
  duplicate_officer: zh('执法人员重复'),
  alert_not_open: zh('只有未处理的预警可以签收'),
  alert_resolved: zh('该预警已处理完毕'),
  fence_not_active: zh('该电子围栏已撤控'),
  notice_not_failed: zh('只有最终发送失败的告知才能重发'),
  legal_basis_exists: zh('该法律依据在此生效日期已有版本'),
  evaluation_override_needs_approver: zh('案卷评查得分低于结案要求时，只有负责人可以说明理由后结案'),
  working_calendar_not_covered: zh(
    (p) =>
      `工作日历未包含 ${String(p['date'])} 的节假日安排（覆盖至 ${String((p['coverage'] as { to?: string } | undefined)?.to ?? '')}）：请管理员录入该年度国务院节假日安排通知`,
  ),
  statistics_period_too_long: zh('统计期间过长，请缩短期间'),
  // Raised in Chinese by the case workflow (its staff's language), with an English text for programs.
  invalid_transition: en(
    (p) =>
      `the case is ${String(p['caseState']).replace(/_/g, ' ')}: ${actionWords(p, 'en')} is not possible now`,
  ),
  case_archived: en('the case is archived: read-only'),
  auditor_read_only: en('auditors read, they do not act on cases'),
  not_case_officer: en('only an officer of this case may do this'),
  reviewer_is_case_officer: en('the legal reviewer must not be an officer of the case (行政处罚法 Art. 58)'),
  approver_is_case_officer: en('an approver does not approve a case they handle'),
  fewer_than_two_officers: en('at least two officers holding enforcement certificates (行政处罚法 Art. 42)'),
  owner_unknown: both(
    () => '车辆所有人不明：请先补全车辆所有人',
    () => 'the owner is not known: complete the vehicle owner first',
  ),
  review_checks_failed: en(
    'confirm a lead only when plate and axle count match the images; otherwise reject it',
  ),
  lead_not_reviewed: en('the lead is not reviewed and cannot be filed (行政处罚法 Art. 41)'),
  invalid_cursor: both(
    () => '分页游标无效：请使用接口返回的游标',
    () => 'the cursor is not one this API returned',
  ),
  // ——— Raised in English below the case workflow: their text for staff (the English is the raised one). ———
  // registry, intake, stations
  invalid_signature: zh(withRaised('检测点签名校验失败：请核对检测点编码、密钥和签名方法')),
  signature_headers_missing: zh('缺少检测点签名请求头：X-Station-Code、X-Timestamp 和 X-Signature'),
  signature_version_unsupported: zh('不支持此签名版本：请按检测点接入指南使用 X-Signature-Version: 2'),
  timestamp_out_of_window: zh(withRaised('请求时间戳与服务器时间相差过大：请校准检测点设备时钟')),
  station_mismatch: zh('检测点只能上传本检测点检测记录的证据'),
  plate_colour_mismatch: zh('所填号牌颜色与检测记录识别的不一致'),
  invalid_job_payload: zh('后台任务的内容有误，未加入队列'),
  case_file_invalid: zh('案卷内容不完整或有误，见 errors 所列字段'),
  malformed_form: zh(withRaised('multipart 表单格式有误')),
  detection_conflict: zh('该检测编号已以不同内容接收过，请勿复用检测编号'),
  evidence_conflict: zh('该证据已以不同内容接收过'),
  evidence_digest_mismatch: zh('上传内容与 X-Content-SHA256 不符，未保存任何内容'),
  evidence_collection_closed: zh('该检测记录的线索已立案：仅在执法人员重新开放证据收集期间可补充证据'),
  evidence_collection_open: zh('该线索尚未立案，检测点仍可补充证据，无需重新开放'),
  evidence_collection_not_reopened: zh('该线索目前没有生效的证据补充开放'),
  case_closed: zh('案件已办结或归档，案卷不得再变更'),
  rate_limited: zh((p) => `请求过于频繁，请 ${seconds(p)} 秒后重试`),
  metrics_token_required: zh('读取监控指标须携带 Authorization: Bearer 令牌'),
  not_found: zh('未找到'),
  // identity and sign-in
  sso_failed: zh(withRaised('统一身份认证登录未完成')),
  sso_not_configured: zh('未配置统一身份认证（OIDC_ISSUER）'),
  sso_unavailable: zh('统一身份认证服务暂时无法连接，请稍后重试'),
  not_a_user: zh('只有本局工作人员可以办理此事项'),
  user_required: zh('当事人回应须由执法人员登记'),
  // screening, legal basis, policies
  basis_unknown: zh(withRaised('法律依据目录中没有该法律依据')),
  basis_not_in_force: zh(withRaised('法律依据目录中没有在该日期有效的此项法律依据')),
  basis_of_two_acts: zh(withRaised('一处引用只能列同一部法律法规的条文')),
  screening_policy_invalid: zh('已保存的初筛策略无法读取，请管理员检查策略设置'),
  lead_without_detection: zh('该线索没有可复核的检测记录'),
  vehicle_configuration_not_covered: zh('核对后的车型无法按限定标准判定，请核对轴数、轴型和轮胎'),
  invalid_correction_period: zh('改正期限须为不少于 1 天的整数天数'),
  invalid_fine_amount: zh('罚款数额须为非负数，最多保留两位小数（元）'),
  invalid_pending_period: zh('暂停计算期间的起止日期有误'),
  time_zone_required: zh('计算日期须指定本局时区'),
  invalid_date: zh(withRaised('日期格式须为 YYYY-MM-DD')),
  invalid_holiday_notice: zh('节假日安排通知无法按所写内容读取，请对照国务院通知原文核对'),
  invalid_evaluation_rules: zh(withRaised('案卷评查规则有误')),
  // notices and delivery reports
  notice_figures_inconsistent: zh('告知内容中的总重、允许误差、限值与超限数值不一致'),
  notice_recipient_gone: zh('车辆登记信息中已无该告知的接收方'),
  sms_too_long: zh(
    (p) => `告知短信长度超过上限（${String(p['length'] ?? '')} 字，最多 ${String(p['max'] ?? '')} 字）`,
  ),
  template_variable_missing: zh(withRaised('告知模板使用了未提供的变量')),
  notice_send_in_progress: zh('该告知正在发送中，请稍后再试'),
  receipt_provider_unknown: zh('没有此短信服务商的回执地址'),
  receipt_signature_invalid: zh('回执签名与内容不符'),
  receipt_token_invalid: zh('这不是回执接收地址'),
  // documents and verification
  case_file_empty: zh('本案尚无可打印的文书'),
  document_characters_unsupported: zh(withRaised('文书字体缺少部分字符，无法打印，请改用规范汉字')),
  document_not_printable: zh('该文书编号无法打印'),
  document_number_malformed: zh('文书编号格式无效'),
  printable_document_invalid: zh('文书内容不完整或有误，见 errors 所列字段'),
  pdf_unavailable: zh('本服务不生成 PDF 文书'),
  verification_code_malformed: zh(withRaised('文书核验码格式无效')),
  verification_code_mistyped: zh('文书核验码有输入错误：校验字符不符，请核对'),
  verification_payload_inconsistent: zh('二维码内容与核验码不一致'),
  // publicity
  public_text_has_personal_data: zh('公示内容不得包含身份证号码或电话号码'),
  personal_data_in_publication: zh('公示内容仍含有个人信息：请更正当事人信息后再公示'),
  publication_already_published: zh('该处罚决定已公示'),
  publication_already_withdrawn: zh('该处罚决定的公示已撤回'),
  publication_held: zh('该处罚决定的公示已暂缓（内容含个人信息），须由工作人员处理'),
  publication_not_published: zh('该处罚决定按公示策略不予公示'),
  // 一超四罚 (penalties) raised in English
  batch_refused: zh('所选案件中有案件不能办理此项，全部未办理：见 cases 所列案件'),
  duplicate_case_in_batch: zh('同一案件在本批次中出现两次'),
  doubled_fine: zh('同一当事人不得因同一案件以同一身份被重复罚款'),
  report_cases_missing: zh(withRaised('抄告所列案件不全')),
  discretion_reasons_required: zh('须写明罚款数额的自由裁量理由'),
  correction_rules_unavailable: zh('本流程不适用货运源头单位责令改正规则（一超四罚）'),
  wrong_sub_case: zh('该案件不是一超四罚中对应的关联案件'),
  awaits_threshold_trip_decision: zh('须先对达到次数标准的各次违法作出处罚决定'),
  // ——— Raised in Chinese by the case workflow and the 一超四罚 (their staff's language): English for programs. ———
  already_escalated: en('the enterprise is already found to be a serious case'),
  already_recorded: en('the report to the home authority is already recorded'),
  already_waived: en('the party has already waived this right in writing'),
  announcement_without_reason: en(
    'service by announcement only where the party cannot be found or reached otherwise: record why and what was tried (民事诉讼法 Art. 95)',
  ),
  case_file_below_threshold: en(
    (p) =>
      `the case file scores ${String(p['score'] ?? '')}, below the ${String(p['threshold'] ?? '')} needed to close: complete it, or an approver closes it giving reasons`,
  ),
  case_not_plannable: en("the four penalties (一超四罚) cannot be evaluated in the case's present state"),
  collective_discussion_missing: en(
    "a major penalty (revoking a licence, suspending business) needs the heads' collective discussion (行政处罚法 Art. 57 ¶2)",
  ),
  corrected_in_time: en('corrected within the period: no fine (湖南省治理货物运输车辆超限超载条例 Art. 30)'),
  correction_after_check: en('the day of the correction lies after the day of the check'),
  correction_before_order: en('the day of the correction lies before the order to correct was served'),
  correction_already_checked: en('the correction is already checked'),
  correction_already_ordered: en('an order to correct within a period is already made'),
  correction_not_ordered: en(
    'no order to correct within a period yet (湖南省治理货物运输车辆超限超载条例 Art. 30)',
  ),
  correction_not_planned: en(
    'this is not a cargo source unit case under an order to correct (湖南省治理货物运输车辆超限超载条例 Art. 30)',
  ),
  correction_period_running: en(
    (p) =>
      `the period to correct runs until ${String(p['deadline'] ?? '')}: no failure to correct before it ends`,
  ),
  correction_period_unknown: en("the case's plan has no period to correct"),
  decision_missing: en('no decision yet'),
  electronic_service_without_consent: en(
    "electronic service needs the party's signed consent (行政处罚法 Art. 61)",
  ),
  fine_amount_required: both(
    () => '罚款须填写数额；逾期不改正的，须同时决定罚款数额及裁量理由',
    () =>
      'a fine needs its amount; not corrected in time, the fine and the reasons for its amount are decided together',
  ),
  hearing_already_requested: en('the party requested a hearing: record its withdrawal instead'),
  hearing_host_is_case_officer: en(
    'the hearing host must not be an investigator of the case (行政处罚法 Art. 64)',
  ),
  hearing_not_yet_held: en('the hearing is scheduled and has not been held yet'),
  hearing_notice_too_short: en(
    (p) =>
      `the party is notified seven working days before the hearing (at the latest ${String(p['latest'] ?? '')}; 行政处罚法 Art. 64, 85)`,
  ),
  hearing_pending: en('a hearing was requested: no decision before it ends (行政处罚法 Art. 64, 65)'),
  hearing_request_late: en(
    'a hearing is requested within five working days of the notice (行政处罚法 Art. 64)',
  ),
  hearing_waived: en('the party waived the hearing in writing'),
  hearing_window_open: en(
    'the period to request a hearing has not ended and the party has not waived it (行政处罚法 Art. 64)',
  ),
  home_authority_report_not_required: en("this case needs no report to the vehicle's home authority"),
  home_authority_report_pending: en(
    "the vehicle's home authority is not told yet (超限运输车辆行驶公路管理规定 Art. 44): not archived",
  ),
  invalid_case_number_input: en('the year or sequence number of the case number is invalid'),
  invalid_case_number_pattern: en('the case number pattern is invalid'),
  investigation_records_missing: en('no investigation record yet: no notice (行政处罚法 Art. 54)'),
  interviewee_required: en(
    'an inquiry record names the person questioned: name, resident ID number and relation to the case (行政处罚法 Art. 55)',
  ),
  interviewee_only_for_inquiry: zh('只有询问笔录载明被询问人'),
  lead_rejected: en('the lead was rejected and cannot be filed'),
  legal_qualification_missing: en(
    'a legal reviewer holds a legal professional qualification (行政处罚法 Art. 58)',
  ),
  legal_review_not_passed: en('no decision without a passed legal review (行政处罚法 Art. 58)'),
  legal_review_required: en(
    'this case needs a legal review before the decision (行政处罚法 Art. 58; the bureau reviews every case)',
  ),
  no_change_since_return: en(
    'nothing changed since the case was returned: correct it as the review asked first',
  ),
  no_hearing_right: en('the intended penalty gives no right to a hearing (行政处罚法 Art. 63)'),
  no_overload_after_correction: en(
    'with the corrected vehicle the load is within the limit: reject the lead instead of confirming it',
  ),
  no_pending_remedy: en('no reconsideration or lawsuit is pending'),
  not_a_source_unit_case: en(
    'an order to correct within a period applies to cargo source unit cases (湖南省治理货物运输车辆超限超载条例 Art. 30)',
  ),
  not_a_vehicle_case: en(
    'the four penalties (一超四罚) are evaluated for a vehicle overload case (the main case) only',
  ),
  officer_is_case_reviewer: en(
    'a legal reviewer of the case cannot be one of its officers (行政处罚法 Art. 58)',
  ),
  penalty_already_notified: en(
    'the pre-penalty notice is served: the intended penalty can no longer change (行政处罚法 Art. 44)',
  ),
  penalty_already_proposed: en(
    'a penalty is already proposed (directing or forcing an overload is punished directly, 公路安全保护条例 Art. 68)',
  ),
  penalty_executed_by_payment: en('a fine is executed by payment: record the payment'),
  penalty_not_a_fine: en('the penalty is not a fine: record its execution, not a payment'),
  penalty_not_allowed_for_case_type: en('this penalty cannot be imposed in this kind of case'),
  pre_penalty_notice_not_served: en(
    'the pre-penalty notice was issued but its service is not recorded: the statement and hearing periods run from service (Administrative Penalty Law Art. 44, 61)',
  ),
  pre_penalty_notice_already_served: en('the service of the pre-penalty notice is already recorded'),
  served_before_issue: zh(withRaised('告知书须在制发之后送达')),
  warning_required_by_law: en(
    'the law warns for this excess (a gross excess up to 1,000 kg, Art. 43 of the overload rules): the fine is proposed with the warning',
  ),
  warning_not_provided_by_law: en(
    'the law gives no warning for this excess (only a gross excess up to 1,000 kg is warned, Art. 43 of the overload rules)',
  ),
  penalty_not_executed: en('the penalty is not fully executed: the case cannot be closed'),
  pre_penalty_notice_missing: en('the pre-penalty notice is not served yet (行政处罚法 Art. 44)'),
  pre_penalty_notice_outdated: en(
    'the intended penalty changed: notify the party again (行政处罚法 Art. 44)',
  ),
  proposed_penalty_missing: en('no penalty proposed yet'),
  publicity_pending: en('the decision is not made public yet (行政处罚法 Art. 48): not archived'),
  publication_not_made: en(
    'the publicity policy does not publish this decision: there is no publication to record, and archiving needs none (行政处罚法 Art. 48)',
  ),
  publication_still_held: en(
    'the publication is held for a check of personal data: not public, so not recorded as published (行政处罚法 Art. 48)',
  ),
  remedy_pending: en('a reconsideration or lawsuit of this kind is already pending'),
  serious_escalation_below_threshold: both(
    () => '企业违法超限运输车辆未超过货运车辆总数的10%，不能认定情节严重（《公路安全保护条例》第六十六条）',
    () =>
      "the enterprise's overloading vehicles are not over 10% of its fleet: not a serious case (公路安全保护条例 Art. 66)",
  ),
  service_missing: en('the decision is not served yet'),
  source_unit_fine_before_correction_check: en(
    'a cargo source unit is first ordered to correct within a period; only if it does not, a fine of 10,000 to 30,000 yuan (湖南省治理货物运输车辆超限超载条例 Art. 30)',
  ),
  source_unit_fine_out_of_range: both(
    () => '罚款数额超出裁量范围',
    () => 'the fine lies outside the discretion range',
  ),
  source_unit_under_correction_order: en(
    'the cargo source unit is ordered to correct: a fine is decided at the check, if it did not (湖南省治理货物运输车辆超限超载条例 Art. 30)',
  ),
  statement_window_open: en(
    'the period for statement and defence has not ended and the party has not waived it (行政处罚法 Art. 45)',
  ),
  waiver_before_notice: en('a written waiver cannot precede the notice'),
  warning_executed_by_service: en('a warning is executed by its service'),
  warning_only_with_fine: zh(
    '单处警告的，处罚种类为警告；并处警告只能与罚款同时适用（《超限运输车辆行驶公路管理规定》第四十三条）',
  ),
  // field checks of the case actions (the English names the field; errors[] lists it)
  amount_only_for_fine: zh('只有罚款才填写数额'),
  announcement_only_for_announcement: zh('公告信息只用于公告送达'),
  concluded_out_of_order: zh('结束日期须在立案之后、今天之前'),
  corrected_on_required: zh('请填写改正日期'),
  executed_before_service: zh('执行日期不能早于送达'),
  filed_before_decision: zh('复议或诉讼须针对已作出的决定，日期不能早于决定'),
  filed_in_future: zh('提起日期不能晚于今天'),
  late_fee_above_cap: zh('加处罚款不得超出罚款数额（行政处罚法第七十二条）'),
  late_fee_due_required: zh('逾期缴纳须填写应加处的罚款（行政处罚法第七十二条）'),
  late_fee_mismatch: zh('加处罚款数额与按逾期天数计算的不符（行政处罚法第七十二条、第七十三条）'),
  late_fee_not_due: zh('送达后十五日内缴纳，不加处罚款（行政处罚法第六十七条）'),
  paid_before_service: zh('缴款日期不能早于送达'),
  payment_exceeds_amount_due: zh('缴款数额超出尚欠金额'),
  received_out_of_order: zh('签收日期须在送达之后、今天之前'),
  request_before_notice: zh('听证申请是对告知的回应，不能早于告知'),
  served_before_decision: zh('送达日期不能早于决定'),
  statement_before_notice: zh('陈述申辩是对告知的回应，不能早于告知'),
  revoked_in_future: zh('撤销日期不能晚于现在'),
  time_in_future: zh('时间不能晚于现在'),
};

/** `station_not_found` → the station, in words; null for a code of another shape or an unknown entity. */
function notFoundText(code: string): string | null {
  if (!code.endsWith('_not_found')) return null;
  const entity = ENTITY_NAMES[code.slice(0, -'_not_found'.length)];
  return entity ? `${entity}不存在` : null;
}

/** `http_<status>` (a status Nest or Fastify answered with, nothing more said): the status in words. */
function statusText(problem: Problem): string | null {
  return /^http_\d{3}$/.test(problem.code) ? (PROBLEM_TITLES[problem.status]?.['zh-CN'] ?? null) : null;
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
  const notFound = language === 'zh-CN' ? (notFoundText(problem.code) ?? statusText(problem)) : null;
  const detail = render ? render(problem) : (notFound ?? problem.detail);
  return { ...problem, title, detail };
}

/** A code's texts in each language (`RAISED` where the raised text is kept), or undefined. */
export const problemMessageOf = (code: string): Readonly<Record<ProblemLanguage, Render>> | undefined =>
  Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : undefined;

/** The codes with a text of their own (besides `<entity>_not_found`). */
export const LOCALIZED_PROBLEM_CODES: readonly string[] = Object.keys(MESSAGES);
