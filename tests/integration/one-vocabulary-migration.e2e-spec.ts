import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, migrate } from '@ecc/shared-data';
import { createScratchDatabase, MIGRATIONS_DIR, withClient } from '../support/database';

/**
 * The "one vocabulary" migrations (issue 12, part 4) on a database written in the old words: the catalogue's
 * `order_stop` / `suspend` / `revoke`, the stored evidence kinds `front_plate` …, the plans of 一超四罚 with
 * `suspend_business` / `revoke_certificate`, and a case-file evaluation policy naming them. Afterwards every
 * row speaks the one vocabulary and a revocation names what is revoked.
 */
const FIRST = '20261207010000_one_vocabulary';
const before = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name < FIRST)
  .map((e) => e.name);

const CASE_ID = '00000000-0000-4000-8000-000000000001';

describe('the one-vocabulary data migration', () => {
  let url: string;
  let dir: string;

  beforeAll(async () => {
    url = await createScratchDatabase('one_vocabulary');
    dir = mkdtempSync(join(tmpdir(), 'ecc-migrations-before-'));
    for (const name of before) cpSync(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
    await migrate(url, undefined, { migrationsDir: dir });
    await withClient(url, async (c) => {
      const basis = (code: string, violation: string, kinds: string) =>
        c.query(
          `INSERT INTO legal_bases (id, code, title, instrument, article, text, valid_from, role, violation_types,
             penalty_kinds, updated_at)
           VALUES (gen_random_uuid(), $1, '《公路安全保护条例》', '国务院令第593号', '第六十六条', '……', '2011-07-01', 'penalty',
             ARRAY[$2]::violation_type[], $3::legal_penalty_kind[], now())`,
          [code, violation, kinds],
        );
      await basis('HSR-66-VEHICLE', 'repeat_overload_vehicle', '{revoke}');
      await basis('HSR-66-DRIVER', 'repeat_overload_driver', '{order_stop}');
      await basis('HSR-66-ENTERPRISE', 'enterprise_overload_fleet', '{suspend,revoke}');
      await basis('HSR-68', 'instructing_overload', '{order_correct,fine}');
      await c.query(
        `INSERT INTO evidence_objects (id, bucket, key, sha256, size_bytes, content_type, kind)
         SELECT gen_random_uuid(), 'evidence', 'k-' || k, repeat('a', 64), 1, 'image/jpeg', k::evidence_kind
         FROM unnest(ARRAY['front_plate', 'rear_plate', 'side_view', 'video', 'document_scan', 'other']) AS k`,
      );
      await c.query(
        `INSERT INTO cases (id, type, violation_date, updated_at) VALUES ($1, 'vehicle', '2026-03-01', now())`,
        [CASE_ID],
      );
      const plan = (ruleCode: string, stored: object) =>
        c.query(
          `INSERT INTO penalties (id, case_id, rule_code, counts) VALUES (gen_random_uuid(), $1, $2, $3)`,
          [CASE_ID, ruleCode, JSON.stringify(stored)],
        );
      await plan('vehicle_certificate_art66', { plan: { role: 'vehicle', outcome: 'revoke_certificate' } });
      await plan('enterprise_serious_art66', { plan: { role: 'enterprise', outcome: 'revoke_certificate' } });
      await plan('enterprise_art66', {
        plan: { role: 'enterprise', outcome: 'suspend_business' },
        homeAuthorityReport: { role: 'enterprise', measure: 'suspend_business', divisionCode: '430602' },
      });
      await plan('driver_art66', { plan: { role: 'driver', outcome: 'order_stop_transport' } });
      await plan('source_unit_loading', { plan: { role: 'source_unit', outcome: 'order_correct' } });
      await c.query(
        `INSERT INTO policies (id, key, value) VALUES (gen_random_uuid(), 'case_file_evaluation', $1)`,
        [
          JSON.stringify({
            closingMinimumScore: 70,
            rules: {
              'completeness.hearing_notice': {
                appliesTo: ['revoke_certificate', 'suspend_business', 'fine'],
              },
              'completeness.inquiry_record': { deduction: 3 },
            },
          }),
        ],
      );
      await c.query(
        `INSERT INTO policies (id, key, value, valid_from) VALUES (gen_random_uuid(), 'case_file_evaluation', '{"rules": {}}', now() + interval '1 day')`,
      );
    });
    await migrate(url);
  }, 120_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(url);
  });

  const rows = <T>(sql: string) => withClient(url, async (c) => (await c.query(sql)).rows as T[]);

  it('writes the catalogue in the one vocabulary; the enterprise revokes its licence, the vehicle its certificate', async () => {
    const found = await rows<{ code: string; kinds: string }>(
      `SELECT code, penalty_kinds::text AS kinds FROM legal_bases ORDER BY code`,
    );
    expect(found).toEqual([
      { code: 'HSR-66-DRIVER', kinds: '{order_stop_transport}' },
      { code: 'HSR-66-ENTERPRISE', kinds: '{business_suspension,licence_revocation}' },
      { code: 'HSR-66-VEHICLE', kinds: '{certificate_revocation}' },
      { code: 'HSR-68', kinds: '{order_correct,fine}' },
    ]);
    const values = await rows<{ v: string }>(
      `SELECT unnest(enum_range(NULL::legal_penalty_kind))::text AS v`,
    );
    expect(values.map((r) => r.v)).toEqual([
      'warning',
      'fine',
      'order_correct',
      'order_stop_transport',
      'business_suspension',
      'licence_revocation',
      'certificate_revocation',
    ]);
  });

  it('stores evidence under the station protocol’s kinds', async () => {
    const found = await rows<{ key: string; kind: string }>(
      `SELECT key, kind::text FROM evidence_objects ORDER BY key`,
    );
    expect(Object.fromEntries(found.map((r) => [r.key, r.kind]))).toEqual({
      'k-front_plate': 'plate_front',
      'k-rear_plate': 'plate_rear',
      'k-side_view': 'side',
      'k-video': 'video',
      'k-document_scan': 'document_scan',
      'k-other': 'other',
    });
  });

  it('rewrites the stored plans of 一超四罚 and the measures reported to the home authority', async () => {
    const found = await rows<{ rule_code: string; counts: Record<string, unknown> }>(
      `SELECT rule_code, counts FROM penalties ORDER BY rule_code`,
    );
    expect(Object.fromEntries(found.map((r) => [r.rule_code, r.counts]))).toEqual({
      driver_art66: { plan: { role: 'driver', outcome: 'order_stop_transport' } },
      enterprise_art66: {
        plan: { role: 'enterprise', outcome: 'business_suspension' },
        homeAuthorityReport: { role: 'enterprise', measure: 'business_suspension', divisionCode: '430602' },
      },
      enterprise_serious_art66: { plan: { role: 'enterprise', outcome: 'licence_revocation' } },
      source_unit_loading: { plan: { role: 'source_unit', outcome: 'order_correct' } },
      vehicle_certificate_art66: { plan: { role: 'vehicle', outcome: 'certificate_revocation' } },
    });
  });

  it('rewrites the evaluation policy’s appliesTo (a revocation meant both) and leaves the rest as it was', async () => {
    const found = await rows<{ value: Record<string, unknown> }>(
      `SELECT value FROM policies WHERE key = 'case_file_evaluation' ORDER BY value::text`,
    );
    expect(found.map((r) => r.value)).toEqual([
      {
        closingMinimumScore: 70,
        rules: {
          'completeness.hearing_notice': {
            appliesTo: ['business_suspension', 'certificate_revocation', 'fine', 'licence_revocation'],
          },
          'completeness.inquiry_record': { deduction: 3 },
        },
      },
      { rules: {} },
    ]);
  });
});
