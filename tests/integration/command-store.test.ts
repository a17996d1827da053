/**
 * The command lifecycle's SQL on the real PostgreSQL: a phone may answer a
 * command before the worker has recorded its publish, and the stored command
 * must still read as sent, then acknowledged.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertCommand,
  markSent,
  recordReply,
  type NewCommand,
} from '../../server/commands/command-store';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const deviceId = uniqueId('dev').replace(/-/g, '_');
let pool: pg.Pool;

const locate: NewCommand = {
  targetKind: 'device',
  targetId: deviceId,
  siteId: null,
  type: 'locate',
  payload: {},
  requestedBy: null,
};

beforeAll(() => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool.query(`DELETE FROM device_commands WHERE target_id = $1`, [deviceId]);
  await pool.end();
});

describe('command store', () => {
  it('records a reply that overtook the publish record as sent and acknowledged', async () => {
    const command = await insertCommand(pool, locate);
    const repliedAt = Date.now() - 1000;
    const replied = await recordReply(pool, {
      commandId: command.id,
      deviceId,
      result: 'done',
      detail: null,
      at: repliedAt,
    });
    expect(replied?.status).toBe('acknowledged');
    expect(replied?.sentAt).toBe(repliedAt);
    expect(replied?.acknowledgedAt).toBe(repliedAt);
    // The worker's late publish record changes nothing once the device has answered.
    expect(await markSent(pool, command.id)).toBeNull();
  });

  it('keeps the publish time when the command was recorded sent before the reply', async () => {
    const command = await insertCommand(pool, locate);
    const sent = await markSent(pool, command.id);
    expect(sent?.status).toBe('sent');
    const replied = await recordReply(pool, {
      commandId: command.id,
      deviceId,
      result: 'done',
      detail: null,
      at: Date.now() + 60_000,
    });
    expect(replied?.sentAt).toBe(sent?.sentAt);
  });

  it('takes a refusal from a device whose command is still queued as sent and failed', async () => {
    const command = await insertCommand(pool, locate);
    const replied = await recordReply(pool, {
      commandId: command.id,
      deviceId,
      result: 'refused',
      detail: 'busy',
      at: Date.now(),
    });
    expect(replied?.status).toBe('failed');
    expect(replied?.sentAt).not.toBeNull();
    expect(replied?.error).toBe('refused by the device: busy');
  });
});
