import { quietHoursEnd } from './quiet-hours';

const night = { start: '22:00', end: '07:00' };

describe('quiet hours', () => {
  it('lets a delivery outside them go at once', () => {
    expect(quietHoursEnd(new Date('2026-06-01T12:00:00Z'), night, 'Europe/Berlin')).toBeNull();
    expect(quietHoursEnd(new Date('2026-06-01T12:00:00Z'), null, 'Europe/Berlin')).toBeNull();
    expect(quietHoursEnd(new Date('2026-06-01T12:00:00Z'), { start: '08:00', end: '08:00' }, 'UTC')).toBeNull();
  });

  it('holds one across midnight until they end, on either side of midnight, in the recipient zone', () => {
    // 23:30 in Berlin (CEST, UTC+2) → 07:00 the next morning local = 05:00Z.
    expect(quietHoursEnd(new Date('2026-06-01T21:30:00Z'), night, 'Europe/Berlin')).toEqual(new Date('2026-06-02T05:00:00Z'));
    // 01:00 in Berlin → 07:00 the same morning.
    expect(quietHoursEnd(new Date('2026-06-01T23:00:00Z'), night, 'Europe/Berlin')).toEqual(new Date('2026-06-02T05:00:00Z'));
    // 07:00 exactly is outside.
    expect(quietHoursEnd(new Date('2026-06-02T05:00:00Z'), night, 'Europe/Berlin')).toBeNull();
  });

  it('holds one within a daytime window', () => {
    expect(quietHoursEnd(new Date('2026-06-01T12:30:00Z'), { start: '12:00', end: '13:00' }, 'UTC')).toEqual(new Date('2026-06-01T13:00:00Z'));
  });

  it('ends with the local clock on a daylight-saving change', () => {
    // Berlin springs forward on 2026-03-29 (02:00 → 03:00): 07:00 local is 05:00Z, not 06:00Z.
    expect(quietHoursEnd(new Date('2026-03-28T23:30:00Z'), night, 'Europe/Berlin')).toEqual(new Date('2026-03-29T05:00:00Z'));
    // Quiet hours ending at 02:30 on that day (a local time that does not exist) end at 03:30 local (luxon moves it forward).
    expect(quietHoursEnd(new Date('2026-03-28T23:30:00Z'), { start: '23:00', end: '02:30' }, 'Europe/Berlin')).toEqual(new Date('2026-03-29T01:30:00Z'));
  });

  it('gives the same answer whatever zone the worker process runs in (TZ)', () => {
    const original = process.env['TZ'];
    const answers: (Date | null)[] = [];
    try {
      for (const tz of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
        process.env['TZ'] = tz;
        answers.push(quietHoursEnd(new Date('2026-06-01T21:30:00Z'), night, 'Europe/Berlin'));
      }
    } finally {
      if (original === undefined) delete process.env['TZ'];
      else process.env['TZ'] = original;
    }
    expect(answers).toEqual([new Date('2026-06-02T05:00:00Z'), new Date('2026-06-02T05:00:00Z'), new Date('2026-06-02T05:00:00Z')]);
  });
});
