'use client';
/**
 * Connects to the server's Socket.IO endpoint (same origin, default path) and
 * feeds the live store. Returns the store plus an honest connection status:
 *
 * - connecting:   no snapshot yet on this page;
 * - live:         connected AND the snapshot of this connection has been applied,
 *                 so what the screen shows is current;
 * - reconnecting: the connection dropped; Socket.IO is retrying; the screen
 *                 shows the last known state;
 * - offline:      the browser reports no network, or several attempts in a row
 *                 failed (retries continue in the background);
 * - signed-out:   the server refused the handshake for good (session ended,
 *                 wall token revoked): no more retries, the screen says so.
 */
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@/contract/socket-events';
import { fetchChartHistory } from '@/components/charts/chart-store';
import { fetchFieldComponents } from '@/components/health/component-store';
import {
  OFFLINE_AFTER_FAILED_ATTEMPTS,
  SIGNED_OUT_CODE,
  type ConnectionStatus,
} from './connection-status';
import { createLiveStores, type LiveStores } from './live-stores';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why we are not live (last error or disconnect reason), for the indicator's tooltip. */
  detail: string | null;
}

export interface LiveState extends ConnectionState, LiveStores {}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Opens the live connection for the lifetime of the calling component. */
export function useLiveState(): LiveState {
  const [stores] = useState(createLiveStores);
  const [connection, setConnection] = useState<ConnectionState>({
    status: 'connecting',
    detail: null,
  });

  useEffect(() => {
    const { store, alerts, charts, commands, components, fleet } = stores;
    // WebSocket first: with several web nodes, long-polling would need sticky sessions.
    // tryAllTransports falls back to polling where a proxy blocks WebSockets.
    const socket: LiveSocket = io({
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      autoConnect: false,
    });
    let failedAttempts = 0;
    let everLive = false;
    let signedOut = false;

    const report = (status: ConnectionStatus, detail: string | null) =>
      setConnection((prev) =>
        prev.status === status && prev.detail === detail ? prev : { status, detail },
      );
    const reportTrouble = (detail: string) => {
      if (!navigator.onLine) return report('offline', 'this computer is offline');
      if (failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS) return report('offline', detail);
      report(everLive ? 'reconnecting' : 'connecting', detail);
    };

    let fleetRequest: AbortController | null = null;
    // Devices and sensors: re-read on every snapshot, as the snapshot re-reads guards.
    const loadFleet = () => {
      fleetRequest?.abort();
      fleetRequest = new AbortController();
      void fleet.load(fleetRequest.signal);
    };

    let historyRequest: AbortController | null = null;
    const loadChartHistory = () => {
      historyRequest?.abort();
      const request = new AbortController();
      historyRequest = request;
      // Charts are secondary: if the history fails, live samples still fill them.
      fetchChartHistory(request.signal).then(
        (history) => charts.applyHistory(history),
        () => undefined,
      );
      // Likewise the field components: live reports fill them in if this fails.
      fetchFieldComponents(request.signal).then(
        (list) => components.applyList(list),
        () => undefined,
      );
    };

    socket.on(SERVER_EVENTS.snapshot, (snapshot) => {
      store.applySnapshot(snapshot);
      alerts.applySnapshot(snapshot.openAlerts ?? []);
      failedAttempts = 0;
      everLive = true;
      report('live', null);
      loadChartHistory();
      loadFleet();
    });
    socket.on(SERVER_EVENTS.guardPositions, (batch) => {
      store.applyPositions(batch);
      fleet.applyGuardPositions(batch);
    });
    socket.on(SERVER_EVENTS.alert, (alert) => {
      alerts.applyAlert(alert);
      fleet.applyAlert(alert);
    });
    socket.on(SERVER_EVENTS.guardStatus, (status) => store.applyGuardStatus(status));
    socket.on(SERVER_EVENTS.devicesStatus, (batch) => {
      store.applyDeviceStatuses(batch);
      fleet.applyDeviceStatuses(batch);
    });
    socket.on(SERVER_EVENTS.sensorReadings, (batch) => fleet.applySensorReadings(batch));
    socket.on(SERVER_EVENTS.chartSample, (sample) => charts.applySample(sample));
    socket.on(SERVER_EVENTS.componentHealth, (health) => {
      components.applyHealth(health);
      fleet.applyComponentHealth(health);
    });
    socket.on(SERVER_EVENTS.command, (command) => commands.applyCommand(command));
    socket.on(SERVER_EVENTS.commandDelivery, (delivery) => commands.applyDelivery(delivery));
    // 'connect' alone is not "live": the state is current only once this connection's snapshot
    // arrived, or when Socket.IO recovered the session (the server replayed what we missed).
    socket.on('connect', () => {
      failedAttempts = 0;
      if (socket.recovered && everLive) report('live', null);
    });
    socket.on('connect_error', (error) => {
      if ((error as Error & { data?: { code?: string } }).data?.code === SIGNED_OUT_CODE) {
        // Retrying with the same dead credentials would only be refused again, for ever.
        signedOut = true;
        socket.disconnect();
        report('signed-out', 'your access ended: sign in again or ask an admin for a new link');
        return;
      }
      failedAttempts += 1;
      reportTrouble(`cannot reach the server (${error.message})`);
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      // After a server-side disconnect Socket.IO does not retry on its own.
      if (reason === 'io server disconnect') socket.connect();
      reportTrouble(`connection lost: ${reason}`);
    });

    const onOffline = () => report('offline', 'this computer is offline');
    const onOnline = () => {
      if (socket.connected || signedOut) return;
      reportTrouble('network back, reconnecting');
      socket.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    // Connect on the next task: React's StrictMode mounts, unmounts and remounts at once in
    // development, and a connection opened and dropped within one task only adds noise.
    const connectTimer = setTimeout(() => socket.connect(), 0);

    return () => {
      clearTimeout(connectTimer);
      historyRequest?.abort();
      fleetRequest?.abort();
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [stores]);

  return { ...stores, ...connection };
}
