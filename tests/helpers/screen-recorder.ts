/**
 * A screen's view of the live events, recorded: a Socket.IO client signed in
 * as a test user, keeping every alert, duty status and position batch with
 * the snapshots. It reconnects by itself like a browser; `moveTo` connects
 * it to another web node instead, as a load balancer would after its node
 * died. What it recorded is kept.
 */
import { io as connectSocket, type Socket } from 'socket.io-client';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import type { ChartSampleDto } from '../../contract/charts';
import type { GuardPositionDto, GuardStatusDto } from '../../contract/guards';
import type { SnapshotDto } from '../../contract/screen';

export interface ReceivedPosition {
  position: GuardPositionDto;
  connection: number;
  fromSnapshot: boolean;
}

export interface ScreenRecorder {
  socket(): Socket<ServerToClientEvents>;
  alerts: AlertDto[];
  statuses: GuardStatusDto[];
  /** Every position in arrival order, snapshots' included, with the connection (0, 1, ...) it came on. */
  positions: ReceivedPosition[];
  snapshots: SnapshotDto[];
  samples: ChartSampleDto[];
  /** Each disconnect's reason and whether the reconnect recovered the session (for failures' readers). */
  disconnects: string[];
  /** Resolves once the new connection's snapshot arrived. */
  moveTo(baseUrl: string): Promise<void>;
  close(): void;
}

/** Connects to `baseUrl` with the session cookie; resolves once the snapshot arrived. */
export async function recordScreen(baseUrl: string, cookie: string): Promise<ScreenRecorder> {
  let current: Socket<ServerToClientEvents> | null = null;
  let connection = -1;
  const recorder: ScreenRecorder = {
    socket: () => current!,
    alerts: [],
    statuses: [],
    positions: [],
    snapshots: [],
    samples: [],
    disconnects: [],
    async moveTo(url) {
      current?.disconnect();
      const socket: Socket<ServerToClientEvents> = connectSocket(url, {
        transports: ['websocket'],
        extraHeaders: { cookie },
      });
      current = socket;
      const n = (connection += 1);
      socket.on(SERVER_EVENTS.alert, (alert) => recorder.alerts.push(alert));
      socket.on(SERVER_EVENTS.guardStatus, (status) => recorder.statuses.push(status));
      socket.on(SERVER_EVENTS.guardPositions, (batch) =>
        recorder.positions.push(
          ...batch.map((position) => ({ position, connection: n, fromSnapshot: false })),
        ),
      );
      socket.on('disconnect', (reason) => recorder.disconnects.push(`${n}: ${reason}`));
      socket.on('connect', () =>
        recorder.disconnects.push(`${n}: connected, recovered ${socket.recovered}`),
      );
      socket.on(SERVER_EVENTS.chartSample, (sample) => recorder.samples.push(sample));
      // Every snapshot counts (a reconnect gets a new one); the first one ends the move.
      await new Promise<void>((resolve) =>
        socket.on(SERVER_EVENTS.snapshot, (snapshot) => {
          recorder.snapshots.push(snapshot);
          for (const guard of snapshot.guards) {
            if (guard.position)
              recorder.positions.push({
                position: guard.position,
                connection: n,
                fromSnapshot: true,
              });
          }
          resolve();
        }),
      );
    },
    close: () => current?.disconnect(),
  };
  await recorder.moveTo(baseUrl);
  return recorder;
}
