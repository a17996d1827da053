/**
 * A guard walking a patrol loop inside the site's geofence: waypoints drawn at
 * random inside the polygon, a walking pace of 1.1-1.7 m/s, and GPS noise
 * that follows the reported accuracy.
 */
import { bearingDeg, distanceM, offsetM, randomPointInRing, type LonLat } from './geometry';

export interface Fix {
  lat: number;
  lon: number;
  accuracy: number;
  speed: number;
  heading: number;
}

/** Standard normal sample (Box-Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export class Patrol {
  private readonly loop: LonLat[];
  private leg = 0;
  private progressM = 0;
  private readonly paceMps: number;

  constructor(
    ring: LonLat[],
    private readonly random: () => number,
  ) {
    const waypoints = 4 + Math.floor(random() * 4);
    this.loop = Array.from({ length: waypoints }, () => randomPointInRing(ring, random));
    this.paceMps = 1.1 + random() * 0.6;
  }

  /** Walks for `seconds` and returns the fix the device would report now. */
  advance(seconds: number): Fix {
    this.progressM += this.paceMps * seconds;
    let from = this.loop[this.leg]!;
    let to = this.loop[(this.leg + 1) % this.loop.length]!;
    let legM = distanceM(from, to);
    while (this.progressM > legM) {
      this.progressM -= legM;
      this.leg = (this.leg + 1) % this.loop.length;
      from = this.loop[this.leg]!;
      to = this.loop[(this.leg + 1) % this.loop.length]!;
      legM = distanceM(from, to);
    }
    const t = legM === 0 ? 0 : this.progressM / legM;
    const truth: LonLat = [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t];
    // Urban GPS: usually 3-10 m, now and then much worse.
    const accuracy = this.random() < 0.05 ? 15 + this.random() * 25 : 3 + this.random() * 7;
    const sigma = accuracy / 2;
    const [lon, lat] = offsetM(truth, gaussian(this.random) * sigma, gaussian(this.random) * sigma);
    return {
      lat: round(lat, 7),
      lon: round(lon, 7),
      accuracy: round(accuracy, 1),
      speed: round(Math.max(0, this.paceMps + gaussian(this.random) * 0.15), 2),
      heading: reportedHeading(from, to),
    };
  }
}

/** The heading a device reports, to 0.1 degree: rounded first, so 359.96 becomes 0.0, not 360.0. */
export function reportedHeading(from: LonLat, to: LonLat): number {
  return round(bearingDeg(from, to), 1) % 360;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
