-- Issue 15, point 4: devices of the replaced system give their signal as a
-- percentage (0..100); Watchfloor's own give dBm (negative). The value's range
-- says which; it is kept in its own column so each keeps its meaning.

-- AlterTable (the partitioned parent: every partition gets the column)
ALTER TABLE "device_telemetry" ADD COLUMN "signal_percent" INTEGER;

-- AlterTable
ALTER TABLE "devices" ADD COLUMN "signal_percent" INTEGER;
