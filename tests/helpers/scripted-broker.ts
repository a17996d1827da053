/**
 * A scripted MQTT 5 peer on a local port, for unit tests of what mqtt.js does
 * on the wire: it accepts CONNECT, sends what the test says (PUBLISH, PUBREL),
 * and records what the client sends. A real broker cannot be told to send
 * three messages past its client's Receive Maximum, or to hold one back.
 */
import net from 'node:net';

/** A packet the client sent, decoded as far as the tests look. */
export interface ClientPacket {
  cmd: 'connect' | 'publish' | 'puback' | 'pubrec' | 'pubcomp' | 'disconnect' | 'other';
  /** Which connection of the client (0, 1, ...) it came on. */
  connection: number;
  messageId?: number;
  topic?: string;
  receiveMaximum?: number;
}

const CMDS: Record<number, ClientPacket['cmd']> = {
  1: 'connect',
  3: 'publish',
  4: 'puback',
  5: 'pubrec',
  7: 'pubcomp',
  14: 'disconnect',
};

function varint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

function readVarint(buf: Buffer, at: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0, mul = 1; i < 4; i += 1, mul *= 128) {
    if (at + i >= buf.length) return null;
    const byte = buf[at + i]!;
    value += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new Error('malformed remaining length');
}

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const str = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
const packet = (first: number, body: Buffer) =>
  Buffer.concat([Buffer.from([first]), varint(body.length), body]);

/** The Receive Maximum property of a CONNECT body (MQTT 5), if present. */
function receiveMaximumOf(body: Buffer): number | undefined {
  const props = readVarint(body, 10); // "MQTT" name, level, flags, keep-alive
  if (!props) return undefined;
  const sizes: Record<number, number> = { 0x11: 4, 0x21: 2, 0x22: 2, 0x27: 4, 0x17: 1, 0x19: 1 };
  for (let at = props.next; at < props.next + props.value;) {
    const id = body[at]!;
    if (id === 0x21) return body.readUInt16BE(at + 1);
    const size = sizes[id];
    if (size === undefined) return undefined; // a property these tests never send
    at += 1 + size;
  }
  return undefined;
}

function decode(first: number, body: Buffer, connection: number): ClientPacket {
  const cmd = CMDS[first >> 4] ?? 'other';
  if (cmd === 'connect') return { cmd, connection, receiveMaximum: receiveMaximumOf(body) };
  if (cmd === 'publish')
    return { cmd, connection, topic: body.subarray(2, 2 + body.readUInt16BE(0)).toString() };
  if (cmd === 'puback' || cmd === 'pubrec' || cmd === 'pubcomp') {
    return { cmd, connection, messageId: body.readUInt16BE(0) };
  }
  return { cmd, connection };
}

export interface ScriptedBroker {
  url: string;
  /** Everything the client sent, in order. */
  received: ClientPacket[];
  /** Connections accepted so far. */
  connections(): number;
  /** Bytes sent on the current connection (compare with the client socket's bytesRead). */
  bytesWritten(): number;
  /** Sends a PUBLISH on the current connection. */
  publish(p: {
    topic: string;
    payload: string;
    qos: 0 | 1 | 2;
    messageId?: number;
    dup?: boolean;
  }): void;
  /** Sends a PUBREL (QoS 2, second half) on the current connection. */
  pubrel(messageId: number): void;
  close(): Promise<void>;
}

/** Starts the peer on 127.0.0.1 and a free port. */
export async function startScriptedBroker(): Promise<ScriptedBroker> {
  const received: ClientPacket[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    const connection = sockets.push(socket) - 1;
    let pending = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const length = readVarint(pending, 1);
        if (!length || pending.length < length.next + length.value) return;
        const body = pending.subarray(length.next, length.next + length.value);
        const decoded = decode(pending[0]!, body, connection);
        pending = pending.subarray(length.next + length.value);
        received.push(decoded);
        // CONNACK: no session present, success, no properties.
        if (decoded.cmd === 'connect') socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const current = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no client connected');
    return socket;
  };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    received,
    connections: () => sockets.length,
    bytesWritten: () => current().bytesWritten,
    publish({ topic, payload, qos, messageId = 0, dup = false }) {
      const id = qos > 0 ? u16(messageId) : Buffer.alloc(0);
      const body = Buffer.concat([str(topic), id, Buffer.from([0]), Buffer.from(payload)]);
      current().write(packet(0x30 | (dup ? 8 : 0) | (qos << 1), body));
    },
    pubrel(messageId) {
      current().write(packet(0x62, u16(messageId)));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
