-- The five history tables become partitioned by the device's event time, one
-- partition per UTC day, so retention drops whole days instead of deleting rows.
-- Every row is copied into the new layout in this one transaction.
--
-- The partition column must be part of every unique key of a partitioned table:
-- the primary key becomes (event time, id) and the idempotency key
-- (message_key, event time). A redelivered message carries the same event time,
-- so it still conflicts, whichever day it arrives on.

-- Creates the day partition of `parent` holding `day` (UTC) unless it exists; returns its name.
-- The one place that names and bounds partitions: the migration, the maintenance job
-- and a worker storing a fix for a day without a partition all call it.
CREATE FUNCTION "watchfloor_day_partition"(parent text, day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  partition text := parent || '_p' || to_char(day, 'YYYYMMDD');
BEGIN
  -- Two creators of the same day (the job, a worker) queue here instead of failing.
  PERFORM pg_advisory_xact_lock(hashtext(partition));
  IF to_regclass(quote_ident(partition)) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   partition, parent,
                   day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
  END IF;
  RETURN partition;
END
$$;

-- Migration only: partitions for every day the old table has rows for, and for
-- yesterday to a week ahead (the maintenance job keeps that window afterwards),
-- then every row copied.
CREATE FUNCTION pg_temp.copy_into_partitions(old_table text, parent text, time_column text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  day date;
BEGIN
  FOR day IN EXECUTE format(
    'SELECT DISTINCT (%I AT TIME ZONE ''UTC'')::date FROM %I
     UNION SELECT generate_series(current_date - 1, current_date + 7, interval ''1 day'')::date',
    time_column, old_table)
  LOOP
    PERFORM "watchfloor_day_partition"(parent, day);
  END LOOP;
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', parent, old_table);
END
$$;

-- guard_positions ------------------------------------------------------------
ALTER TABLE "guard_positions" RENAME TO "guard_positions_unpartitioned";
ALTER TABLE "guard_positions_unpartitioned" DROP CONSTRAINT "guard_positions_pkey";
DROP INDEX "guard_positions_message_key_key";
DROP INDEX "guard_positions_guard_id_fix_at_idx";
DROP INDEX "guard_positions_position_idx";
ALTER SEQUENCE "guard_positions_id_seq" OWNED BY NONE;

CREATE TABLE "guard_positions" (
    "id" BIGINT NOT NULL DEFAULT nextval('guard_positions_id_seq'),
    "guard_id" TEXT NOT NULL,
    "position" geography(Point,4326) NOT NULL,
    "fix_at" TIMESTAMPTZ(3) NOT NULL,
    "accuracy_m" DOUBLE PRECISION NOT NULL,
    "speed_mps" DOUBLE PRECISION,
    "heading_deg" DOUBLE PRECISION,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,
    "enqueued_at" TIMESTAMPTZ(3),
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "guard_positions_pkey" PRIMARY KEY ("fix_at", "id")
) PARTITION BY RANGE ("fix_at");
ALTER SEQUENCE "guard_positions_id_seq" OWNED BY "guard_positions"."id";

SELECT pg_temp.copy_into_partitions('guard_positions_unpartitioned', 'guard_positions', 'fix_at');
DROP TABLE "guard_positions_unpartitioned";

CREATE UNIQUE INDEX "guard_positions_message_key_fix_at_key" ON "guard_positions"("message_key", "fix_at");
CREATE INDEX "guard_positions_guard_id_fix_at_idx" ON "guard_positions"("guard_id", "fix_at");
CREATE INDEX "guard_positions_position_idx" ON "guard_positions" USING GIST ("position");
ALTER TABLE "guard_positions" ADD CONSTRAINT "guard_positions_guard_id_fkey" FOREIGN KEY ("guard_id") REFERENCES "guards"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- device_telemetry -----------------------------------------------------------
ALTER TABLE "device_telemetry" RENAME TO "device_telemetry_unpartitioned";
ALTER TABLE "device_telemetry_unpartitioned" DROP CONSTRAINT "device_telemetry_pkey";
DROP INDEX "device_telemetry_message_key_key";
DROP INDEX "device_telemetry_device_id_reported_at_idx";
ALTER SEQUENCE "device_telemetry_id_seq" OWNED BY NONE;

CREATE TABLE "device_telemetry" (
    "id" BIGINT NOT NULL DEFAULT nextval('device_telemetry_id_seq'),
    "device_id" TEXT NOT NULL,
    "battery" INTEGER NOT NULL,
    "signal_dbm" INTEGER,
    "charging" BOOLEAN,
    "firmware" TEXT,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "device_telemetry_pkey" PRIMARY KEY ("reported_at", "id")
) PARTITION BY RANGE ("reported_at");
ALTER SEQUENCE "device_telemetry_id_seq" OWNED BY "device_telemetry"."id";

SELECT pg_temp.copy_into_partitions('device_telemetry_unpartitioned', 'device_telemetry', 'reported_at');
DROP TABLE "device_telemetry_unpartitioned";

CREATE UNIQUE INDEX "device_telemetry_message_key_reported_at_key" ON "device_telemetry"("message_key", "reported_at");
CREATE INDEX "device_telemetry_device_id_reported_at_idx" ON "device_telemetry"("device_id", "reported_at");
ALTER TABLE "device_telemetry" ADD CONSTRAINT "device_telemetry_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- sensor_readings ------------------------------------------------------------
ALTER TABLE "sensor_readings" RENAME TO "sensor_readings_unpartitioned";
ALTER TABLE "sensor_readings_unpartitioned" DROP CONSTRAINT "sensor_readings_pkey";
DROP INDEX "sensor_readings_message_key_key";
DROP INDEX "sensor_readings_sensor_id_read_at_idx";
ALTER SEQUENCE "sensor_readings_id_seq" OWNED BY NONE;

CREATE TABLE "sensor_readings" (
    "id" BIGINT NOT NULL DEFAULT nextval('sensor_readings_id_seq'),
    "sensor_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT,
    "read_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "sensor_readings_pkey" PRIMARY KEY ("read_at", "id")
) PARTITION BY RANGE ("read_at");
ALTER SEQUENCE "sensor_readings_id_seq" OWNED BY "sensor_readings"."id";

SELECT pg_temp.copy_into_partitions('sensor_readings_unpartitioned', 'sensor_readings', 'read_at');
DROP TABLE "sensor_readings_unpartitioned";

CREATE UNIQUE INDEX "sensor_readings_message_key_read_at_key" ON "sensor_readings"("message_key", "read_at");
CREATE INDEX "sensor_readings_sensor_id_read_at_idx" ON "sensor_readings"("sensor_id", "read_at");
ALTER TABLE "sensor_readings" ADD CONSTRAINT "sensor_readings_sensor_id_fkey" FOREIGN KEY ("sensor_id") REFERENCES "sensors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- guard_status_reports -------------------------------------------------------
ALTER TABLE "guard_status_reports" RENAME TO "guard_status_reports_unpartitioned";
ALTER TABLE "guard_status_reports_unpartitioned" DROP CONSTRAINT "guard_status_reports_pkey";
DROP INDEX "guard_status_reports_message_key_key";
DROP INDEX "guard_status_reports_guard_id_reported_at_idx";
ALTER SEQUENCE "guard_status_reports_id_seq" OWNED BY NONE;

CREATE TABLE "guard_status_reports" (
    "id" BIGINT NOT NULL DEFAULT nextval('guard_status_reports_id_seq'),
    "guard_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "guard_status_reports_pkey" PRIMARY KEY ("reported_at", "id")
) PARTITION BY RANGE ("reported_at");
ALTER SEQUENCE "guard_status_reports_id_seq" OWNED BY "guard_status_reports"."id";

SELECT pg_temp.copy_into_partitions('guard_status_reports_unpartitioned', 'guard_status_reports', 'reported_at');
DROP TABLE "guard_status_reports_unpartitioned";

CREATE UNIQUE INDEX "guard_status_reports_message_key_reported_at_key" ON "guard_status_reports"("message_key", "reported_at");
CREATE INDEX "guard_status_reports_guard_id_reported_at_idx" ON "guard_status_reports"("guard_id", "reported_at");
ALTER TABLE "guard_status_reports" ADD CONSTRAINT "guard_status_reports_guard_id_fkey" FOREIGN KEY ("guard_id") REFERENCES "guards"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- system_health_reports ------------------------------------------------------
ALTER TABLE "system_health_reports" RENAME TO "system_health_reports_unpartitioned";
ALTER TABLE "system_health_reports_unpartitioned" DROP CONSTRAINT "system_health_reports_pkey";
DROP INDEX "system_health_reports_message_key_key";
DROP INDEX "system_health_reports_component_reported_at_idx";
ALTER SEQUENCE "system_health_reports_id_seq" OWNED BY NONE;

CREATE TABLE "system_health_reports" (
    "id" BIGINT NOT NULL DEFAULT nextval('system_health_reports_id_seq'),
    "component" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "metrics" JSONB,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "system_health_reports_pkey" PRIMARY KEY ("reported_at", "id")
) PARTITION BY RANGE ("reported_at");
ALTER SEQUENCE "system_health_reports_id_seq" OWNED BY "system_health_reports"."id";

SELECT pg_temp.copy_into_partitions('system_health_reports_unpartitioned', 'system_health_reports', 'reported_at');
DROP TABLE "system_health_reports_unpartitioned";

CREATE UNIQUE INDEX "system_health_reports_message_key_reported_at_key" ON "system_health_reports"("message_key", "reported_at");
CREATE INDEX "system_health_reports_component_reported_at_idx" ON "system_health_reports"("component", "reported_at");
