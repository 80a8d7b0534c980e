import { Client } from 'pg';
import { CN_WORKING_CALENDAR_2024_2026, workingDayCalendarSchema } from '@ecc/legal-domain';

/**
 * The tests' working-day calendar, stored as the `working_calendar` policy of the template database.
 * The built-in calendar covers only the years whose holidays the State Council has published, and
 * counting beyond it is refused (on purpose, in production). Tests run on any date, so their calendar
 * keeps the published holidays and counts plain weekends beyond them. Run by the global setup.
 */
async function main(): Promise<void> {
  const calendar = workingDayCalendarSchema.parse({
    ...CN_WORKING_CALENDAR_2024_2026,
    name: 'tests: published holidays, then weekends only',
    coverage: { from: CN_WORKING_CALENDAR_2024_2026.coverage!.from, to: '2099-12-31' },
  });
  const db = new Client({ connectionString: process.env['DATABASE_URL'] });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO policies (id, key, value, valid_from) VALUES (gen_random_uuid(), 'working_calendar', $1, '2000-01-01')`,
      [JSON.stringify(calendar)],
    );
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
