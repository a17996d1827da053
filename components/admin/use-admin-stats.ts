'use client';
/**
 * The admin page's live data: one read of routes and queues over REST, then
 * the statistics the server pushes to the admin room (no polling), and
 * command changes as they happen.
 */
import { useCallback, useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@/contract/socket-events';
import type { AdminStatsDto, RouteStatsDto } from '@/contract/admin';
import type { CommandDto } from '@/contract/commands';
import { getJson } from './admin-api';

export interface AdminStatsState {
  stats: AdminStatsDto | null;
  connected: boolean;
  error: string | null;
  /** The latest change of each command seen on this page, by id. */
  commandChanges: Map<string, CommandDto>;
  /** Re-reads over REST (after an action, so the page does not wait for the next push). */
  refresh(): void;
}

/** Opens the admin connection for the lifetime of the calling component. */
export function useAdminStats(): AdminStatsState {
  const [stats, setStats] = useState<AdminStatsDto | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [commandChanges, setCommandChanges] = useState(() => new Map<string, CommandDto>());

  const refresh = useCallback(() => {
    Promise.all([
      getJson<{ routes: RouteStatsDto[] }>('/api/admin/routes'),
      getJson<Omit<AdminStatsDto, 'routes'>>('/api/admin/queues'),
    ]).then(
      ([{ routes }, { at, queues, breakers, processes }]) => {
        setStats({ at, routes, queues, breakers, processes });
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, []);

  useEffect(() => {
    refresh();
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    socket.on('connect', () => setConnected(true));
    socket.on('disconnect', () => setConnected(false));
    socket.on(SERVER_EVENTS.adminStats, (next) => {
      setStats(next);
      setError(null);
    });
    socket.on(SERVER_EVENTS.command, (command) =>
      setCommandChanges((prev) => new Map(prev).set(command.id, command)),
    );
    return () => {
      socket.close();
    };
  }, [refresh]);

  return { stats, connected, error, commandChanges, refresh };
}
