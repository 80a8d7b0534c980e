import { randomUUID } from 'node:crypto';
import { call, type TestApi } from './test-app';

/**
 * A trip of a registered truck up to its case (一超四罚 specs): the screened lead written into the database —
 * 4 axles, 40,000 kg on a 31,000 kg limit, 7,000 kg over after the tolerance, a 3,500 yuan fine under
 * ORR-43-1-2 — as screening would have produced it `daysAgo` days ago, then confirmed and made a case over
 * HTTP by `token` with the two officers. Returns the case id (a draft).
 */
export async function tripCase(
  api: TestApi,
  trip: { stationId: string; plate: string; daysAgo: number; token: string; officerIds: string[] },
): Promise<string> {
  const leadId = randomUUID();
  const { rows } = await api.db.query<{ id: string }>('SELECT id FROM vehicles WHERE plate = $1', [
    trip.plate,
  ]);
  await api.db.query(
    `INSERT INTO leads (id, status, station_id, vehicle_id, plate, plate_colour, violation_at, axle_count,
       gross_mass_kg, limit_kg, tolerance_kg, excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis,
       rules, updated_at)
     VALUES ($1, 'pending_review', $2, $3, $4, 'yellow', now() - $5 * interval '1 day', 4, 40000, 31000, 2000,
       7000, 'fine', 3500, $6, '[]', now())`,
    [
      leadId,
      trip.stationId,
      rows[0]!.id,
      trip.plate,
      trip.daysAgo,
      JSON.stringify({ basis: [{ code: 'ORR-43-1-2' }] }),
    ],
  );
  const reviewed = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
    token: trip.token,
    body: {
      decision: 'confirm',
      reason: '号牌、轴数与图像一致',
      checks: { plateMatches: true, axleCountMatches: true },
    },
  });
  if (reviewed.status !== 200) throw new Error(`lead review: ${JSON.stringify(reviewed.body)}`);
  const created = await call(api, 'POST', '/api/v1/cases', {
    token: trip.token,
    body: { leadId, officerIds: trip.officerIds },
  });
  if (created.status !== 201) throw new Error(`case: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}
