-- Issue 10, point 9: a kiosk token may carry an expiry, and history replay is
-- scoped by the site each fix belonged to when it was taken (a guard moved to
-- another site takes none of its old site's history along, and brings none).

-- AlterTable
ALTER TABLE "kiosk_tokens" ADD COLUMN "expires_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "guard_positions" ADD COLUMN "site_id" TEXT;

-- Fixes stored before this column: the guard's site now is the best there is.
UPDATE "guard_positions" p SET "site_id" = g."site_id" FROM "guards" g WHERE g."id" = p."guard_id";
