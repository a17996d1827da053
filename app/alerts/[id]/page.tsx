import type { Metadata } from 'next';
import { AlertDetailView } from '@/components/escalation/alert-detail-view';

export const metadata: Metadata = { title: 'Alert' };

/** `/alerts/<id>`: one alert and its escalation (the acknowledge link of notifications). */
export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AlertDetailView alertId={id} />;
}
