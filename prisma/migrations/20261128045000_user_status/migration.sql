-- User administration: disabling an account without deleting it (its audit trail and
-- the alerts it acknowledged keep their links), and when each user last logged in.

-- AlterTable
ALTER TABLE "users" ADD COLUMN "disabled_at" TIMESTAMPTZ(3),
ADD COLUMN "last_login_at" TIMESTAMPTZ(3);
