import type { Metadata } from 'next';
import '@/components/commands/commands.css';
import { SupervisorView } from '@/components/supervisor/supervisor-view';

export const metadata: Metadata = { title: 'Live map' };

/** `/`: the supervisor's live map. Everything live happens client-side over Socket.IO. */
export default function SupervisorPage() {
  return <SupervisorView />;
}
