import { remediesOnFile, remedyLine, type RemedyOnFile } from './remedies';

describe('remedies on file (行政复议、行政诉讼)', () => {
  const base: RemedyOnFile = {
    kind: 'reconsideration',
    body: '汨罗市人民政府',
    filedOn: '2024-03-20',
    outcome: null,
    concludedOn: null,
    documentId: null,
  };

  it('names the body, the day filed and how it ended, in the words of the body or the court', () => {
    expect(remedyLine(base)).toBe('2024年3月20日向汨罗市人民政府申请行政复议，尚未审结');
    expect(remedyLine({ ...base, outcome: 'upheld', concludedOn: '2024-05-10' })).toBe(
      '2024年3月20日向汨罗市人民政府申请行政复议，2024年5月10日复议决定维持',
    );
    expect(remedyLine({ ...base, outcome: 'annulled', concludedOn: '2024-05-10' })).toBe(
      '2024年3月20日向汨罗市人民政府申请行政复议，2024年5月10日复议决定撤销',
    );
    const lawsuit = { ...base, kind: 'lawsuit' as const, body: '汨罗市人民法院' };
    expect(remedyLine({ ...lawsuit, outcome: 'changed', concludedOn: '2024-09-01' })).toBe(
      '2024年3月20日向汨罗市人民法院提起行政诉讼，2024年9月1日判决变更',
    );
    expect(remedyLine({ ...lawsuit, outcome: 'withdrawn', concludedOn: '2024-04-01' })).toBe(
      '2024年3月20日向汨罗市人民法院提起行政诉讼，2024年4月1日原告撤回',
    );
  });

  it('reads the stored remedies in the order filed, a pending one with no outcome', () => {
    expect(
      remediesOnFile([
        { kind: 'lawsuit', body: '汨罗市人民法院', filedOn: '2024-06-01' },
        {
          kind: 'reconsideration',
          body: '汨罗市人民政府',
          filedOn: '2024-03-20',
          outcome: 'upheld',
          concludedOn: '2024-05-10',
          documentId: 'd-1',
        },
      ]).map((r) => [r.kind, r.outcome, r.concludedOn, r.documentId]),
    ).toEqual([
      ['reconsideration', 'upheld', '2024-05-10', 'd-1'],
      ['lawsuit', null, null, null],
    ]);
  });
});
