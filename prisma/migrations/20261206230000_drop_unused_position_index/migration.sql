-- Issue 12: no query reads guard_positions by place. Replay reads by guard and
-- time ("guard_id", "fix_at"); the live map reads guards.last_position. The GIST
-- index on every stored fix was a third of its size on disk and, measured in
-- psql (200,000 rows at a time into the same layout), made inserting a fix
-- about 60 % slower. Dropping it on the parent drops it on every partition.
-- A spatial search over history would bring it back, with the query that needs it.

-- DropIndex
DROP INDEX "guard_positions_position_idx";
