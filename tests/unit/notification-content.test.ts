/** Escalation e-mails and webhook bodies leave the system with readable ISO 8601 times. */
import { describe, expect, it } from 'vitest';
import {
  textBody,
  webhookPayload,
  type NotificationContent,
} from '../../server/escalation/notification-content';
import { openAlertDto } from '../helpers/alert-dto';

const raisedAt = Date.parse('2026-12-05T07:00:00.000Z');
const alert = openAlertDto({
  id: '00000000-0000-4000-8000-000000000001',
  type: 'sos',
  severity: 'critical',
  siteId: 'site-a',
  guardId: 'guard-7',
  deviceId: 'guard-7',
  raisedAt,
});
const content: NotificationContent = {
  id: '00000000-0000-4000-8000-000000000002',
  alert,
  siteName: 'Harbour',
  guardName: 'Dana',
  step: 0,
  repeat: 0,
  dueAt: '2026-12-05T07:01:00.000Z',
  lateSeconds: 0,
  acknowledgeUrl: 'https://watchfloor.test/alerts/1',
  mapUrl: 'https://watchfloor.test/?alert=1',
};

describe('notification content', () => {
  it('tells people when the alert was raised as a time, not a number', () => {
    expect(textBody(content)).toContain('Since: 2026-12-05 07:00:00 UTC (still open)');
  });

  it('gives a webhook every time in one form, ISO 8601 as first published', () => {
    const body = webhookPayload(content, Date.parse('2026-12-05T07:01:02.000Z'));
    expect(body).toMatchObject({
      dueAt: '2026-12-05T07:01:00.000Z',
      sentAt: '2026-12-05T07:01:02.000Z',
      alert: { raisedAt: '2026-12-05T07:00:00.000Z' },
    });
  });
});
