import { dayOf, kg } from './format';

describe('format helpers', () => {
  it('groups thousands', () => {
    expect(kg(58_200)).toBe('58,200');
    expect(kg(1_000_000)).toBe('1,000,000');
    expect(kg(999)).toBe('999');
    expect(kg(-1_250)).toBe('-1,250');
    expect(kg(0)).toBe('0');
  });

  it('gives the local day in the zone asked for', () => {
    const at = new Date('2024-11-04T17:30:00Z');
    expect(dayOf(at, 'Asia/Shanghai')).toBe('2024-11-05');
    expect(dayOf(at, 'UTC')).toBe('2024-11-04');
    expect(dayOf(new Date('2024-11-05T17:30:00Z'), 'UTC')).toBe('2024-11-05');
  });
});
