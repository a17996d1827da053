/**
 * The demo's fixed data: two Hamburg sites, twelve guards and three logins.
 * Kept apart from the seeding code so the demo banner and tests read the same facts.
 */
import type { Role } from '../contract/users';

/** A GeoJSON polygon: one closed, counter-clockwise ring of [longitude, latitude]. */
export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}

export interface DemoSite {
  id: string;
  name: string;
  geofence: GeoJsonPolygon;
}

export interface DemoGuard {
  id: string;
  name: string;
  siteId: string;
}

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  /** Demo only: printed by `npm run demo`; never use such passwords elsewhere. */
  password: string;
  /** Sites the user may see and act on (admins see every site regardless). */
  siteIds: string[];
}

export const DEMO_SITES: DemoSite[] = [
  {
    // Container yard on Kleiner Grasbrook, Port of Hamburg: about 530 m x 490 m.
    id: 'site-harbour',
    name: 'Harbour Yard (Kleiner Grasbrook)',
    geofence: {
      type: 'Polygon',
      coordinates: [
        [
          [9.995, 53.535],
          [9.9945, 53.5322],
          [9.9995, 53.5312],
          [10.003, 53.533],
          [10.001, 53.5356],
          [9.995, 53.535],
        ],
      ],
    },
  },
  {
    // Office campus in City Nord, Hamburg: about 570 m x 550 m.
    id: 'site-park',
    name: 'Business Park (City Nord)',
    geofence: {
      type: 'Polygon',
      coordinates: [
        [
          [10.0165, 53.603],
          [10.017, 53.5995],
          [10.0215, 53.5985],
          [10.025, 53.6005],
          [10.0235, 53.6035],
          [10.0165, 53.603],
        ],
      ],
    },
  },
];

const GUARD_NAMES = [
  'Amira Hassan',
  'Jonas Becker',
  'Lena Vogel',
  'Mateo García',
  'Priya Raman',
  'Tomasz Nowak',
  'Chloé Martin',
  'Daniel Okafor',
  'Sofia Rossi',
  'Henrik Larsen',
  'Yuki Tanaka',
  "Grace O'Neill",
];

/** guard-1..guard-6 patrol the harbour, guard-7..guard-12 the business park. */
export const DEMO_GUARDS: DemoGuard[] = GUARD_NAMES.map((name, index) => ({
  id: `guard-${index + 1}`,
  name,
  siteId: index < GUARD_NAMES.length / 2 ? 'site-harbour' : 'site-park',
}));

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'admin@watchfloor.local',
    name: 'Alex Admin',
    role: 'admin',
    password: 'watchfloor-admin',
    siteIds: [],
  },
  {
    email: 'supervisor@watchfloor.local',
    name: 'Sam Supervisor',
    role: 'supervisor',
    password: 'watchfloor-supervisor',
    siteIds: ['site-harbour', 'site-park'],
  },
  {
    // Scoped to one site, so the demo (and the tests) show site scoping at work.
    email: 'harbour.supervisor@watchfloor.local',
    name: 'Hana Harbour',
    role: 'supervisor',
    password: 'watchfloor-harbour',
    siteIds: ['site-harbour'],
  },
  {
    email: 'viewer@watchfloor.local',
    name: 'Vic Viewer',
    role: 'viewer',
    password: 'watchfloor-viewer',
    siteIds: ['site-harbour', 'site-park'],
  },
];
