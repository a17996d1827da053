-- Ingestion: alerts with their lifecycle, devices and telemetry, sensors and
-- readings, component health, and geofence/duty state on guards.

-- CreateEnum
CREATE TYPE "GeofenceState" AS ENUM ('inside', 'outside');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('critical', 'high', 'medium', 'low');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('open', 'acknowledged', 'resolved');

-- AlterTable
ALTER TABLE "guard_positions" ADD COLUMN "enqueued_at" TIMESTAMPTZ(3),
ADD COLUMN "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp();

-- AlterTable
ALTER TABLE "guards" ADD COLUMN "duty_status" TEXT,
ADD COLUMN "duty_status_at" TIMESTAMPTZ(3),
ADD COLUMN "geofence_state" "GeofenceState",
ADD COLUMN "geofence_strikes" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'open',
    "message" TEXT,
    "site_id" TEXT,
    "guard_id" TEXT,
    "device_id" TEXT,
    "sensor_id" TEXT,
    "location" geography(Point,4326),
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" UUID,
    "resolution" TEXT,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "devices" (
    "id" TEXT NOT NULL,
    "guard_id" TEXT,
    "site_id" TEXT,
    "battery" INTEGER,
    "signal_dbm" INTEGER,
    "charging" BOOLEAN,
    "firmware" TEXT,
    "last_seen_at" TIMESTAMPTZ(3),
    "low_battery" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_telemetry" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "battery" INTEGER NOT NULL,
    "signal_dbm" INTEGER,
    "charging" BOOLEAN,
    "firmware" TEXT,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "device_telemetry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sensors" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "site_id" TEXT,
    "last_value" DOUBLE PRECISION,
    "last_read_at" TIMESTAMPTZ(3),
    "in_alarm" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sensors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sensor_readings" (
    "id" BIGSERIAL NOT NULL,
    "sensor_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT,
    "read_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "sensor_readings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guard_status_reports" (
    "id" BIGSERIAL NOT NULL,
    "guard_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "guard_status_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "component_health" (
    "component" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "metrics" JSONB,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "component_health_pkey" PRIMARY KEY ("component")
);

-- CreateTable
CREATE TABLE "system_health_reports" (
    "id" BIGSERIAL NOT NULL,
    "component" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "metrics" JSONB,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "system_health_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alerts_message_key_key" ON "alerts"("message_key");

-- CreateIndex
CREATE INDEX "alerts_status_raised_at_idx" ON "alerts"("status", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_site_id_status_idx" ON "alerts"("site_id", "status");

-- CreateIndex
CREATE INDEX "alerts_location_idx" ON "alerts" USING GIST ("location");

-- CreateIndex
CREATE INDEX "devices_site_id_idx" ON "devices"("site_id");

-- CreateIndex
CREATE UNIQUE INDEX "device_telemetry_message_key_key" ON "device_telemetry"("message_key");

-- CreateIndex
CREATE INDEX "device_telemetry_device_id_reported_at_idx" ON "device_telemetry"("device_id", "reported_at");

-- CreateIndex
CREATE INDEX "sensors_site_id_idx" ON "sensors"("site_id");

-- CreateIndex
CREATE UNIQUE INDEX "sensor_readings_message_key_key" ON "sensor_readings"("message_key");

-- CreateIndex
CREATE INDEX "sensor_readings_sensor_id_read_at_idx" ON "sensor_readings"("sensor_id", "read_at");

-- CreateIndex
CREATE UNIQUE INDEX "guard_status_reports_message_key_key" ON "guard_status_reports"("message_key");

-- CreateIndex
CREATE INDEX "guard_status_reports_guard_id_reported_at_idx" ON "guard_status_reports"("guard_id", "reported_at");

-- CreateIndex
CREATE UNIQUE INDEX "system_health_reports_message_key_key" ON "system_health_reports"("message_key");

-- CreateIndex
CREATE INDEX "system_health_reports_component_reported_at_idx" ON "system_health_reports"("component", "reported_at");

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_guard_id_fkey" FOREIGN KEY ("guard_id") REFERENCES "guards"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_fkey" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_resolved_by_fkey" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_guard_id_fkey" FOREIGN KEY ("guard_id") REFERENCES "guards"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_telemetry" ADD CONSTRAINT "device_telemetry_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sensor_readings" ADD CONSTRAINT "sensor_readings_sensor_id_fkey" FOREIGN KEY ("sensor_id") REFERENCES "sensors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guard_status_reports" ADD CONSTRAINT "guard_status_reports_guard_id_fkey" FOREIGN KEY ("guard_id") REFERENCES "guards"("id") ON DELETE CASCADE ON UPDATE CASCADE;
