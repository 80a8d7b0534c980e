import { completeLeadOwnerSchema } from './complete-lead-owner.schema';

/** 补全车主信息: the owner is matched on the number it is known by in law, so that number must be right. */
describe('completing a lead’s owner: one legal person, one party', () => {
  const body = (owner: Record<string, unknown>) => ({
    owner: { name: '汨罗市甲混凝土有限公司', phone: '13900000001', ...owner },
  });

  it('takes a person by a valid resident ID number and an organisation by a valid credit code, normalised', () => {
    const person = completeLeadOwnerSchema.parse(
      body({ kind: 'person', name: '张三', idNumber: ' 11010519491231002x ' }),
    );
    expect(person.owner.idNumber).toBe('11010519491231002X');
    const company = completeLeadOwnerSchema.parse(
      body({ kind: 'organisation', idNumber: '91430681ma4l00001n' }),
    );
    expect(company.owner.idNumber).toBe('91430681MA4L00001N');
  });

  it('refuses a number of the other kind, a wrong check character or free text, naming the field', () => {
    for (const owner of [
      { kind: 'organisation', idNumber: '440524188001010014' },
      { kind: 'person', idNumber: '91430681MA4L00001N' },
      { kind: 'organisation', idNumber: '91430681MA4L00001P' },
      { kind: 'person', idNumber: '430681198506123016' },
      { kind: 'organisation', idNumber: 'ZD-123456' },
    ]) {
      const result = completeLeadOwnerSchema.safeParse(body(owner));
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['owner.idNumber']);
    }
  });
});
