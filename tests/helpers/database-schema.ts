/**
 * Reads what a PostgreSQL database actually contains, in the terms of
 * prisma-schema.ts, and lists every difference from what schema.prisma requires.
 */
import type pg from 'pg';
import { normalizeType, type ExpectedSchema } from './prisma-schema';

interface ActualColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  has_default: boolean;
}

interface ActualIndex {
  table: string;
  name: string;
  is_primary: boolean;
  is_unique: boolean;
  method: string;
  columns: string[];
}

interface ActualForeignKey {
  table: string;
  name: string;
  columns: string[];
  referenced_table: string;
  referenced_columns: string[];
  on_delete: string;
}

/** Tables that are not ours: Prisma's bookkeeping and PostGIS's catalogue. */
const FOREIGN_TABLES = new Set(['_prisma_migrations', 'spatial_ref_sys']);

// Attribute names of a key, in key order (indkey / conkey hold attribute numbers).
const keyColumns = (keys: string, relation: string) => `
  array(SELECT a.attname FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum
        ORDER BY k.ord)::text[]`;

const COLUMNS_SQL = `
  SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
         NOT a.attnotnull AS nullable, a.atthasdef AS has_default
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
    AND a.attnum > 0 AND NOT a.attisdropped
    -- Partitions of a partitioned table are not models: Prisma describes the parent
    -- only (schema.prisma cannot express partitioning; introspection skips partitions,
    -- prisma/orm#17351). The maintenance job creates and drops them at run time.
    AND NOT c.relispartition`;

const INDEXES_SQL = `
  SELECT t.relname AS table, i.relname AS name, ix.indisprimary AS is_primary,
         ix.indisunique AS is_unique, am.amname AS method,
         ${keyColumns('ix.indkey::int2[]', 't.oid')} AS columns
  FROM pg_index ix
  JOIN pg_class i ON i.oid = ix.indexrelid
  JOIN pg_class t ON t.oid = ix.indrelid
  JOIN pg_am am ON am.oid = i.relam
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = current_schema()`;

const FOREIGN_KEYS_SQL = `
  SELECT t.relname AS table, con.conname AS name, rt.relname AS referenced_table,
         ${keyColumns('con.conkey', 'con.conrelid')} AS columns,
         ${keyColumns('con.confkey', 'con.confrelid')} AS referenced_columns,
         con.confdeltype AS on_delete
  FROM pg_constraint con
  JOIN pg_class t ON t.oid = con.conrelid
  JOIN pg_class rt ON rt.oid = con.confrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = current_schema() AND con.contype = 'f'`;

const ENUMS_SQL = `
  SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
  FROM pg_type t
  JOIN pg_enum e ON e.enumtypid = t.oid
  JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = current_schema()
  GROUP BY t.typname`;

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Every way the connected database differs from the expected schema, one
 * sentence each; an empty list means they match.
 */
export async function schemaDifferences(
  client: pg.Client | pg.Pool,
  expected: ExpectedSchema,
): Promise<string[]> {
  // One after another: a single pg.Client must not run queries concurrently.
  const columns = await client.query<ActualColumn>(COLUMNS_SQL);
  const indexes = await client.query<ActualIndex>(INDEXES_SQL);
  const foreignKeys = await client.query<ActualForeignKey>(FOREIGN_KEYS_SQL);
  const enums = await client.query<{ name: string; values: string[] }>(ENUMS_SQL);
  const problems: string[] = [];
  const actualColumns = new Map(columns.rows.map((c) => [`${c.table}.${c.column}`, c]));

  for (const want of expected.columns) {
    const where = `${want.model}.${want.field} (${want.table}.${want.column})`;
    const have = actualColumns.get(`${want.table}.${want.column}`);
    if (!have) {
      problems.push(`${where}: column missing`);
      continue;
    }
    if (normalizeType(have.type) !== want.type) {
      problems.push(`${where}: type is ${have.type}, schema says ${want.type}`);
    }
    if (have.nullable !== want.nullable) {
      problems.push(`${where}: ${have.nullable ? 'nullable' : 'NOT NULL'} in the database`);
    }
    if (have.has_default !== want.hasDefault) {
      problems.push(`${where}: database default ${have.has_default ? 'present' : 'missing'}`);
    }
  }

  const known = new Set(expected.columns.map((c) => `${c.table}.${c.column}`));
  const tables = new Set(expected.tables.values());
  for (const have of columns.rows) {
    if (FOREIGN_TABLES.has(have.table)) continue;
    if (!tables.has(have.table)) {
      if (!problems.includes(`table ${have.table} is not in schema.prisma`)) {
        problems.push(`table ${have.table} is not in schema.prisma`);
      }
    } else if (!known.has(`${have.table}.${have.column}`)) {
      problems.push(`${have.table}.${have.column}: column is not in schema.prisma`);
    }
  }

  for (const want of expected.indexes) {
    const candidates = indexes.rows.filter(
      (i) => i.table === want.table && same(i.columns, want.columns),
    );
    const match = candidates.find(
      (i) =>
        i.method === want.method &&
        i.is_primary === (want.kind === 'primary') &&
        i.is_unique === (want.kind !== 'index'),
    );
    const label = `${want.kind} ${want.method} index on ${want.table}(${want.columns.join(', ')})`;
    if (!match) problems.push(`${label}: missing`);
    else if (match.name !== want.name)
      problems.push(`${label}: named ${match.name}, Prisma names it ${want.name}`);
  }

  for (const want of expected.foreignKeys) {
    const label = `foreign key ${want.table}(${want.columns.join(', ')}) -> ${want.referencedTable}`;
    const match = foreignKeys.rows.find(
      (fk) =>
        fk.table === want.table &&
        same(fk.columns, want.columns) &&
        fk.referenced_table === want.referencedTable &&
        same(fk.referenced_columns, want.referencedColumns),
    );
    if (!match) problems.push(`${label}: missing`);
    else if (match.on_delete !== want.onDelete) {
      problems.push(`${label}: ON DELETE is '${match.on_delete}', schema says '${want.onDelete}'`);
    }
  }

  for (const want of expected.enums) {
    const have = enums.rows.find((e) => e.name === want.name);
    if (!have) problems.push(`enum ${want.name}: type missing`);
    else if (!same(have.values, want.values)) {
      problems.push(
        `enum ${want.name}: values are ${have.values.join(', ')}, schema says ${want.values.join(', ')}`,
      );
    }
  }
  return problems;
}
