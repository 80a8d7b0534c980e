import { CN_WORKING_CALENDAR_2024_2026 } from '@ecc/legal-domain';
import { ADMIN, call, makeUser, startTestStack, tokenFor, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The working-day calendar runs out at the end of the last year whose holidays were entered; from then on
 * periods counted in working days cannot be computed and leads cannot be confirmed. The worker warns the
 * admins ahead of time (WORKING_CALENDAR_WARN_DAYS), once per coverage end.
 */
jest.setTimeout(120_000);

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('working calendar coverage: admins are told before it runs out', () => {
  let stack: TestStack;
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack('calendar', {
      WORKING_CALENDAR_CHECK_INTERVAL_MS: '200',
      WORKING_CALENDAR_WARN_DAYS: '45',
    });
    admin = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const calendarAlerts = async (token: string) =>
    (await call(stack.api, 'GET', '/api/v1/me/alerts', { token })).body.items.filter(
      (a: { kind: string }) => a.kind === 'working_calendar_expiring',
    ) as { message: string }[];

  it('is silent while the calendar reaches far ahead, then alerts each admin once when it ends within the period', async () => {
    // The tests' calendar covers until 2099: several checks pass without an alert.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await calendarAlerts(admin)).toEqual([]);

    const officer = await makeUser(stack.api, admin, 'cal.officer', ['officer'], {
      enforcementCertificateNo: 'HN-CAL-0001',
    });
    const secondAdmin = await makeUser(stack.api, admin, 'cal.admin2', ['admin']);
    const ends = isoDay(new Date(Date.now() + 20 * 86_400_000));
    const set = await call(stack.api, 'PUT', '/api/v1/policies/working_calendar', {
      token: admin,
      body: {
        ...CN_WORKING_CALENDAR_2024_2026,
        name: 'ending soon',
        coverage: { from: '2024-01-01', to: ends },
      },
    });
    expect(set.status).toBe(200);

    for (const token of [admin, secondAdmin.token]) {
      const [alert] = await waitFor('the calendar alert', async () => {
        const alerts = await calendarAlerts(token);
        return alerts.length ? alerts : undefined;
      });
      expect(alert!.message).toContain(ends);
      expect(alert!.message).toContain('/policies/working_calendar');
    }
    // Many more checks run: still one alert each; an officer is not an admin and is not told.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await calendarAlerts(admin)).toHaveLength(1);
    expect(await calendarAlerts(secondAdmin.token)).toHaveLength(1);
    expect(await calendarAlerts(officer.token)).toEqual([]);
  });
});
