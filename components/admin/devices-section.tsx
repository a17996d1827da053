'use client';
/** The admin page's devices: every device of every site, live, as supervisors see theirs. */
import { useEffect, useState } from 'react';
import { DevicesPanel } from '@/components/fleet/devices-panel';
import { useFleetFeed } from '@/components/fleet/use-fleet-feed';
import { getJson } from './admin-api';

export function DevicesSection() {
  const fleet = useFleetFeed();
  const [siteNames, setSiteNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    getJson<{ sites: { id: string; name: string }[] }>('/api/admin/sites').then(
      ({ sites }) => setSiteNames(new Map(sites.map((s) => [s.id, s.name]))),
      () => undefined, // names are a nicety: ids show instead
    );
  }, []);
  return (
    <div className="wf-admin-devices">
      <DevicesPanel fleet={fleet} siteNames={siteNames} />
    </div>
  );
}
