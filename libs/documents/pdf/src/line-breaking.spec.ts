import { documentFonts } from './fonts';
import { breakLines, breakUnits, justifySpacing, textWidth } from './line-breaking';

const { regular } = documentFonts();

describe('line breaking', () => {
  it('keeps Latin words and numbers whole and binds punctuation to its neighbour', () => {
    expect(breakUnits('车辆湘F12345超限9,187千克。')).toEqual([
      '车',
      '辆',
      '湘',
      'F12345',
      '超',
      '限',
      '9,187',
      '千',
      '克。',
    ]);
    expect(breakUnits('依据《公路法》（2017）')).toEqual(['依', '据', '《公', '路', '法》', '（2017）']);
  });

  it('sets ideographs one em wide', () => {
    expect(textWidth(regular, 14, '超限运输')).toBeCloseTo(56, 5);
  });

  it('fills lines up to the width and starts none with a closing mark', () => {
    const text = '经查，当事人所有的车辆途经不停车检测点，经检测车货总质量超过限值，属违法超限运输。'.repeat(
      3,
    );
    const lines = breakLines(text, regular, 14, 14 * 10);
    expect(lines.map((l) => l.text).join('')).toBe(text);
    for (const l of lines) {
      expect(l.width).toBeLessThanOrEqual(14 * 10 + 0.01);
      expect('，。、；：！？）》”').not.toContain(l.text[0]);
    }
    expect(lines.at(-1)!.last).toBe(true);
    expect(lines.slice(0, -1).every((l) => !l.last)).toBe(true);
  });

  it('indents the first line and honours explicit line breaks', () => {
    const lines = breakLines('一二三四五六七八九十\n甲乙', regular, 10, 50, 30);
    expect(lines.map((l) => l.text)).toEqual(['一二三', '四五六七八', '九十', '甲乙']);
    expect(lines.map((l) => l.last)).toEqual([false, false, true, true]);
  });

  it('cuts a word longer than a whole line by character', () => {
    const lines = breakLines('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', regular, 12, 60);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.text).join('')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(60.01);
  });

  it('justifies inner lines only, and not across gaps wider than 0.15 em', () => {
    expect(justifySpacing({ text: '一二三四', width: 40, last: false }, 43, 10)).toBeCloseTo(1, 5);
    expect(justifySpacing({ text: '一二三四', width: 40, last: false }, 46, 10)).toBe(0);
    expect(justifySpacing({ text: '一二三四', width: 40, last: true }, 43, 10)).toBe(0);
    expect(justifySpacing({ text: '一二', width: 20, last: false }, 60, 10)).toBe(0);
  });
});
