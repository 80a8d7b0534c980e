import { z } from 'zod';
import { placeholdersOf } from './template';

/** Key of the notices policy in the versioned policies table (templates are data, not code). */
export const NOTICES_POLICY_KEY = 'notices';

/** Values a lead notice template may use. */
export const LEAD_NOTICE_VARIABLES = [
  'plate',
  'time',
  'place',
  'grossMass',
  'limit',
  'excess',
  'tolerance',
  'respondBy',
  'officeAddress',
  'officeHours',
  'evidenceUrl',
  'contactPhone',
  'authority',
  'recipient',
] as const;
export type LeadNoticeVariable = (typeof LEAD_NOTICE_VARIABLES)[number];

const template = z
  .string()
  .min(1)
  .max(2000)
  .superRefine((text, ctx) => {
    const unknown = placeholdersOf(text).filter(
      (name) => !(LEAD_NOTICE_VARIABLES as readonly string[]).includes(name),
    );
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown placeholders: ${unknown.join(', ')}` });
    }
  });

/**
 * The statement that closes every SMS: an SMS informs, it is not service of a decision
 * (行政处罚法 Art. 61: electronic service needs the party's signed consent).
 */
export const NOT_SERVICE_STATEMENT = '本短信仅为告知，不是行政处罚决定书的送达。';

/**
 * The figures as the party can check them: gross − tolerance − limit = excess. The tolerance deducted is the
 * bureau's enforcement policy, not a statutory figure, and the text says so.
 */
export const TOLERANCE_CLAUSE =
  '扣除称重误差{tolerance}（本局执法政策，非法定标准）后超过限值{limit}，超限{excess}';

/** The figures an SMS must state, so that the party can check gross − tolerance − limit = excess. */
export const SMS_FIGURES = ['grossMass', 'tolerance', 'limit', 'excess'] as const;

/** The SMS template: any wording, but every figure the party checks (the tolerance deducted among them). */
const smsTemplate = template.superRefine((text, ctx) => {
  const used = placeholdersOf(text);
  const missing = SMS_FIGURES.filter((name) => !used.includes(name));
  if (missing.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `the SMS must state the figures the party checks (gross − tolerance − limit = excess): missing ${missing.join(', ')}`,
    });
  }
});

export const DEFAULT_NOTICES_POLICY = {
  authority: '汨罗市交通运输综合行政执法大队',
  officeAddress: '汨罗市交通运输执法办案中心（汨罗市人民北路交通大楼一楼）',
  officeHours: '工作日9:00-17:00',
  evidenceUrl: 'https://jtzf.example.gov.cn/notice',
  contactPhone: '0730-5200000',
  // The figures the party needs to check the excess (the tolerance deducted, labelled policy) take the default
  // text past 300 characters; an SMS this long is sent as 5-6 concatenated segments either way.
  smsMaxLength: 350,
  templates: {
    leadSms:
      '【{authority}】{plate}车辆所有人/经营人：该车于{time}在{place}经超限检测，车货总质量{grossMass}，' +
      TOLERANCE_CLAUSE +
      '，涉嫌违法超限运输。请于{respondBy}前（{officeHours}）携带行驶证、驾驶证、道路运输证到{officeAddress}接受调查处理。' +
      '查看检测证据、进行陈述申辩：{evidenceUrl}，电话{contactPhone}。' +
      NOT_SERVICE_STATEMENT,
    leadPushEnterprise:
      '【{authority}】贵单位车辆{plate}于{time}在{place}经超限检测，车货总质量{grossMass}，' +
      TOLERANCE_CLAUSE +
      '，涉嫌违法超限运输。请督促当事人于{respondBy}前到{officeAddress}接受处理。查看证据：{evidenceUrl}，电话{contactPhone}。',
    leadPushJurisdiction:
      '【{authority}】贵辖区登记车辆{plate}于{time}在{place}经超限检测，车货总质量{grossMass}，' +
      TOLERANCE_CLAUSE +
      '，涉嫌违法超限运输，已告知车辆所有人于{respondBy}前到{officeAddress}接受处理。特此推送。',
  },
};

/** The notices policy's defaults as an installation configures them (NOTICE_* variables); unset keeps the built-in. */
export interface ConfiguredNoticeDefaults {
  authority?: string;
  officeAddress?: string;
  officeHours?: string;
  evidenceUrl?: string;
  contactPhone?: string;
  leadSmsTemplate?: string;
}

type NoticesDefaults = typeof DEFAULT_NOTICES_POLICY;

/**
 * Policy of the SMS notice and information push (after a lead is confirmed): the templates, where and when the
 * party comes, how to see the evidence and state a defence. Every field has its default — the installation's
 * (`noticesDefaults`) or the built-in one —, so an admin sets only what differs locally (PUT /policies/notices).
 */
export function noticesPolicySchemaWith(defaults: NoticesDefaults) {
  return z.strictObject({
    /** 执法机关 name, shown as the SMS signature */
    authority: z.string().min(1).max(60).default(defaults.authority),
    /** 接受处理地点 */
    officeAddress: z.string().min(1).max(200).default(defaults.officeAddress),
    /** 办公时间 */
    officeHours: z.string().min(1).max(100).default(defaults.officeHours),
    /** where the party sees the evidence and states a defence online */
    evidenceUrl: z.string().min(1).max(200).default(defaults.evidenceUrl),
    /** 咨询/陈述申辩电话 */
    contactPhone: z.string().min(1).max(40).default(defaults.contactPhone),
    /** longest SMS accepted at render time (characters); longer texts are refused, never truncated */
    smsMaxLength: z.number().int().min(70).max(1000).default(defaults.smsMaxLength),
    templates: z
      .strictObject({
        /** 短信告知 to the owner/operator */
        leadSms: smsTemplate.default(defaults.templates.leadSms),
        /** 信息推送 to the road transport enterprise */
        leadPushEnterprise: template.default(defaults.templates.leadPushEnterprise),
        /** 信息推送 to the vehicle's home jurisdiction */
        leadPushJurisdiction: template.default(defaults.templates.leadPushJurisdiction),
      })
      .default(defaults.templates),
  });
}

export const noticesPolicySchema = noticesPolicySchemaWith(DEFAULT_NOTICES_POLICY);

/** The defaults of this installation: the configured values over the built-in ones, checked like a policy. */
export function noticesDefaults(configured: ConfiguredNoticeDefaults = {}): NoticesPolicy {
  const { leadSmsTemplate, ...values } = configured;
  return noticesPolicySchema.parse({
    ...DEFAULT_NOTICES_POLICY,
    ...values,
    templates: {
      ...DEFAULT_NOTICES_POLICY.templates,
      ...(leadSmsTemplate ? { leadSms: leadSmsTemplate } : {}),
    },
  });
}

export type NoticesPolicy = z.infer<typeof noticesPolicySchema>;

/**
 * The stored policy value (its unset fields from `defaults`), or the defaults while none is stored; a malformed
 * stored value is refused.
 */
export function parseNoticesPolicy(
  stored: unknown,
  defaults: NoticesPolicy = DEFAULT_NOTICES_POLICY,
): NoticesPolicy {
  return stored === null || stored === undefined ? defaults : noticesPolicySchemaWith(defaults).parse(stored);
}
