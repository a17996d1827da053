/**
 * What schema.prisma says the PostgreSQL database must contain: tables, columns
 * (type, nullability, database default), indexes, foreign keys and enums.
 *
 * The DMMF comes from Prisma's schema parser (WebAssembly, no engine download).
 * It leaves out Unsupported("...") fields, which the client cannot read or write,
 * so those are read from the schema text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { get_dmmf } from '@prisma/prisma-schema-wasm';

export const SCHEMA_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'prisma',
  'schema.prisma',
);

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string }[];
}

interface DmmfEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

export interface ExpectedColumn {
  model: string;
  field: string;
  table: string;
  column: string;
  /** As PostgreSQL's format_type() prints it, lower-cased, unquoted, no spaces around punctuation. */
  type: string;
  nullable: boolean;
  /** Whether the database itself supplies a default (uuid() and cuid() are client-side). */
  hasDefault: boolean;
}

export interface ExpectedIndex {
  table: string;
  name: string;
  kind: 'primary' | 'unique' | 'index';
  columns: string[];
  /** Access method as pg_am names it: btree, gist, gin, ... */
  method: string;
}

export interface ExpectedForeignKey {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
}

export interface ExpectedSchema {
  /** Model name -> table name, for every model the schema declares. */
  tables: Map<string, string>;
  columns: ExpectedColumn[];
  indexes: ExpectedIndex[];
  foreignKeys: ExpectedForeignKey[];
  enums: { name: string; values: string[] }[];
}

/** Normal form of a PostgreSQL type name, so the two sides compare as strings. */
export function normalizeType(type: string): string {
  return (
    type
      .toLowerCase()
      .replace(/"/g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([(),])\s*/g, '$1')
      .trim()
      // Precision 6 is PostgreSQL's default, printed without a modifier.
      .replace(/^(timestamp|time)\(6\)/, '$1')
  );
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => 'text',
  VarChar: ([n]) => (n ? `character varying(${n})` : 'character varying'),
  Char: ([n]) => `character(${n ?? 1})`,
  Uuid: () => 'uuid',
  Xml: () => 'xml',
  Inet: () => 'inet',
  Citext: () => 'citext',
  Bit: ([n]) => `bit(${n ?? 1})`,
  VarBit: ([n]) => (n ? `bit varying(${n})` : 'bit varying'),
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  Oid: () => 'oid',
  BigInt: () => 'bigint',
  DoublePrecision: () => 'double precision',
  Real: () => 'real',
  Decimal: ([p, s]) => (p ? `numeric(${p},${s ?? 0})` : 'numeric'),
  Money: () => 'money',
  Timestamp: ([p]) => `timestamp(${p ?? 6}) without time zone`,
  Timestamptz: ([p]) => `timestamp(${p ?? 6}) with time zone`,
  Date: () => 'date',
  Time: ([p]) => `time(${p ?? 6}) without time zone`,
  Timetz: ([p]) => `time(${p ?? 6}) with time zone`,
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
  Boolean: () => 'boolean',
};

/** Prisma's referential-action names -> pg_constraint.confdeltype letters. */
const ON_DELETE: Record<string, string> = {
  Cascade: 'c',
  Restrict: 'r',
  NoAction: 'a',
  SetNull: 'n',
  SetDefault: 'd',
};

/** Defaults Prisma computes in the client; the column itself has none. */
const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

function hasDatabaseDefault(field: DmmfField): boolean {
  if (field.default === undefined) return false;
  const fn = field.default as { name?: string };
  return !(typeof fn === 'object' && fn !== null && CLIENT_DEFAULTS.has(fn.name ?? ''));
}

function columnType(field: DmmfField, enums: DmmfEnum[]): string {
  let type: string;
  if (field.kind === 'enum') {
    const found = enums.find((e) => e.name === field.type);
    type = found?.dbName ?? field.type;
  } else if (field.nativeType) {
    const [name, args] = field.nativeType;
    const render = NATIVE_TYPES[name];
    if (!render) throw new Error(`No PostgreSQL type known for @db.${name}: extend NATIVE_TYPES`);
    type = render(args);
  } else {
    const scalar = SCALAR_TYPES[field.type];
    if (!scalar) throw new Error(`No PostgreSQL type known for ${field.type}: extend SCALAR_TYPES`);
    type = scalar;
  }
  return normalizeType(field.isList ? `${type}[]` : type);
}

/** Unsupported("...") fields, per model, read from the schema text (the DMMF omits them). */
function unsupportedFields(schema: string): Map<string, DmmfField[]> {
  const result = new Map<string, DmmfField[]>();
  for (const block of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, model = '', body = ''] = block;
    const fields: DmmfField[] = [];
    for (const line of body.split('\n')) {
      const match = /^\s*(\w+)\s+Unsupported\("((?:[^"\\]|\\.)*)"\)(\?|\[\])?(.*)$/.exec(line);
      if (!match) continue;
      const [, name = '', type = '', modifier, rest = ''] = match;
      fields.push({
        name,
        dbName: /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? null,
        kind: 'unsupported',
        type,
        isList: modifier === '[]',
        isRequired: modifier !== '?',
        default: /@default\(/.test(rest) ? {} : undefined,
      });
    }
    result.set(model, fields);
  }
  return result;
}

/** Parses schema.prisma into the tables, columns, indexes, foreign keys and enums it requires. */
export function expectedSchema(schemaPath = SCHEMA_PATH): ExpectedSchema {
  const schema = readFileSync(schemaPath, 'utf8');
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schema }))) as Dmmf;
  const { models, enums, indexes } = dmmf.datamodel;
  const unsupported = unsupportedFields(schema);

  const tables = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const tableOf = (model: string) => tables.get(model) ?? model;
  const fieldsOf = (model: DmmfModel) => [...model.fields, ...(unsupported.get(model.name) ?? [])];
  const columnOf = (modelName: string, fieldName: string): string => {
    const model = models.find((m) => m.name === modelName);
    const field = model && fieldsOf(model).find((f) => f.name === fieldName);
    if (!field) throw new Error(`${modelName}.${fieldName} is not a field of the schema`);
    return field.dbName ?? field.name;
  };

  const columns: ExpectedColumn[] = models.flatMap((model) =>
    fieldsOf(model)
      .filter((field) => field.kind !== 'object')
      .map((field) => ({
        model: model.name,
        field: field.name,
        table: tableOf(model.name),
        column: field.dbName ?? field.name,
        type: field.kind === 'unsupported' ? normalizeType(field.type) : columnType(field, enums),
        // Prisma Migrate creates scalar-list columns without NOT NULL.
        nullable: field.isList || !field.isRequired,
        hasDefault: hasDatabaseDefault(field),
      })),
  );

  const expectedIndexes: ExpectedIndex[] = indexes
    .filter((index) => index.type !== 'fulltext')
    .map((index) => {
      const table = tableOf(index.model);
      const cols = index.fields.map((f) => columnOf(index.model, f.name));
      // Prisma's default constraint and index names, as its migrations create them.
      const suffix = { id: 'pkey', unique: 'key', normal: 'idx', fulltext: 'idx' }[index.type];
      const name =
        index.dbName ??
        (index.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
      return {
        table,
        name,
        kind: index.type === 'id' ? 'primary' : index.type === 'unique' ? 'unique' : 'index',
        columns: cols,
        method: (index.algorithm ?? 'BTree').toLowerCase(),
      };
    });

  const foreignKeys: ExpectedForeignKey[] = models.flatMap((model) =>
    model.fields
      .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
      .map((f) => {
        const table = tableOf(model.name);
        const cols = (f.relationFromFields ?? []).map((name) => columnOf(model.name, name));
        // Prisma's defaults: optional relations set null, required ones restrict.
        const onDelete = f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull');
        return {
          table,
          name: `${table}_${cols.join('_')}_fkey`,
          columns: cols,
          referencedTable: tableOf(f.type),
          referencedColumns: (f.relationToFields ?? []).map((name) => columnOf(f.type, name)),
          onDelete: ON_DELETE[onDelete] ?? onDelete,
        };
      }),
  );

  return {
    tables,
    columns,
    indexes: expectedIndexes,
    foreignKeys,
    enums: enums.map((e) => ({
      name: e.dbName ?? e.name,
      values: e.values.map((v) => v.dbName ?? v.name),
    })),
  };
}
