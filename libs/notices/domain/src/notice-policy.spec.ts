import { DEFAULT_NOTICES_POLICY, noticesDefaults, parseNoticesPolicy } from './notice-policy';

describe("the notices policy's defaults", () => {
  const configured = noticesDefaults({
    evidenceUrl: 'https://jtzf.miluo.gov.cn/notice',
    leadSmsTemplate:
      '【{authority}】{plate}于{time}总质量{grossMass}，扣除误差{tolerance}后超过限值{limit}，超限{excess}，' +
      '请于{respondBy}前处理：{evidenceUrl}',
  });

  it("are the installation's values over the built-in ones", () => {
    expect(configured.evidenceUrl).toBe('https://jtzf.miluo.gov.cn/notice');
    expect(configured.templates.leadSms).toContain('{evidenceUrl}');
    expect(configured.authority).toBe(DEFAULT_NOTICES_POLICY.authority);
    expect(configured.templates.leadPushEnterprise).toBe(DEFAULT_NOTICES_POLICY.templates.leadPushEnterprise);
    expect(noticesDefaults()).toEqual(DEFAULT_NOTICES_POLICY);
  });

  it('fill what a stored version leaves out, and apply while none is stored', () => {
    expect(parseNoticesPolicy({ contactPhone: '0730-5201234' }, configured)).toMatchObject({
      contactPhone: '0730-5201234',
      evidenceUrl: 'https://jtzf.miluo.gov.cn/notice',
    });
    expect(parseNoticesPolicy(null, configured)).toBe(configured);
  });

  it('refuse a configured SMS template that leaves out a figure the party checks', () => {
    expect(() =>
      noticesDefaults({
        leadSmsTemplate: '【{authority}】{plate}于{time}超限，请于{respondBy}前处理：{evidenceUrl}',
      }),
    ).toThrow(/missing grossMass, tolerance, limit, excess/);
  });

  it('refuse a configured template with a placeholder no notice fills', () => {
    expect(() => noticesDefaults({ leadSmsTemplate: '{plate} {ownerName}' })).toThrow(
      /unknown placeholders: ownerName/,
    );
  });
});
