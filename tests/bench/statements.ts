import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CREATE_DETECTIONS_SQL } from '@ecc/intake-data';
import { processCpuMs } from './cpu';

/**
 * What preparing intake's insert saves Postgres: the same statement, a batch of `batch` detections each time,
 * sent unnamed (as Prisma sends every query: parsed and planned on every execution) and as a named prepared
 * statement (planned generically after five runs), alternately twice; Postgres's CPU per statement read from
 * its backend process (/proc), so the figure does not depend on what else the machine does.
 */
export async function measureIntakeStatement(options: {
  databaseUrl: string;
  batch: number;
  runs: number;
}): Promise<{
  unnamedCpuMs: number;
  preparedCpuMs: number;
  batch: number;
  runs: number;
  genericPlans: number;
}> {
  const db = new Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    const stationId = randomUUID();
    await db.query(
      `INSERT INTO stations (id, code, name, updated_at) VALUES ($1, $2, 'statement probe', now())`,
      [stationId, `PROBE-${stationId.slice(0, 8)}`],
    );
    const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]!.pid;
    const batchJson = () =>
      JSON.stringify(
        Array.from({ length: options.batch }, () => {
          const id = randomUUID();
          const now = new Date().toISOString();
          return {
            id,
            outbox_id: randomUUID(),
            station_id: stationId,
            device_id: null,
            station_detection_id: `probe-${id}`,
            body_digest: 'probe',
            plate: '湘F12345',
            plate_colour: 'yellow',
            detected_at: now,
            received_at: now,
            lane_no: 1,
            speed_kmh: '58.2',
            vehicle_type: 'combination',
            axle_count: 6,
            gross_mass_kg: 58_200,
            axle_loads_kg: [7100, 11000, 10000, 10000, 10000, 10100],
            length_mm: 16_500,
            width_mm: 2550,
            height_mm: 3950,
            raw: { detectionId: `probe-${id}`, lane: 1, plate: { number: '湘F12345', color: 'yellow' } },
            evidence: [],
            audit: {
              occurred_at: now,
              actor_id: null,
              actor_kind: 'station',
              action: 'detection.received',
              entity_type: 'detection',
              entity_id: id,
              request_id: randomUUID(),
              digest: 'probe',
              payload: { detectionId: `probe-${id}` },
            },
          };
        }),
      );
    const totals = { unnamed: 0, prepared: 0 };
    for (let round = 0; round < 2; round++)
      for (const named of [false, true]) {
        const before = processCpuMs(backend);
        for (let i = 0; i < options.runs / 2; i++) {
          const values = [batchJson()];
          await db.query(
            named
              ? { name: 'bench.create_detections', text: CREATE_DETECTIONS_SQL, values }
              : { text: CREATE_DETECTIONS_SQL, values },
          );
        }
        totals[named ? 'prepared' : 'unnamed'] += processCpuMs(backend) - before;
      }
    const plans = await db.query<{ generic: string }>(
      `SELECT generic_plans::text AS generic FROM pg_prepared_statements WHERE name = 'bench.create_detections'`,
    );
    return {
      unnamedCpuMs: Number((totals.unnamed / options.runs).toFixed(3)),
      preparedCpuMs: Number((totals.prepared / options.runs).toFixed(3)),
      batch: options.batch,
      runs: options.runs,
      genericPlans: Number(plans.rows[0]?.generic ?? 0),
    };
  } finally {
    await db.end();
  }
}
