/**
 * The pure parts of the guard canvas: the drawing state (what changed, which
 * statuses are due), hit-testing, and painting in a few batched canvas calls.
 */
import { describe, expect, it } from 'vitest';
import { createGuardDrawState, type StatusContext } from '../../components/map/guard-draw-state';
import {
  addPainted,
  clearPainted,
  createPaintedGuards,
  hitTest,
} from '../../components/map/guard-hit-test';
import {
  accuracyPx,
  paintGuards,
  STATUS_PAINT_ORDER,
  type PaintView,
} from '../../components/map/guard-paint';
import type { GuardStatus } from '../../components/guards/guard-status';
import type { GuardDto } from '../../contract/guards';
import { guardDto } from '../helpers/guard-dto';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const thresholds = { staleAfterMs: 60_000, offlineAfterMs: 300_000 };

function context(nowMs = NOW, sos: string[] = []): StatusContext {
  return { nowMs, clockOffsetMs: 0, thresholds, sosGuardIds: new Set(sos) };
}

function guard(id: string, ageMs: number, lat = 53.5, lon = 9.9, extra: Partial<GuardDto> = {}) {
  const fixAt = NOW - ageMs;
  return guardDto(id, {
    name: `Guard ${id}`,
    lastSeenAt: fixAt,
    position: {
      guardId: id,
      siteId: 'site',
      lat,
      lon,
      fixAt,
      accuracyM: 5,
      speedMps: 1.2,
      headingDeg: 90,
    },
    ...extra,
  });
}

function storeOf(guards: GuardDto[]) {
  const byId = new Map(guards.map((g) => [g.id, g]));
  return { get: (id: string) => byId.get(id), ids: [...byId.keys()], byId };
}

describe('guard drawing state', () => {
  it('holds only guards with a position and reports a change once', () => {
    const data = storeOf([guard('a', 1000), { ...guard('b', 1000), position: null }]);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context());
    expect(state.size()).toBe(1);
    expect(state.get('a')?.status).toBe('patrol');
    expect(state.get('b')).toBeUndefined();
    expect(state.takeDirty()).toBe(true);
    expect(state.takeDirty()).toBe(false);
  });

  it('is not dirty when a batch repeats what is already drawn', () => {
    const data = storeOf([guard('a', 1000)]);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context());
    state.takeDirty();
    // A newer fix at the same place, heading and accuracy: nothing on screen changes.
    data.byId.set('a', guard('a', 500));
    state.sync(['a'], data.get, data.ids, context());
    expect(state.takeDirty()).toBe(false);
  });

  it('moves a guard in place and forgets its cached projection', () => {
    const data = storeOf([guard('a', 1000)]);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context());
    const drawn = state.get('a')!;
    drawn.projectedZoom = 15;
    state.takeDirty();
    data.byId.set('a', guard('a', 0, 53.6, 9.95));
    state.sync(['a'], data.get, data.ids, context());
    expect(state.get('a')).toBe(drawn);
    expect([drawn.lat, drawn.lon]).toEqual([53.6, 9.95]);
    expect(Number.isNaN(drawn.projectedZoom)).toBe(true);
    expect(state.takeDirty()).toBe(true);
  });

  it('drops guards a snapshot no longer lists', () => {
    const data = storeOf([guard('a', 1000), guard('b', 1000)]);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context());
    const after = storeOf([guard('b', 1000)]);
    state.sync(null, after.get, after.ids, context());
    expect(state.get('a')).toBeUndefined();
    expect(state.size()).toBe(1);
  });

  it('turns a silent guard stale, then offline, from its age alone', () => {
    const data = storeOf([guard('a', 1000)]);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context());
    state.takeDirty();
    state.refreshStatuses(context(NOW + 30_000), false);
    expect(state.get('a')?.status).toBe('patrol');
    expect(state.takeDirty()).toBe(false);
    state.refreshStatuses(context(NOW + 60_000), false);
    expect(state.get('a')?.status).toBe('stale');
    expect(state.takeDirty()).toBe(true);
    state.refreshStatuses(context(NOW + 300_000), false);
    expect(state.get('a')?.status).toBe('offline');
  });

  it('recomputes only the statuses that are due, unless told all', () => {
    const data = storeOf([guard('a', 1000)]);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context());
    // An SOS is not an age threshold: a due-only pass leaves it, a full pass shows it.
    state.refreshStatuses(context(NOW, ['a']), false);
    expect(state.get('a')?.status).toBe('patrol');
    state.refreshStatuses(context(NOW, ['a']), true);
    expect(state.get('a')?.status).toBe('sos');
  });
});

describe('guard hit-testing', () => {
  const painted = createPaintedGuards();
  clearPainted(painted);
  addPainted(painted, 'left', 100, 100, 5);
  addPainted(painted, 'right', 112, 100, 5);
  addPainted(painted, 'top', 112, 100, 8);

  it('finds the guard under the pointer, within its radius plus the tolerance', () => {
    expect(hitTest(painted, 101, 101, 4)).toBe('left');
    expect(hitTest(painted, 91, 100, 4)).toBe('left');
    expect(hitTest(painted, 90, 100, 4)).toBeNull();
  });

  it('prefers the nearest dot, and on a tie the one painted on top', () => {
    expect(hitTest(painted, 105, 100, 4)).toBe('left');
    expect(hitTest(painted, 112, 100, 4)).toBe('top');
  });

  it('finds nothing in an empty list', () => {
    expect(hitTest(createPaintedGuards(), 0, 0, 10)).toBeNull();
  });
});

/** Records what a paint asks of the canvas, in order. */
function recordingContext() {
  const calls: string[] = [];
  const state: Record<string, unknown> = {};
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key in target) return target[key];
      return (...args: unknown[]) =>
        calls.push(
          key === 'fill'
            ? `fill ${String(target.fillStyle)}`
            : key === 'drawImage'
              ? `drawImage ${String(args[0])}`
              : key,
        );
    },
    set(target, key: string, value) {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

function paintView(selectedId: string | null = null): PaintView {
  const fills: Record<GuardStatus, string> = {
    sos: 'red',
    patrol: 'green',
    idle: 'blue',
    stale: 'amber',
    offline: 'grey',
  };
  const styles = Object.fromEntries(
    STATUS_PAINT_ORDER.map((s) => [s, { fill: fills[s], outline: 'black', outlineWidth: 2 }]),
  ) as PaintView['styles'];
  return {
    width: 1000,
    height: 800,
    zoom: 15,
    originX: 0,
    originY: 0,
    // The tests place guards directly in pixels: lon is x, lat is y.
    project(g) {
      g.px = g.lon;
      g.py = g.lat;
      g.projectedZoom = 15;
    },
    radiusPx: 5,
    selectedId,
    styles,
    selectionColor: 'white',
    // A stand-in for the cached bitmap: its name says which dot it is.
    sprite: (status, radius) => `sprite ${status} ${radius}` as unknown as CanvasImageSource,
  };
}

describe('guard painting', () => {
  function stateWith(guards: GuardDto[], sos: string[] = []) {
    const data = storeOf(guards);
    const state = createGuardDrawState();
    state.sync(null, data.get, data.ids, context(NOW, sos));
    return state;
  }

  it('blits one sprite per status however many guards share it, with no path per guard, SOS last', () => {
    const guards = [
      ...Array.from({ length: 500 }, (_, i) => guard(`p${i}`, 1000, 100 + (i % 50), 100 + i)),
      ...Array.from({ length: 300 }, (_, i) => guard(`s${i}`, 120_000, 300, 100 + i)),
      guard('alarm', 1000, 400, 400),
    ];
    const { ctx, calls } = recordingContext();
    const painted = createPaintedGuards();
    const count = paintGuards(ctx, stateWith(guards, ['alarm']).guards(), paintView(), painted);
    expect(count).toBe(801);
    const blits = calls.filter((c) => c.startsWith('drawImage '));
    expect(blits).toHaveLength(801);
    expect(new Set(blits)).toEqual(
      new Set(['drawImage sprite stale 5', 'drawImage sprite patrol 5', 'drawImage sprite sos 7']),
    );
    expect(blits[blits.length - 1]).toBe('drawImage sprite sos 7');
    // Dots are not filled as paths; headings are one stroke per status present.
    expect(calls.filter((c) => c.startsWith('fill '))).toEqual([]);
    expect(calls.filter((c) => c === 'stroke')).toHaveLength(3);
    expect(painted.ids[painted.ids.length - 1]).toBe('alarm');
  });

  it('skips guards outside the canvas and does not hit-test them', () => {
    const { ctx } = recordingContext();
    const painted = createPaintedGuards();
    const count = paintGuards(
      ctx,
      stateWith([guard('in', 1000, 50, 50), guard('out', 1000, 50, 5000)]).guards(),
      paintView(),
      painted,
    );
    expect(count).toBe(1);
    expect(hitTest(painted, 5000, 50, 4)).toBeNull();
    expect(hitTest(painted, 50, 50, 4)).toBe('in');
  });

  it('paints the selected guard last and larger, whatever its status', () => {
    const { ctx } = recordingContext();
    const painted = createPaintedGuards();
    paintGuards(
      ctx,
      stateWith([guard('chosen', 1000, 50, 50), guard('other', 1000, 50, 60)]).guards(),
      paintView('chosen'),
      painted,
    );
    const last = painted.ids.length - 1;
    expect(painted.ids[last]).toBe('chosen');
    expect(painted.radii[last]).toBeGreaterThan(painted.radii[0]!);
  });

  it('sizes the accuracy ring in pixels from metres, latitude and zoom', () => {
    // At the equator, zoom 0, one pixel is 40,075 km / 256.
    expect(accuracyPx(40_075_016.686 / 256, 0, 0)).toBeCloseTo(1, 6);
    // Each zoom level doubles it; at 60 degrees a metre spans twice the pixels.
    expect(accuracyPx(10, 0, 17)).toBeCloseTo(accuracyPx(10, 0, 16) * 2, 6);
    expect(accuracyPx(10, 60, 16)).toBeCloseTo(accuracyPx(10, 0, 16) * 2, 6);
    expect(accuracyPx(0, 0, 16)).toBe(0);
  });
});
