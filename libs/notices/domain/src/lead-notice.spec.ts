import { DomainError } from '@ecc/shared-kernel';
import { renderLeadPush, renderLeadSms, formatPlace, type LeadNoticeFacts } from './lead-notice';
import {
  DEFAULT_NOTICES_POLICY,
  NOT_SERVICE_STATEMENT,
  noticesPolicySchema,
  parseNoticesPolicy,
} from './notice-policy';
import { jurisdictionOfPlate } from './plate-jurisdiction';
import { resolvePushEndpoint } from './push-routing';
import { placeholdersOf, renderTemplate } from './template';

const facts: LeadNoticeFacts = {
  plate: '湘F12345',
  // 2026-11-27 22:05 in Asia/Shanghai: the local day differs from the UTC day
  violationAt: new Date('2026-11-27T14:05:00Z'),
  station: { name: '汨罗S308检测点', road: 'S308', stake: 'K12+300', direction: '往长沙方向' },
  grossMassKg: 52_340,
  limitKg: 49_000,
  excessKg: 722,
  toleranceKg: 2_618,
  // the last instant of 2026-12-12 in Asia/Shanghai
  respondBy: new Date('2026-12-12T15:59:59.999Z'),
};

describe('the SMS notice (短信告知)', () => {
  const text = renderLeadSms(facts, DEFAULT_NOTICES_POLICY, 'Asia/Shanghai');

  it('states plate, local time, place, facts, where and by when to come, how to see the evidence', () => {
    expect(text).toContain('湘F12345');
    expect(text).toContain('2026年11月27日22时05分');
    expect(text).toContain('S308线K12+300（往长沙方向）');
    expect(text).toContain(
      '车货总质量52,340千克，扣除称重误差2,618千克（本局执法政策，非法定标准）后超过限值49,000千克，超限722千克',
    );
    expect(text).toContain('请于2026年12月12日前');
    expect(text).toContain(DEFAULT_NOTICES_POLICY.officeAddress);
    expect(text).toContain(DEFAULT_NOTICES_POLICY.evidenceUrl);
    expect(text).toContain(DEFAULT_NOTICES_POLICY.contactPhone);
    expect(text).toContain('陈述申辩');
  });

  it('shows the tolerance deducted, so that gross − tolerance − limit = excess for the party', () => {
    const numbers = (t: string) =>
      [...t.matchAll(/([\d,]+)千克/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    const [gross, tolerance, limit, excess] = numbers(text);
    expect(gross! - tolerance! - limit!).toBe(excess);
    for (const kind of ['enterprise', 'jurisdiction'] as const) {
      const [g, t, l, e] = numbers(renderLeadPush(kind, facts, DEFAULT_NOTICES_POLICY, 'Asia/Shanghai', 'x'));
      expect(g! - t! - l!).toBe(e);
    }
  });

  it('refuses facts whose figures do not add up, rather than tell the party numbers that contradict', () => {
    expect(() =>
      renderLeadSms({ ...facts, excessKg: 3_340 }, DEFAULT_NOTICES_POLICY, 'Asia/Shanghai'),
    ).toThrow(expect.objectContaining({ code: 'notice_figures_inconsistent' }));
    expect(() =>
      renderLeadPush(
        'enterprise',
        { ...facts, toleranceKg: 0 },
        DEFAULT_NOTICES_POLICY,
        'Asia/Shanghai',
        'x',
      ),
    ).toThrow(expect.objectContaining({ code: 'notice_figures_inconsistent' }));
  });

  it('says it is a notice, not service of a decision (行政处罚法 Art. 61)', () => {
    expect(text.endsWith(NOT_SERVICE_STATEMENT)).toBe(true);
  });

  it('fits the default maximum, and a longer text is refused, not truncated', () => {
    expect([...text].length).toBeLessThanOrEqual(DEFAULT_NOTICES_POLICY.smsMaxLength);
    const tight = { ...DEFAULT_NOTICES_POLICY, smsMaxLength: 100 };
    expect(() => renderLeadSms(facts, tight, 'Asia/Shanghai')).toThrow(
      expect.objectContaining({ category: 'rule_violation', code: 'sms_too_long' }),
    );
  });

  it('follows the stored template (templates are data)', () => {
    const policy = parseNoticesPolicy({
      ...DEFAULT_NOTICES_POLICY,
      templates: {
        ...DEFAULT_NOTICES_POLICY.templates,
        // A template must state the figures the party checks (see below); the rest is the bureau's wording.
        leadSms:
          '{plate}于{time}总质量{grossMass}，扣除误差{tolerance}后超过{limit}达{excess}，请于{respondBy}前到{officeAddress}。',
      },
    });
    expect(renderLeadSms(facts, policy, 'Asia/Shanghai')).toBe(
      `湘F12345于2026年11月27日22时05分总质量52,340千克，扣除误差2,618千克后超过49,000千克达722千克，请于2026年12月12日前到${DEFAULT_NOTICES_POLICY.officeAddress}。`,
    );
  });

  it('falls back to the station name when the station has no road', () => {
    expect(formatPlace({ name: '城北检测点', road: null, stake: null, direction: null })).toBe('城北检测点');
  });

  it('renders the pushes to the enterprise and the home jurisdiction', () => {
    expect(
      renderLeadPush('enterprise', facts, DEFAULT_NOTICES_POLICY, 'Asia/Shanghai', '岳阳某运输公司'),
    ).toContain('贵单位车辆湘F12345');
    expect(
      renderLeadPush('jurisdiction', facts, DEFAULT_NOTICES_POLICY, 'Asia/Shanghai', '湖南省岳阳市'),
    ).toContain('贵辖区登记车辆湘F12345');
  });
});

describe('templates', () => {
  it('fills placeholders and refuses a missing value', () => {
    expect(placeholdersOf('{a}与{b}，{a}')).toEqual(['a', 'b']);
    expect(renderTemplate('车牌{plate}', { plate: '湘A1' })).toBe('车牌湘A1');
    expect(() => renderTemplate('{plate}{respondBy}', { plate: 'x' })).toThrow(DomainError);
  });

  it('a policy with an unknown placeholder is refused when stored', () => {
    const bad = {
      ...DEFAULT_NOTICES_POLICY,
      templates: { ...DEFAULT_NOTICES_POLICY.templates, leadSms: '{plate}{fineAmount}' },
    };
    expect(noticesPolicySchema.safeParse(bad).success).toBe(false);
    expect(parseNoticesPolicy(null)).toBe(DEFAULT_NOTICES_POLICY);
  });

  it('refuses an SMS template that leaves out a figure the party needs to check gross − tolerance − limit = excess', () => {
    for (const missing of ['grossMass', 'tolerance', 'limit', 'excess']) {
      const leadSms = DEFAULT_NOTICES_POLICY.templates.leadSms.replace(`{${missing}}`, '');
      const result = noticesPolicySchema.safeParse({
        templates: { ...DEFAULT_NOTICES_POLICY.templates, leadSms },
      });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]).toMatchObject({ path: ['templates', 'leadSms'] });
      expect(result.error!.issues[0]!.message).toContain(missing);
    }
  });
});

describe('home jurisdiction of a plate', () => {
  it('names the city for Hunan plates and the province elsewhere', () => {
    expect(jurisdictionOfPlate('湘F12345')).toEqual({ prefix: '湘F', name: '湖南省岳阳市' });
    expect(jurisdictionOfPlate('粤B12345')).toEqual({ prefix: '粤B', name: '广东省（粤B）' });
    expect(jurisdictionOfPlate('XX12345')).toBeNull();
  });
});

describe('push routing', () => {
  const endpoints = [
    { name: '湖南省岳阳市', kind: 'jurisdiction' as const, url: 'http://a', secret: 's' },
    { name: '*', kind: 'jurisdiction' as const, url: 'http://b', secret: 's' },
    { name: '*', kind: 'enterprise' as const, url: 'http://c', secret: 's' },
  ];

  it('prefers the endpoint named as the recipient, then the catch-all of the kind', () => {
    expect(resolvePushEndpoint(endpoints, 'jurisdiction', '湖南省岳阳市')?.url).toBe('http://a');
    expect(resolvePushEndpoint(endpoints, 'jurisdiction', '湖南省长沙市')?.url).toBe('http://b');
    expect(resolvePushEndpoint(endpoints, 'enterprise', '某公司')?.url).toBe('http://c');
    expect(resolvePushEndpoint(endpoints.slice(0, 1), 'enterprise', '某公司')).toBeNull();
  });
});

describe('the notices policy', () => {
  it('fills what an admin leaves out with the defaults', () => {
    const policy = noticesPolicySchema.parse({ officeAddress: '汨罗市交通运输局一楼窗口', templates: {} });
    expect(policy.officeAddress).toBe('汨罗市交通运输局一楼窗口');
    expect(policy.templates.leadSms).toBe(DEFAULT_NOTICES_POLICY.templates.leadSms);
    expect(policy.smsMaxLength).toBe(DEFAULT_NOTICES_POLICY.smsMaxLength);
  });
});
