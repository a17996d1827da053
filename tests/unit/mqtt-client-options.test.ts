/**
 * Every MQTT connection the server opens shares SERVER_MQTT_OPTIONS
 * (server/mqtt/client-options.ts): mqtt-packet's number cache is global to
 * the process, so one client left on the default builds its 8 MB for all.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(__dirname, '../../server');

/** Each `mqtt.connect(...)` call of the server's sources, with its file. */
function connectCalls(): { file: string; call: string }[] {
  const files = readdirSync(SERVER, { recursive: true, encoding: 'utf8' }).filter(
    (name) => name.endsWith('.ts') && !name.startsWith('generated'),
  );
  return files.flatMap((file) => {
    const text = readFileSync(path.join(SERVER, file), 'utf8');
    // From the call to the end of its options object: the first line that closes it.
    return [...text.matchAll(/mqtt\.connect(?:Async)?\([\s\S]*?\n\s*\}\)/g)].map((m) => ({
      file,
      call: m[0],
    }));
  });
}

describe('MQTT client options', () => {
  it('every mqtt.connect of the server spreads SERVER_MQTT_OPTIONS', () => {
    const calls = connectCalls();
    // The ingest connection, the session drain and the command publisher.
    expect(calls.map((c) => c.file).sort()).toEqual([
      'commands/mqtt-command-client.ts',
      'mqtt/ingest-connection.ts',
      'mqtt/session-drain.ts',
    ]);
    for (const { file, call } of calls) expect(call, file).toContain('...SERVER_MQTT_OPTIONS');
  });
});
