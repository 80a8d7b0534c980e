import { caseActionSchema } from './case-actions';
import { identityDocumentIssue, identityDocumentLine } from './identity-document';

describe('the identity document of a person questioned (询问笔录, 行政处罚法 Art. 55)', () => {
  it.each([
    ['resident_id', '430681198001011236', true],
    ['resident_id', '430681198001011235', false], // wrong check digit
    ['passport', 'E12345678', true],
    ['passport', 'EA1234567', true],
    ['passport', 'x', false],
    ['passport', 'ABCDEFGH', false], // no digit
    ['hk_macao_permit', 'H12345678', true],
    ['hk_macao_permit', 'M1234567890', true],
    ['hk_macao_permit', 'A12345678', false],
    ['taiwan_permit', '01234567', true],
    ['taiwan_permit', '0123456', false],
    ['foreign_permanent_residence', 'USA123456789012', true],
    ['foreign_permanent_residence', '911840198001011235', true], // the 2023 card: 9…, GB 11643 check character
    ['foreign_permanent_residence', '911840198001011236', false],
    ['foreign_permanent_residence', '430681198001011236', false], // a resident ID number is not one
  ] as const)('%s %s → %s', (kind, number, valid) => {
    expect(identityDocumentIssue(kind, number) === null).toBe(valid);
  });

  const inquiry = (interviewee: Record<string, unknown>) =>
    caseActionSchema.safeParse({
      type: 'record_investigation',
      kind: 'inquiry',
      interviewee: { name: 'John SMITH', relation: 'driver', ...interviewee },
    });

  it('accepts a foreign driver by passport and a Hong Kong driver by permit; checks each by its kind', () => {
    expect(inquiry({ idKind: 'passport', idNumber: 'e 1234 5678' }).data).toMatchObject({
      interviewee: { idKind: 'passport', idNumber: 'E12345678' },
    });
    expect(inquiry({ idKind: 'hk_macao_permit', idNumber: 'H12345678' }).success).toBe(true);
    // Without a kind the number is a resident ID number, checked as before.
    expect(inquiry({ idNumber: 'E12345678' }).success).toBe(false);
    expect(inquiry({ idNumber: '430681198001011236' }).success).toBe(true);
    const wrong = inquiry({ idKind: 'taiwan_permit', idNumber: 'H12345678' });
    expect(wrong.error?.issues.map((i) => i.path.join('.'))).toEqual(['interviewee.idNumber']);
    expect(inquiry({ idKind: 'driving_licence', idNumber: '430681198001011236' }).success).toBe(false);
  });

  it('prints the kind with the number', () => {
    expect(identityDocumentLine('passport', 'E12345678')).toBe('护照号码：E12345678');
    expect(identityDocumentLine(undefined, '430681198001011236')).toBe('居民身份证号码：430681198001011236');
  });
});
