import type { Metadata } from 'next';
import { EscalationView } from '@/components/admin/escalation-view';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Escalation · Admin' };

/** `/admin/escalation`: escalation policies and webhooks (admins only, proxy.ts; the APIs check again). */
export default function AdminEscalationPage() {
  return <EscalationView />;
}
