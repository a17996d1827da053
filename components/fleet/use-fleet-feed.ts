'use client';
/**
 * A fleet store with its own live connection, for pages without the live
 * map's (the admin page): loaded on every (re)connect, then fed the same
 * coalesced batches the supervisor screen gets.
 */
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@/contract/socket-events';
import { createFleetStore, type FleetStore } from './fleet-store';

/** The store, live while the calling component is mounted. */
export function useFleetFeed(): FleetStore {
  const [fleet] = useState(createFleetStore);
  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    let request: AbortController | null = null;
    // The snapshot says this connection's rooms are set: what arrives from here on is applied.
    socket.on(SERVER_EVENTS.snapshot, () => {
      request?.abort();
      request = new AbortController();
      void fleet.load(request.signal);
    });
    socket.on(SERVER_EVENTS.devicesStatus, (batch) => fleet.applyDeviceStatuses(batch));
    // A device's last seen also counts its guard's fixes and its own health reports.
    socket.on(SERVER_EVENTS.guardPositions, (batch) => fleet.applyGuardPositions(batch));
    socket.on(SERVER_EVENTS.componentHealth, (health) => fleet.applyComponentHealth(health));
    socket.on(SERVER_EVENTS.sensorReadings, (batch) => fleet.applySensorReadings(batch));
    socket.on(SERVER_EVENTS.alert, (alert) => fleet.applyAlert(alert));
    return () => {
      request?.abort();
      socket.close();
    };
  }, [fleet]);
  return fleet;
}
