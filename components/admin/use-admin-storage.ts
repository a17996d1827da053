'use client';
/**
 * The storage view's data: one read over REST, then what the server pushes to
 * the admin room every ADMIN_STORAGE_PUSH_MS (no polling).
 */
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@/contract/socket-events';
import type { StorageDto } from '@/contract/admin';
import { getJson } from './admin-api';

export interface AdminStorageState {
  storage: StorageDto | null;
  connected: boolean;
  error: string | null;
}

/** Opens the admin connection for the lifetime of the calling component. */
export function useAdminStorage(): AdminStorageState {
  const [storage, setStorage] = useState<StorageDto | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const request = new AbortController();
    getJson<StorageDto>('/api/admin/storage', request.signal).then(
      (body) => setStorage((pushed) => pushed ?? body),
      (err: Error) => {
        if (err.name !== 'AbortError') setError(err.message);
      },
    );
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    socket.on('connect', () => setConnected(true));
    socket.on('disconnect', () => setConnected(false));
    socket.on(SERVER_EVENTS.adminStorage, (next) => {
      setStorage(next);
      setError(null);
    });
    return () => {
      request.abort();
      socket.close();
    };
  }, []);

  return { storage, connected, error };
}
