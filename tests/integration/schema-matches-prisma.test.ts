/**
 * The hand-written migrations must produce exactly what schema.prisma describes,
 * or the Prisma client reads and writes columns that are not there (or not so).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../scripts/migrate';
import {
  dropDatabase,
  ensureDatabase,
  withClient,
  withDatabase,
} from '../../scripts/stack/database';
import { Prisma } from '../../server/generated/prisma/client';
import { schemaDifferences } from '../helpers/database-schema';
import { expectedSchema } from '../helpers/prisma-schema';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const expected = expectedSchema();

describe('the migrated database', () => {
  beforeAll(async () => {
    await migrate(urls.databaseUrl);
  });

  it('is described by the same schema the generated Prisma client was built from', () => {
    const scalarFields = Prisma as unknown as Record<string, Record<string, string> | undefined>;
    const clientModels = Object.values(Prisma.ModelName) as string[];
    expect(clientModels.sort()).toEqual([...expected.tables.keys()].sort());
    for (const model of clientModels) {
      const fields = Object.values(scalarFields[`${model}ScalarFieldEnum`] ?? {});
      expect(fields.length, `${model} has scalar fields in the client`).toBeGreaterThan(0);
      const schemaFields = expected.columns.filter((c) => c.model === model).map((c) => c.field);
      // A stale client (schema changed, `prisma generate` not run) fails here.
      expect(schemaFields, `fields of ${model}`).toEqual(expect.arrayContaining(fields));
    }
  });

  it('has every table, column type, nullability, index, foreign key and enum of schema.prisma', async () => {
    const problems = await withClient(urls.databaseUrl, (client) =>
      schemaDifferences(client, expected),
    );
    expect(problems).toEqual([]);
  });
});

describe('the schema comparison', () => {
  const dbUrl = withDatabase(urls.databaseUrl, uniqueId('wf_schema').replace(/-/g, '_'));

  beforeAll(async () => {
    await ensureDatabase(dbUrl);
    await migrate(dbUrl);
  });

  afterAll(async () => {
    await dropDatabase(dbUrl);
  });

  it('reports a dropped column, a retyped column, a changed nullability and a missing index', async () => {
    const problems = await withClient(dbUrl, async (client) => {
      await client.query('ALTER TABLE guards DROP COLUMN last_fix_at');
      await client.query('ALTER TABLE users ALTER COLUMN name TYPE varchar(40)');
      await client.query(
        'ALTER TABLE guard_positions ALTER COLUMN position TYPE geography(Point, 4269)',
      );
      await client.query('ALTER TABLE guard_positions ALTER COLUMN speed_mps SET NOT NULL');
      await client.query('DROP INDEX guards_site_id_idx');
      await client.query('ALTER TABLE sites ADD COLUMN extra integer');
      return schemaDifferences(client, expected);
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'Guard.lastFixAt (guards.last_fix_at): column missing',
        'User.name (users.name): type is character varying(40), schema says text',
        'GuardPosition.position (guard_positions.position): type is geography(Point,4269), schema says geography(point,4326)',
        'GuardPosition.speed (guard_positions.speed_mps): NOT NULL in the database',
        'index btree index on guards(site_id): missing',
        'sites.extra: column is not in schema.prisma',
      ]),
    );
    expect(problems).toHaveLength(6);
  });
});
