/**
 * The guard dots' looks on the canvas: the theme's colours as the painter takes
 * them (a canvas cannot read CSS variables) and one cached dot sprite per
 * status, radius and pixel ratio, so a paint blits sprites instead of filling
 * thousands of circles.
 */
import type { GuardStatus } from '@/components/guards/guard-status';
import { dotSpriteSizePx, drawDotSprite, type GuardPaintStyle } from './guard-paint';
import type { MapTheme } from './map-theme';

/** The theme's path options per status, as plain colours and widths. */
export function paintStyles(theme: MapTheme): Record<GuardStatus, GuardPaintStyle> {
  const style = (status: GuardStatus): GuardPaintStyle => ({
    fill: theme.guard[status].fillColor ?? '#ffffff',
    outline: theme.guard[status].color ?? '#000000',
    outlineWidth: theme.guard[status].weight ?? 2,
  });
  return {
    sos: style('sos'),
    patrol: style('patrol'),
    idle: style('idle'),
    stale: style('stale'),
    offline: style('offline'),
  };
}

/** A sprite lookup that draws each (status, radius, ratio) once, on first use. */
export function createSpriteCache(styles: Record<GuardStatus, GuardPaintStyle>) {
  const sprites = new Map<string, HTMLCanvasElement>();
  return (status: GuardStatus, radiusPx: number, ratio: number): HTMLCanvasElement => {
    const key = `${status}:${radiusPx}:${ratio}`;
    let sprite = sprites.get(key);
    if (!sprite) {
      const style = styles[status];
      const size = dotSpriteSizePx(radiusPx, style.outlineWidth);
      sprite = document.createElement('canvas');
      sprite.width = Math.ceil(size * ratio);
      sprite.height = Math.ceil(size * ratio);
      const ctx = sprite.getContext('2d');
      if (ctx) {
        ctx.scale(ratio, ratio);
        drawDotSprite(ctx, style, radiusPx);
      }
      sprites.set(key, sprite);
    }
    return sprite;
  };
}
