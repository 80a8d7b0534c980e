import { findLeadToJoin, joinsLead, type LeadTrip } from './duplicate-trip';

const policy = { duplicateWindowMinutes: 10 };
const t0 = new Date('2024-11-05T00:31:12Z');
const plus = (minutes: number, seconds = 0) => new Date(t0.getTime() + minutes * 60_000 + seconds * 1000);
const lead: LeadTrip = {
  id: 'L1',
  stationCode: 'S308-K12',
  plate: { number: '湘F12345', color: 'yellow' },
  firstDetectedAt: t0,
};
const detection = (
  at: Date,
  over: Partial<{ stationCode: string; plate: LeadTrip['plate'] | null }> = {},
) => ({
  stationCode: 'S308-K12',
  plate: { number: '湘F12345', color: 'yellow' as const },
  detectedAt: at,
  ...over,
});

describe('duplicate-trip collapsing', () => {
  it('joins the same plate at the same station within the window, its end included', () => {
    expect(joinsLead(detection(plus(3)), lead, policy)).toBe(true);
    expect(joinsLead(detection(plus(10)), lead, policy)).toBe(true);
    expect(joinsLead(detection(plus(10, 1)), lead, policy)).toBe(false);
  });

  it('joins a record that arrives late but was detected before the lead', () => {
    expect(joinsLead(detection(plus(-9)), lead, policy)).toBe(true);
  });

  it('does not join across stations, plates or plate colours, nor with an unreadable plate', () => {
    expect(joinsLead(detection(plus(1), { stationCode: 'S308-K40' }), lead, policy)).toBe(false);
    expect(
      joinsLead(detection(plus(1), { plate: { number: '湘F12346', color: 'yellow' } }), lead, policy),
    ).toBe(false);
    expect(
      joinsLead(detection(plus(1), { plate: { number: '湘F12345', color: 'blue' } }), lead, policy),
    ).toBe(false);
    expect(joinsLead(detection(plus(1), { plate: null }), lead, policy)).toBe(false);
    expect(
      joinsLead(detection(plus(1), { plate: { number: '湘f 12345', color: 'yellow' } }), lead, policy),
    ).toBe(true);
  });

  it('follows the policy window', () => {
    expect(joinsLead(detection(plus(15)), lead, { duplicateWindowMinutes: 30 })).toBe(true);
    expect(joinsLead(detection(plus(0, 1)), lead, { duplicateWindowMinutes: 0 })).toBe(false);
  });

  it('picks the nearest matching lead, or none', () => {
    const other = { ...lead, id: 'L2', firstDetectedAt: plus(8) };
    expect(findLeadToJoin(detection(plus(6)), [lead, other], policy)?.id).toBe('L2');
    // equally near both: the earlier lead, whatever the order given
    expect(findLeadToJoin(detection(plus(4)), [lead, other], policy)?.id).toBe('L1');
    expect(findLeadToJoin(detection(plus(4)), [other, lead], policy)?.id).toBe('L1');
    expect(findLeadToJoin(detection(plus(3)), [lead, other], policy)?.id).toBe('L1');
    expect(findLeadToJoin(detection(plus(30)), [lead, other], policy)).toBeNull();
  });
});
