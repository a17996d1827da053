-- Issue 15: sensors with a place appear on the map as their own layer. A sensor
-- reports readings, never where it is: the location is set when it is installed.

-- AlterTable
ALTER TABLE "sensors" ADD COLUMN "location" geography(Point,4326);

-- The sensors tab links each sensor to the latest alert it raised: one probe per sensor.
-- CreateIndex
CREATE INDEX "alerts_sensor_id_raised_at_idx" ON "alerts"("sensor_id", "raised_at");
