import { describe, expect, it } from 'vitest';
import { isoSeconds } from '../../../worker/encoding/iso-seconds.ts';

describe('isoSeconds', () => {
  it('writes UTC to the second, dropping the milliseconds', () => {
    expect(isoSeconds(new Date('2026-11-20T09:30:00.999Z'))).toBe('2026-11-20T09:30:00Z');
    expect(isoSeconds(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05Z');
  });

  it('orders as text the way the times order, the property the D1 columns rely on', () => {
    const times = [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 1), Date.UTC(2026, 10, 20), Date.UTC(2031, 0, 1)];
    const texts = times.map(isoSeconds);
    expect([...texts].sort()).toEqual(texts);
  });
});
