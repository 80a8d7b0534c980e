import { DomainError } from '@ecc/shared-kernel';
import { negotiateLanguage } from './problem-language';
import { localizeProblem, roleWords } from './problem-messages';
import { z } from 'zod';
import { problem, type Problem } from './problem';
import { toProblem } from './problem.filter';
import { ZodPipe } from './zod';

describe('negotiateLanguage (Accept-Language)', () => {
  it.each([
    [undefined, 'zh-CN', 'zh-CN'],
    ['', 'en', 'en'],
    ['en', 'zh-CN', 'en'],
    ['en-US,en;q=0.9', 'zh-CN', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'en', 'zh-CN'],
    ['zh-Hans-CN', 'en', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'zh-CN', 'en'],
    ['en;q=0.3, zh;q=0.7', 'en', 'zh-CN'],
    ['fr, de', 'zh-CN', 'zh-CN'],
    ['en;q=0, zh', 'en', 'zh-CN'],
    ['*', 'en', 'en'],
  ] as const)('%j with default %s → %s', (header, fallback, expected) => {
    expect(negotiateLanguage(header, fallback)).toBe(expected);
  });
});

describe('localizeProblem', () => {
  const refused = problem(403, 'role_not_allowed', 'this action needs one of the roles: officer, approver', {
    roles: ['officer', 'approver'],
  });

  it('names the roles in words, in each language, and keeps the code and the roles for programs', () => {
    const zh = localizeProblem(refused, 'zh-CN');
    expect(zh).toMatchObject({ title: '无权操作', code: 'role_not_allowed', roles: ['officer', 'approver'] });
    expect(zh.detail).toBe('此操作须由执法人员或负责人办理');
    const en = localizeProblem(refused, 'en');
    expect(en).toMatchObject({ title: 'Forbidden', code: 'role_not_allowed' });
    expect(en.detail).toBe('this action needs one of the roles: officer, approver');
  });

  it('names a case action by its title in Chinese and in words in English', () => {
    const p = problem(403, 'role_not_allowed', '批准立案 须由 approver 办理', {
      roles: ['approver'],
      action: 'approve_filing',
      actionTitle: '批准立案',
    });
    expect(localizeProblem(p, 'zh-CN').detail).toBe('「批准立案」须由负责人办理');
    expect(localizeProblem(p, 'en').detail).toBe('approve filing needs one of the roles: approver');
  });

  it('lists the allowed methods of a 405', () => {
    const p = problem(405, 'method_not_allowed', 'DELETE is not allowed here', {
      method: 'DELETE',
      allow: ['GET', 'HEAD', 'PUT'],
    });
    expect(localizeProblem(p, 'zh-CN')).toMatchObject({
      title: '不支持的请求方法',
      detail: '此地址不支持 DELETE 请求，可用的方法：GET、HEAD、PUT',
    });
  });

  it('names a missing entity in Chinese; English keeps the detail with its id', () => {
    const p = problem(404, 'station_not_found', 'station S1 does not exist');
    expect(localizeProblem(p, 'zh-CN').detail).toBe('检测点不存在');
    expect(localizeProblem(p, 'en').detail).toBe('station S1 does not exist');
  });

  it('keeps the raised text of a code without a text of its own, and translates its title', () => {
    const p = problem(422, 'some_rule_of_a_context', '线索已被驳回，不能立案');
    expect(localizeProblem(p, 'en')).toMatchObject({
      title: 'Unprocessable Content',
      detail: '线索已被驳回，不能立案',
    });
  });

  it("gives staff a Chinese text of a lower context's English refusal, with the lead's status in words", () => {
    const p = problem(409, 'lead_already_reviewed', 'the lead is already rejected', {
      leadStatus: 'rejected',
    });
    expect(localizeProblem(p, 'zh-CN').detail).toBe('该线索已审核（已驳回）');
    expect(localizeProblem(p, 'en').detail).toBe('the lead is already rejected');
  });

  it('joins role words as each language joins alternatives; an unknown role stays as it is', () => {
    expect(roleWords(['legal_reviewer', 'admin'], 'zh-CN')).toBe('法制审核人员或系统管理员');
    expect(roleWords(['legal_reviewer', 'sheriff'], 'en')).toBe('legal reviewer, sheriff');
  });
});

describe('field messages of a validation problem', () => {
  const pipe = new ZodPipe(
    z.strictObject({
      limit: z.number().int().max(100),
      plate: z.string().refine((p) => p.startsWith('湘'), 'not a plate of this province'),
    }),
    'body',
  );
  const refused = (): Problem => {
    try {
      pipe.transform({ limit: 500, plate: '京A12345' });
    } catch (error) {
      return toProblem(error, 'req-1');
    }
    throw new Error('accepted');
  };

  it("are zod's own texts in Chinese by default, in English on request; a schema's own text stays as written", () => {
    const zh = localizeProblem(refused(), 'zh-CN');
    expect(zh.errors).toEqual([
      { path: 'body.limit', message: expect.stringMatching(/[\u4e00-\u9fff]/) },
      { path: 'body.plate', message: 'not a plate of this province' },
    ]);
    const en = localizeProblem(refused(), 'en');
    expect(en.errors![0]!.message).toMatch(/100/);
    expect(en.errors![0]!.message).not.toMatch(/[\u4e00-\u9fff]/);
    expect(Object.keys(en)).not.toContain('localizedFieldMessages');
    expect(Object.keys(zh)).not.toContain('localizedFieldMessages');
  });
});

describe('a domain error whose details name a member of the problem', () => {
  it("keeps the problem's own code, type and status: a detail called `code` (a legal basis's) does not replace them", () => {
    const error = new DomainError('rule_violation', 'basis_not_in_force', 'not in force on 2019-01-01', {
      code: 'ORR-43-1-2',
      status: 200,
      onDate: '2019-01-01',
    });
    const p = toProblem(error, 'req-1');
    expect(p.code).toBe('basis_not_in_force');
    expect(p.type).toBe('urn:ecc:problem:basis_not_in_force');
    expect(p.status).toBe(422);
    expect(p['onDate']).toBe('2019-01-01');
    expect(localizeProblem(p, 'zh-CN').code).toBe('basis_not_in_force');
  });
});
