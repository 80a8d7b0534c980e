import { plateNumber } from '../support/detection-mix';
import { createStation, type TestStation } from '../support/station-client';
import type { TestApi } from '../support/test-app';

/** Stations, devices and permits created through the registry API, as an admin would. */

export const APPROVED_DEVICE = 'WIM-01';
/** A weigh-in-motion device without its Art. 41 legal review: its records screen as invalid. */
export const UNAPPROVED_DEVICE = 'WIM-99';

async function post(url: string, token: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

export async function adminToken(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`admin login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

export function deviceBody(code: string, approved: boolean) {
  return {
    code,
    kind: 'wim',
    accuracyClass: '5',
    legalReviewedAt: approved ? '2024-01-10' : null,
    technicalReviewedAt: '2024-01-10',
    publishedAt: '2024-01-20',
    calibration: { certificateNo: `JD-${code}-2026`, validFrom: '2026-01-01', validTo: '2027-12-31' },
  };
}

export async function createStations(api: TestApi, token: string, count: number): Promise<TestStation[]> {
  const stations: TestStation[] = [];
  for (let i = 0; i < count; i++) {
    const station = await createStation(api, token, `S${308 + i}-K${String(12 + i).padStart(2, '0')}`);
    for (const [device, approved] of [
      [APPROVED_DEVICE, true],
      [UNAPPROVED_DEVICE, false],
    ] as const)
      await post(api.url, token, `/api/v1/stations/${station.code}/devices`, deviceBody(device, approved));
    stations.push(station);
  }
  return stations;
}

/** Plates with an oversize-transport permit far above any mass of the mix. */
export async function createPermits(url: string, token: string, count: number): Promise<string[]> {
  const plates = Array.from({ length: count }, (_, i) => plateNumber(2_300_000 + i));
  for (const plate of plates)
    await post(url, token, '/api/v1/permits', {
      plate,
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      maxGrossKg: 100_000,
    });
  return plates;
}

/**
 * The run's screening policy: no evidence required, so that the phases without images screen the mix (about
 * 4% leads, 2% invalid) instead of calling every detection invalid for its missing photos — the cheap path,
 * which makes no lead, takes no trip lock and writes less. Returns when it came into force (ms).
 */
export async function requireNoEvidence(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/policies/screening`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ requiredEvidence: [] }),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`PUT /policies/screening answered ${response.status}: ${text}`);
  return Date.parse((JSON.parse(text) as { validFrom: string }).validFrom);
}
