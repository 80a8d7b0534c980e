import { uuidv7Floor, uuidv7Instant } from '@ecc/shared-data';
import { newDetectionId } from './detections.repository';

describe('newDetectionId', () => {
  it('is a UUIDv7 of the instant of receipt, inside that millisecond’s range of ids', () => {
    const at = new Date('2026-12-31T23:59:59.999Z');
    const ids = Array.from({ length: 100 }, () => newDetectionId(at));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(uuidv7Instant(id)).toEqual(at);
      expect(id >= uuidv7Floor(at) && id < uuidv7Floor(new Date(at.getTime() + 1))).toBe(true);
    }
    expect(new Set(ids).size).toBe(100);
  });
});
