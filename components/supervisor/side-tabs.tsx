'use client';
/** Tabs for the side panel (WAI-ARIA tabs pattern: arrow keys move between tabs). */
import type { KeyboardEvent, ReactNode } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: ReactNode;
}

interface SideTabsProps<K extends string> {
  tabs: TabDef<K>[];
  active: K;
  onChange(key: K): void;
}

export function SideTabs<K extends string>({ tabs, active, onChange }: SideTabsProps<K>) {
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.key === active);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    onChange(next.key);
    document.getElementById(`wf-tab-${next.key}`)?.focus();
  };
  return (
    <div className="wf-tabs" role="tablist" aria-label="Panels" onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.key}
          id={`wf-tab-${tab.key}`}
          type="button"
          role="tab"
          className="wf-tab"
          aria-selected={tab.key === active}
          aria-controls={`wf-tabpanel-${tab.key}`}
          tabIndex={tab.key === active ? 0 : -1}
          onClick={() => onChange(tab.key)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
