import { randomUUID } from 'node:crypto';
import type { TestApi } from './test-app';

let seq = 0;

export interface LeadFixture {
  /** `pending_review` unless said otherwise. */
  status?: string;
  /** A registered vehicle with a known owner (default), or none (the owner-unknown path). */
  owner?: boolean;
  /** Gross mass on a 49,000 kg limit, 5% tolerance (default 56,000: 4,200 kg over), and the proposed fine. */
  grossKg?: number;
  fineYuan?: number;
  /** The provisions the lead cites (default Art. 43(1)(2) of the overload regulation). */
  basis?: { code: string; article: string }[];
  /** The parts of a combined penalty (超限规定 Art. 43(2)), as screening writes them beside the basis. */
  parts?: {
    violation: string;
    kind: 'warning' | 'fine';
    amountYuan: number;
    basis: { code: string; article: string }[];
  }[];
  /** The plate's province and letter (default 湘F); the digits count up per spec file. */
  platePrefix?: string;
}

/**
 * A screened lead written straight into the database (a six-axle vehicle at the station two hours ago,
 * proposing a fine), for specs of what comes after screening; the screening itself has its own specs.
 */
export async function insertLead(
  api: TestApi,
  stationId: string,
  options: LeadFixture = {},
): Promise<{ leadId: string; plate: string }> {
  seq++;
  const plate = `${options.platePrefix ?? '湘F'}${String(10000 + seq).slice(-5)}`;
  let vehicleId: string | null = null;
  if (options.owner !== false) {
    const partyId = randomUUID();
    await api.db.query(
      `INSERT INTO parties (id, kind, name, id_number, phone, address, updated_at)
       VALUES ($1, 'person', $2, $3, '13800000000', '湖南省汨罗市某路1号', now())`,
      [partyId, `车主${seq}`, `43068119800101${String(1000 + seq)}`],
    );
    vehicleId = randomUUID();
    await api.db.query(
      `INSERT INTO vehicles (id, plate, plate_colour, owner_party_id, axle_count, vehicle_type, home_authority, updated_at)
       VALUES ($1, $2, 'yellow', $3, 6, '重型半挂牵引车', '岳阳市道路运输事务中心', now())`,
      [vehicleId, plate, partyId],
    );
  }
  const leadId = randomUUID();
  const basis = options.basis ?? [{ code: 'ORR-43-1-2', article: '第四十三条第一款第（二）项' }];
  await api.db.query(
    `INSERT INTO leads (id, status, station_id, vehicle_id, plate, plate_colour, violation_at, axle_count,
       gross_mass_kg, limit_kg, tolerance_kg, excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis,
       rules, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'yellow', now() - interval '2 hours', 6, $7::int, 49000, ($7::int / 20),
       ($7::int - 49000 - $7::int / 20), 'fine', $8::int, $6, '[]', now())`,
    [
      leadId,
      options.status ?? 'pending_review',
      stationId,
      vehicleId,
      plate,
      JSON.stringify(options.parts ? { basis, parts: options.parts } : { basis }),
      options.grossKg ?? 56000,
      options.fineYuan ?? 2000,
    ],
  );
  return { leadId, plate };
}
