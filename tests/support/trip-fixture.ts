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

/** Rows imported into the registry through its route by the admin (`POST /registry/{kind}`). */
export async function importRegistryRows(
  api: TestApi,
  adminToken: string,
  kind: 'enterprises' | 'vehicles' | 'drivers' | 'source-units',
  rows: unknown[],
): Promise<void> {
  const res = await call(api, 'POST', `/api/v1/registry/${kind}`, { token: adminToken, body: { rows } });
  if (res.status !== 200) throw new Error(`registry ${kind}: ${JSON.stringify(res.body)}`);
}

/**
 * A trip (see `tripCase`) filed — requested by `token`, approved by `approverToken` — and investigated: the inquiry
 * questions the driver and names the driver and the source unit that loaded the truck, from which 一超四罚 plans
 * the trip's sub-cases. Returns the case id.
 */
export async function investigatedTripCase(
  api: TestApi,
  trip: Parameters<typeof tripCase>[1] & {
    approverToken: string;
    driver: { name: string; idNumber: string; phone: string };
    sourceUnit: { name: string; code: string };
  },
): Promise<string> {
  const id = await tripCase(api, trip);
  const act = async (action: string, token: string, body: Record<string, unknown> = {}) => {
    const res = await call(api, 'POST', `/api/v1/cases/${id}/actions/${action}`, { token, body });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await act('request_filing', trip.token);
  await act('approve_filing', trip.approverToken);
  const { driver, sourceUnit } = trip;
  await act('record_investigation', trip.token, {
    kind: 'inquiry',
    interviewee: { name: driver.name, idNumber: driver.idNumber, relation: 'driver' },
    summary: `询问驾驶人${driver.name}，车辆装载${sourceUnit.name}的货物`,
    parties: [
      { role: 'driver', kind: 'person', name: driver.name, idNumber: driver.idNumber, phone: driver.phone },
      {
        role: 'source_unit',
        kind: 'organisation',
        name: sourceUnit.name,
        idNumber: sourceUnit.code,
        loadingSlipNo: `ZD-${id.slice(0, 8)}`,
      },
    ],
  });
  return id;
}
