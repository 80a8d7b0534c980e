import { get_dmmf } from '@prisma/prisma-schema-wasm';
import {
  diffSchema,
  snapshotFromDmmf,
  type DmmfDocument,
  type SchemaSnapshot,
  type TableSnapshot,
} from './schema-diff';

const SCHEMA = `
datasource db {
  provider = "postgresql"
}

enum Status {
  open
  closed

  @@map("status")
}

model Owner {
  id   String @id @default(uuid()) @db.Uuid
  name String @unique

  items Item[]

  @@map("owners")
}

model Item {
  id        String   @id @default(uuid()) @db.Uuid
  ownerId   String?  @map("owner_id") @db.Uuid
  status    Status   @default(open)
  amount    Decimal  @default(0) @db.Decimal(12, 2)
  tags      String[]
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)

  owner Owner? @relation(fields: [ownerId], references: [id])

  @@index([status, createdAt])
  @@map("items")
}
`;

const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: SCHEMA }))) as DmmfDocument;
/** A database that matches the schema exactly, to be spoiled one way per test. */
const matching = (): SchemaSnapshot => structuredClone(snapshotFromDmmf(dmmf));

describe('diffSchema', () => {
  it('reads the schema with Prisma naming and defaults', () => {
    const items = snapshotFromDmmf(dmmf).tables['items'];
    expect(items?.columns).toEqual({
      id: { type: 'uuid', nullable: false, default: null },
      owner_id: { type: 'uuid', nullable: true, default: null },
      status: { type: 'enum:status', nullable: false, default: 'literal:open' },
      amount: { type: 'numeric(12,2)', nullable: false, default: 'literal:0' },
      tags: { type: 'text[]', nullable: true, default: null },
      created_at: { type: 'timestamptz(3)', nullable: false, default: 'now' },
    });
    expect(items?.primaryKey).toEqual({ name: 'items_pkey', columns: ['id'] });
    expect(items?.indexes).toEqual([
      { name: 'items_status_created_at_idx', columns: ['status', 'created_at'], unique: false },
    ]);
    expect(items?.foreignKeys).toEqual([
      {
        name: 'items_owner_id_fkey',
        columns: ['owner_id'],
        referencedTable: 'owners',
        referencedColumns: ['id'],
        onDelete: 'set null',
        onUpdate: 'cascade',
      },
    ]);
    expect(diffSchema(dmmf, matching())).toEqual([]);
  });

  it('reports every kind of disagreement, one line each', () => {
    const db = matching();
    const { items, owners } = db.tables as Record<'items' | 'owners', TableSnapshot>;
    items.columns['amount'] = { type: 'numeric(10,2)', nullable: true, default: 'literal:0' };
    delete items.columns['created_at'];
    items.columns['legacy'] = { type: 'text', nullable: true, default: null };
    items.indexes = [];
    items.foreignKeys = items.foreignKeys.map((fk) => ({ ...fk, onDelete: 'cascade' }));
    owners.indexes = owners.indexes.map((index) => ({ ...index, unique: false }));
    owners.primaryKey = null;
    db.enums['status'] = ['open', 'closed', 'archived'];
    db.tables['stray'] = { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] };

    expect(diffSchema(dmmf, db)).toEqual([
      'enum status has values (open, closed) in schema.prisma but (open, closed, archived) in the database',
      'table owners: primary key is owners_pkey (id) in schema.prisma but none in the database',
      'table owners: index owners_name_key is unique index on (name) in schema.prisma but index on (name) in the database',
      'table items: column amount is numeric(12,2) NOT NULL DEFAULT literal:0 in schema.prisma but numeric(10,2) NULL DEFAULT literal:0 in the database',
      'table items: column created_at is missing from the database',
      'table items: column legacy exists in the database but not in schema.prisma',
      'table items: index items_status_created_at_idx is missing from the database (index on (status, created_at))',
      'table items: foreign key items_owner_id_fkey is (owner_id) → owners(id) ON DELETE set null ON UPDATE cascade in schema.prisma but (owner_id) → owners(id) ON DELETE cascade ON UPDATE cascade in the database',
      'table stray exists in the database but not in schema.prisma',
    ]);
  });

  it('reports a missing table and a missing enum', () => {
    const db = matching();
    delete db.tables['owners'];
    delete db.enums['status'];
    expect(diffSchema(dmmf, db)).toEqual([
      'enum status is missing from the database',
      'table owners is missing from the database',
    ]);
  });
});
