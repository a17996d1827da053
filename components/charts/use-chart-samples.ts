'use client';
import { useSyncExternalStore } from 'react';
import type { ChartSampleDto } from '@/contract/charts';
import type { ChartStore } from './chart-store';

const NONE: readonly ChartSampleDto[] = [];

/** The chart samples, oldest first; re-renders once per sample (every few seconds). */
export function useChartSamples(charts: ChartStore): readonly ChartSampleDto[] {
  return useSyncExternalStore(charts.subscribe, charts.getSamples, () => NONE);
}
