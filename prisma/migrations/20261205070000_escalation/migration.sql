-- Escalation: policies per site and severity, webhooks, and who was told about each
-- alert and when. Users get an optional address for notifications (the login e-mail
-- may not be a mailbox anyone reads); alerts remember when a step beyond the first fired.

-- AlterTable
ALTER TABLE "users" ADD COLUMN "notification_email" TEXT;

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN "escalated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation_policies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "site_id" TEXT,
    "severity" "AlertSeverity" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "steps" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" UUID,

    CONSTRAINT "escalation_policies_pkey" PRIMARY KEY ("id")
);

-- One policy per site and severity, and one default (no site) per severity: NULLS NOT DISTINCT.
CREATE UNIQUE INDEX "escalation_policies_site_id_severity_key" ON "escalation_policies"("site_id", "severity") NULLS NOT DISTINCT;

-- CreateTable
CREATE TABLE "alert_escalations" (
    "alert_id" UUID NOT NULL,
    "policy_id" UUID,
    "steps" JSONB NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "next_step" INTEGER,
    "next_repeat" INTEGER,
    "next_due_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,

    CONSTRAINT "alert_escalations_pkey" PRIMARY KEY ("alert_id")
);

-- CreateIndex
CREATE INDEX "alert_escalations_ended_at_next_due_at_idx" ON "alert_escalations"("ended_at", "next_due_at");

-- CreateTable
CREATE TABLE "escalation_notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "alert_id" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "repeat" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "recipient_label" TEXT NOT NULL,
    "webhook_id" UUID,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "late_ms" INTEGER NOT NULL DEFAULT 0,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "escalation_notifications_pkey" PRIMARY KEY ("id")
);

-- The key that keeps a step from being sent twice, whatever runs it again.
CREATE UNIQUE INDEX "escalation_notifications_step_key" ON "escalation_notifications"("alert_id", "step", "repeat", "channel", "recipient");

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" UUID NOT NULL,
    "notification_id" UUID,
    "alert_id" UUID,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_at_idx" ON "webhook_deliveries"("webhook_id", "at");

-- AddForeignKey
ALTER TABLE "escalation_policies" ADD CONSTRAINT "escalation_policies_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_policies" ADD CONSTRAINT "escalation_policies_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_escalations" ADD CONSTRAINT "alert_escalations_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_escalations" ADD CONSTRAINT "alert_escalations_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "escalation_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_notifications" ADD CONSTRAINT "escalation_notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_notifications" ADD CONSTRAINT "escalation_notifications_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "escalation_notifications"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The default a fresh install escalates with: every critical alert, at once to the
-- site's supervisors, then after two minutes unacknowledged to them and every admin,
-- repeated every five minutes (three times) until someone acknowledges.
INSERT INTO "escalation_policies" ("site_id", "severity", "steps") VALUES (NULL, 'critical',
  '[{"afterSeconds":0,"recipients":[{"kind":"site_supervisors"}]},{"afterSeconds":120,"repeatEverySeconds":300,"repeatTimes":3,"recipients":[{"kind":"site_supervisors"},{"kind":"admins"}]}]');
