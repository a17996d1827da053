'use client';
/** react-leaflet binding for HeadingMarker: like <CircleMarker>, plus heading and accuracy. */
import type { LatLngExpression } from 'leaflet';
import {
  createElementObject,
  createPathComponent,
  extendContext,
  updateCircle,
  type PathProps,
} from '@react-leaflet/core';
import type { ReactNode } from 'react';
import { HeadingMarker, type HeadingMarkerOptions } from './heading-marker';

export interface HeadingCircleMarkerProps extends HeadingMarkerOptions, PathProps {
  center: LatLngExpression;
  children?: ReactNode;
}

/** A guard marker: circle, heading tick, accuracy ring. */
export const HeadingCircleMarker = createPathComponent<HeadingMarker, HeadingCircleMarkerProps>(
  function createHeadingMarker({ center, children: _children, ...options }, ctx) {
    const marker = new HeadingMarker(center, options);
    return createElementObject(marker, extendContext(ctx, { overlayContainer: marker }));
  },
  (marker, props, prevProps) => {
    updateCircle(marker, props, prevProps);
    marker.setFix(props.headingDeg ?? null, props.accuracyM ?? 0);
  },
);
