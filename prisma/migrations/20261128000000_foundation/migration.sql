-- Foundation: sites with geofences, guards with their latest position, GPS history, users.
CREATE EXTENSION IF NOT EXISTS postgis;

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('admin', 'supervisor', 'viewer');

-- CreateTable
CREATE TABLE "sites" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "geofence" geometry(Polygon,4326) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guards" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "site_id" TEXT,
    "last_position" geography(Point,4326),
    "last_fix_at" TIMESTAMPTZ(3),
    "last_accuracy_m" DOUBLE PRECISION,
    "last_speed_mps" DOUBLE PRECISION,
    "last_heading_deg" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "guards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guard_positions" (
    "id" BIGSERIAL NOT NULL,
    "guard_id" TEXT NOT NULL,
    "position" geography(Point,4326) NOT NULL,
    "fix_at" TIMESTAMPTZ(3) NOT NULL,
    "accuracy_m" DOUBLE PRECISION NOT NULL,
    "speed_mps" DOUBLE PRECISION,
    "heading_deg" DOUBLE PRECISION,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "message_key" TEXT NOT NULL,

    CONSTRAINT "guard_positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sites_geofence_idx" ON "sites" USING GIST ("geofence");

-- CreateIndex
CREATE INDEX "guards_site_id_idx" ON "guards"("site_id");

-- CreateIndex
CREATE UNIQUE INDEX "guard_positions_message_key_key" ON "guard_positions"("message_key");

-- CreateIndex
CREATE INDEX "guard_positions_guard_id_fix_at_idx" ON "guard_positions"("guard_id", "fix_at");

-- CreateIndex
CREATE INDEX "guard_positions_position_idx" ON "guard_positions" USING GIST ("position");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- AddForeignKey
ALTER TABLE "guards" ADD CONSTRAINT "guards_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guard_positions" ADD CONSTRAINT "guard_positions_guard_id_fkey" FOREIGN KEY ("guard_id") REFERENCES "guards"("id") ON DELETE CASCADE ON UPDATE CASCADE;
