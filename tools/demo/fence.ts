import { Client } from 'pg';
import type { ApiClient } from '../station/api-client';
import { detectionHeaders } from '../station/signature';
import { fencedVehiclePass } from './traffic';

/**
 * 电子围栏 in the demo: the worker fences a notified lead's vehicle when its response window (policy
 * `case.responseWindowDays`, at least a day) ends without a response, and an API raises an interception alert
 * when that plate passes a station. A demo cannot wait days, so this is the one step it does outside the API:
 * it makes the lead's open `response_window` deadline end a minute ago, in the development database, as if the
 * days had passed (the notice and the audit trail keep their real times). Everything after is the system's own:
 * the worker's deadline sweep fences the vehicle and alerts the reviewing officer, and a signed detection of
 * the plate at another station raises the interception alert.
 *
 * Not a way into production: it is a tool of the demo (not in the image, not an API route), it needs the
 * database's own credentials, and the demo has refused a production configuration, and a DATABASE_URL that is
 * not the API's database, before it gets here (guard.ts).
 */
export interface FenceOutcome {
  fenceId: string;
  plate: string;
  alerts: number;
}

export interface FenceStep {
  api: ApiClient;
  databaseUrl: string;
  leadId: string;
  day: string;
  officer: string;
  /** A station other than the lead's, and its current secret. */
  station: { code: string; secret: string };
  log: (message: string) => void;
  waitFor: <T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs?: number) => Promise<T>;
}

export async function fenceAfterWindow(step: FenceStep): Promise<FenceOutcome> {
  const { api, leadId, officer } = step;
  const lead = (await api.expect('lead', 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body as {
    status: string;
    plate: string;
  };
  if (lead.status === 'notified') {
    await endResponseWindow(step.databaseUrl, leadId, lead.plate);
    step.log(
      `lead of ${lead.plate}: its response window made to end (as if the days had passed); waiting for the worker's deadline sweep (DEADLINE_SWEEP_INTERVAL_MS, a minute by default)`,
    );
  } else if (lead.status !== 'fenced') {
    throw new Error(`the lead of ${lead.plate} to be fenced is ${lead.status}, not notified or fenced`);
  }
  const fence = await step.waitFor(
    `the fence of ${lead.plate}`,
    async () =>
      (
        await api.expect('fences', 'GET', `/api/v1/fences?status=active&leadId=${leadId}`, {
          token: officer,
        })
      ).body.items[0] as { id: string; plate: string } | undefined,
    180_000,
  );
  const alertsOf = async () =>
    (await api.expect('alerts', 'GET', `/api/v1/alerts?leadId=${leadId}`, { token: officer })).body
      .items as unknown[];
  if ((await alertsOf()).length === 0) {
    // 拦截: the fenced vehicle passes another station, signed as that station signs.
    const pass = fencedVehiclePass(step.day, fence.plate, step.station.code, new Date());
    const raw = JSON.stringify(pass.body);
    await api.expect(
      'detection of the fenced vehicle',
      'POST',
      '/api/v1/detections',
      { raw, headers: detectionHeaders(step.station, raw) },
      // 409: sent by an earlier run whose alert was not seen yet; the worker's interception sweep raises it
      [200, 202, 409],
    );
  }
  const alerts = await step.waitFor('the interception alert', async () => {
    const items = await alertsOf();
    return items.length > 0 ? items : null;
  });
  return { fenceId: fence.id, plate: fence.plate, alerts: alerts.length };
}

/** The lead's open response window ends a minute ago; refused unless the database holds exactly that lead. */
async function endResponseWindow(databaseUrl: string, leadId: string, plate: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const found = await db.query('SELECT 1 FROM leads WHERE id = $1 AND plate = $2', [leadId, plate]);
    if (found.rowCount !== 1) {
      throw new Error(
        `the lead ${leadId} is not in the database at DATABASE_URL: give the API's database to let its response window pass`,
      );
    }
    await db.query(
      `UPDATE deadlines
          SET started_at = started_at - (due_at - now()) - interval '1 minute',
              due_at = now() - interval '1 minute'
        WHERE lead_id = $1 AND kind = 'response_window' AND status = 'open'`,
      [leadId],
    );
  } finally {
    await db.end();
  }
}
