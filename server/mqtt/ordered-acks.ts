/**
 * Pipelined, in-order acknowledgements on one mqtt.js connection.
 *
 * mqtt.js parses a connection's next packet only once the previous PUBLISH
 * was handled, and for QoS 1 "handled" ends with writing the PUBACK: with the
 * PUBACK sent only after the durable enqueue, a connection carried one message
 * per enqueue round trip. Here up to `inFlight` messages of a connection are
 * processed at once (also advertised as the MQTT 5 Receive Maximum, so the
 * broker never has more outstanding), and a message's acknowledgement is sent
 * only once it AND every earlier message of the connection succeeded (MQTT
 * acknowledges QoS 1 and QoS 2 in the order received).
 *
 * How, with mqtt.js 5 (pinned by tests/unit/ordered-acks.test.ts; re-check on
 * every mqtt.js upgrade):
 * - QoS 1: customHandleAcks answers "ack" at once; mqtt.js then calls
 *   handleMessage, whose callback would write the PUBACK and read on. We call
 *   that callback with an error: mqtt.js then writes nothing and reads the
 *   next packet. We write the PUBACK ourselves, in order, when it is due.
 * - QoS 2 (alerts, on their own lane): processed before its PUBREC as before,
 *   and mqtt.js's own ack (the PUBREC) is released in the same order. The
 *   connection reads nothing past a QoS 2 message until then, so QoS 2 is not
 *   pipelined; its PUBREL later only completes the handshake.
 * - QoS 0: nothing to acknowledge; it holds a place in the window while processed.
 * - A failure: that message and every later one of the connection stay
 *   unacknowledged, and `onFailure` (once it is the oldest) replaces the
 *   connection so the broker redelivers them. Acknowledgements held for a
 *   connection that closed are dropped, never sent on the next one: the broker
 *   reuses packet ids, and a stale PUBACK could acknowledge a new message.
 */
import type { IPublishPacket, MqttClient } from 'mqtt';

export interface OrderedAckOptions {
  /** Messages of the connection processed at once; must equal the client's receiveMaximum. */
  inFlight: number;
  /** Resolves when the message may be acknowledged; rejects to leave it (and later ones) unacknowledged. */
  onMessage(topic: string, payload: Buffer, packet: IPublishPacket): Promise<unknown>;
  /** The oldest unacknowledged message failed: nothing more is acknowledged on this connection. */
  onFailure(error: unknown): void;
}

/** Given to mqtt.js's handleMessage callback so it skips its PUBACK (we send it, in order). */
export const PUBACK_HELD = new Error('PUBACK held: sent in order once the message is durable');

/** The one mqtt.js internal we call: how mqtt.js itself writes a PUBACK. */
interface PacketWriter {
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode: number }): void;
}

interface Pending {
  /** undefined while processing. */
  outcome?: { ok: true } | { ok: false; error: unknown };
  /** Sends the acknowledgement. */
  release(): void;
}

/** One connection (one stream) of the client: its messages awaiting their acknowledgement. */
interface Link {
  stream: unknown;
  live: boolean;
  queue: Pending[];
  /** Messages holding a place in the window: queued ones and QoS 0 ones in progress. */
  open: number;
  failed: boolean;
  /** The packet stream's continuation while the window is full. */
  paused: (() => void) | null;
}

/** Makes `client` (MQTT 5, receiveMaximum = inFlight) process messages concurrently and acknowledge them in order. */
export function orderAcks(client: MqttClient, options: OrderedAckOptions): void {
  const { inFlight } = options;
  if (client.options.properties?.receiveMaximum !== inFlight) {
    throw new Error(`the client must advertise receiveMaximum ${inFlight}, its in-flight window`);
  }
  const newLink = (): Link => ({
    stream: client.stream,
    live: true,
    queue: [],
    open: 0,
    failed: false,
    paused: null,
  });
  let link = newLink();
  client.on('close', () => {
    link.live = false;
    link.queue = [];
    link.paused = null;
  });

  /** The connection a message arrives on; null once it closed (mqtt.js may still hand over parsed packets). */
  function current(): Link | null {
    if (!client.connected) return null;
    if (link.stream !== client.stream) {
      link.live = false;
      link = newLink();
    }
    return link;
  }

  function resumeIfRoom(l: Link): void {
    if (!l.paused || l.open >= inFlight) return;
    const go = l.paused;
    l.paused = null;
    go();
  }

  /** Releases the acknowledgements that are due, oldest first; stops at the first failure. */
  function advance(l: Link): void {
    while (l.live && !l.failed) {
      const head = l.queue[0];
      if (!head?.outcome) break;
      if (!head.outcome.ok) {
        l.failed = true;
        options.onFailure(head.outcome.error);
        return;
      }
      l.queue.shift();
      l.open -= 1;
      if (client.connected && client.stream === l.stream) head.release();
    }
    resumeIfRoom(l);
  }

  /**
   * Starts processing a message. `next` lets mqtt.js read the next packet (now,
   * or once the window has room); `release` sends its acknowledgement in order.
   */
  function take(packet: IPublishPacket, next: (() => void) | null, release: (() => void) | null) {
    const l = current();
    // Its connection is gone: never acknowledged, so the broker sends it again.
    if (!l) return;
    l.open += 1;
    const pending: Pending | null = release ? { release } : null;
    if (pending) l.queue.push(pending);
    // No topic aliases are advertised, so packet.topic is always the full topic.
    options.onMessage(packet.topic, packet.payload as Buffer, packet).then(
      () => {
        if (pending) pending.outcome = { ok: true };
        else l.open -= 1;
        advance(l);
      },
      (error: unknown) => {
        if (pending) pending.outcome = { ok: false, error };
        else l.open -= 1; // QoS 0: nothing to hold back
        advance(l);
      },
    );
    if (!next) return;
    if (l.open < inFlight) next();
    else l.paused = next;
  }

  const writer = client as unknown as PacketWriter;
  client.options.customHandleAcks = (_topic, _payload, packet: IPublishPacket, ack) => {
    // QoS 2: mqtt.js sends the PUBREC and reads on when `ack` is called, so that is the release.
    if (packet.qos === 2) take(packet, null, () => ack(0));
    // QoS 1: "ack" now; mqtt.js goes on to handleMessage below, where the PUBACK is held.
    else ack(0);
  };
  client.handleMessage = (packet, callback) => {
    // The PUBREL of a QoS 2 message, processed before its PUBREC: PUBCOMP completes it.
    if (packet.qos === 2) return callback();
    if (packet.qos === 0) return take(packet, () => callback(), null);
    const messageId = packet.messageId!;
    take(
      packet,
      () => callback(PUBACK_HELD),
      () => writer._sendPacket({ cmd: 'puback', messageId, reasonCode: 0 }),
    );
  };
}
