/**
 * Idempotent demo data: upserts the sites (with PostGIS geofences), the guards,
 * the sites' gateways, the demo logins and their site assignments. Safe to run on every `npm run demo`.
 *
 * CLI: tsx prisma/seed.ts   (DATABASE_URL, or the local default)
 */
import { pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { LOCAL_SERVICE_DEFAULTS } from '../server/config';
import { PrismaClient } from '../server/generated/prisma/client';
import { hashPassword } from '../server/users/passwords';
import { siteGatewayId, siteSensorIds } from '../scripts/simulator/devices';
import { sensorKindOf } from '../scripts/simulator/messages';
import { DEMO_GUARDS, DEMO_SITES, DEMO_USERS } from './seed-data';

export interface SeedResult {
  sites: number;
  guards: number;
  usersCreated: number;
  usersKept: number;
}

/** Upserts the demo sites, guards and users into databaseUrl; a second run changes nothing. */
export async function seed(databaseUrl: string): Promise<SeedResult> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    for (const site of DEMO_SITES) {
      // The geofence is an Unsupported column Prisma cannot write: raw SQL, still parameterized.
      const geojson = JSON.stringify(site.geofence);
      await prisma.$executeRaw`
        INSERT INTO sites (id, name, geofence)
        VALUES (${site.id}, ${site.name}, ST_SetSRID(ST_GeomFromGeoJSON(${geojson}::text), 4326))
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, geofence = EXCLUDED.geofence`;
    }
    // The simulator's facility sensors, installed at their site: placed near its middle, a few
    // tens of metres apart, so the map's sensor layer shows them (sensors never report a place).
    for (const site of DEMO_SITES) {
      for (const [n, sensorId] of siteSensorIds(site.id).entries()) {
        await prisma.$executeRaw`
          INSERT INTO sensors (id, kind, site_id, location, updated_at)
          SELECT ${sensorId}, ${sensorKindOf(n)}, id,
                 ST_Translate(ST_PointOnSurface(geofence), ${(n - 1.5) * 0.0006}::float8, 0.0003)::geography,
                 now()
          FROM sites WHERE id = ${site.id}
          ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, location = EXCLUDED.location`;
      }
    }
    for (const guard of DEMO_GUARDS) {
      await prisma.guard.upsert({
        where: { id: guard.id },
        create: { id: guard.id, name: guard.name, siteId: guard.siteId },
        update: { name: guard.name, siteId: guard.siteId },
      });
      // The guard's phone has the guard's id (scripts/simulator/devices.ts): the devices tab
      // lists it under the guard and the guard's site, not as unassigned.
      await prisma.device.upsert({
        where: { id: guard.id },
        create: { id: guard.id, guardId: guard.id },
        update: { guardId: guard.id },
      });
    }
    // Each site's gateway is provisioned to its site, so its health shows on that site's screens.
    for (const site of DEMO_SITES) {
      const id = siteGatewayId(site.id);
      await prisma.device.upsert({
        where: { id },
        create: { id, siteId: site.id },
        update: { siteId: site.id },
      });
    }
    let usersCreated = 0;
    for (const user of DEMO_USERS) {
      const existing = await prisma.user.findUnique({ where: { email: user.email } });
      if (existing) {
        // Hashing is deliberately slow; an existing user keeps their hash (and any changed password).
        if (existing.name !== user.name || existing.role !== user.role) {
          await prisma.user.update({
            where: { email: user.email },
            data: { name: user.name, role: user.role },
          });
        }
        continue;
      }
      const passwordHash = await hashPassword(user.password);
      // upsert, not create: a concurrent seed may have inserted the user meanwhile.
      await prisma.user.upsert({
        where: { email: user.email },
        create: { email: user.email, name: user.name, role: user.role, passwordHash },
        update: {},
      });
      usersCreated += 1;
    }
    // Supervisors and viewers see only their sites (admins see all): give them every
    // demo site, again on each run so a site added to the demo reaches existing users.
    const scoped = await prisma.user.findMany({
      where: { email: { in: DEMO_USERS.filter((u) => u.role !== 'admin').map((u) => u.email) } },
      select: { id: true },
    });
    await prisma.userSite.createMany({
      data: scoped.flatMap((user) =>
        DEMO_SITES.map((site) => ({ userId: user.id, siteId: site.id })),
      ),
      skipDuplicates: true,
    });
    for (const user of DEMO_USERS) {
      // Adds the demo assignments; sites an admin assigned since are kept.
      await prisma.$executeRaw`
        INSERT INTO user_sites (user_id, site_id)
        SELECT u.id, s FROM users u, unnest(${user.siteIds}::text[]) AS s WHERE u.email = ${user.email}
        ON CONFLICT DO NOTHING`;
    }
    return {
      sites: DEMO_SITES.length,
      guards: DEMO_GUARDS.length,
      usersCreated,
      usersKept: DEMO_USERS.length - usersCreated,
    };
  } finally {
    await prisma.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // An empty variable counts as unset, as in scripts/stack.
  const url = process.env.DATABASE_URL || LOCAL_SERVICE_DEFAULTS.databaseUrl;
  seed(url)
    .then((result) => {
      console.log(
        `[seed] ${result.sites} sites, ${result.guards} guards, ` +
          `${result.usersCreated} users created, ${result.usersKept} kept`,
      );
    })
    .catch((error: unknown) => {
      console.error(`[seed] ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
