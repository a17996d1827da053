-- Device commands: what supervisors and admins sent, and how far each got.

-- CreateEnum
CREATE TYPE "CommandTargetKind" AS ENUM ('guard', 'device');

-- CreateEnum
CREATE TYPE "CommandType" AS ENUM ('locate', 'message', 'sos_ack');

-- CreateEnum
CREATE TYPE "CommandStatus" AS ENUM ('queued', 'sent', 'acknowledged', 'failed');

-- CreateTable
CREATE TABLE "device_commands" (
    "id" UUID NOT NULL,
    "target_kind" "CommandTargetKind" NOT NULL,
    "target_id" TEXT NOT NULL,
    "site_id" TEXT,
    "type" "CommandType" NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" "CommandStatus" NOT NULL DEFAULT 'queued',
    "requested_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "acknowledged_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "publish_attempts" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "device_commands_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "device_commands_status_created_at_idx" ON "device_commands"("status", "created_at");

-- CreateIndex
CREATE INDEX "device_commands_target_id_created_at_idx" ON "device_commands"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "device_commands_site_id_created_at_idx" ON "device_commands"("site_id", "created_at");

-- AddForeignKey
ALTER TABLE "device_commands" ADD CONSTRAINT "device_commands_requested_by_fkey" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
