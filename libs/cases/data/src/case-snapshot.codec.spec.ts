import { newCaseDraft } from '@ecc/cases-domain';
import { decodeSnapshot, encodeSnapshot } from './case-snapshot.codec';

describe('case snapshot codec', () => {
  it('gives back the same snapshot, instants as Dates, through JSON', () => {
    const snapshot = newCaseDraft({
      id: 'c1',
      caseType: 'vehicle',
      createdAt: new Date('2025-03-01T02:00:00.000Z'),
      officers: [{ userId: 'u1', enforcementCertificateNo: 'A1' }],
      proposedPenalty: { kind: 'fine', amountYuan: 1500 },
    });
    snapshot.deadlines.push({
      kind: 'decision_due',
      startedAt: new Date('2025-03-02T00:00:00.000Z'),
      dueAt: new Date('2025-05-31T15:59:59.999Z'),
    });
    const back = decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(snapshot))));
    expect(back).toEqual(snapshot);
    expect(back.deadlines[0]!.dueAt).toBeInstanceOf(Date);
  });

  it('leaves strings that are not instants alone', () => {
    const back = decodeSnapshot({ caseNumber: '2025-01-01T00:00:00.000Z', officers: [] });
    expect(back.caseNumber).toBe('2025-01-01T00:00:00.000Z');
  });
});
