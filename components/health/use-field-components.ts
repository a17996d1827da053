'use client';
import { useSyncExternalStore } from 'react';
import type { FieldComponentDto } from '@/contract/health';
import type { ComponentStore } from './component-store';

const NONE: readonly FieldComponentDto[] = [];

/** The field components, sorted by id; re-renders when one reports. */
export function useFieldComponents(store: ComponentStore): readonly FieldComponentDto[] {
  return useSyncExternalStore(store.subscribe, store.getAll, () => NONE);
}
