'use client';
/** Reads a JSON resource of the admin API, again whenever `reload()` is called. */
import { useCallback, useEffect, useState } from 'react';
import { getJson } from './admin-api';

export interface JsonResource<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** `path` null: nothing to read yet; a new `version` (from the caller) reads again too. */
export function useJson<T>(path: string | null, version: string | number = 0): JsonResource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (!path) return;
    const request = new AbortController();
    getJson<T>(path, request.signal).then(
      (body) => {
        setData(body);
        setError(null);
      },
      (err: Error) => {
        if (err.name !== 'AbortError') setError(err.message);
      },
    );
    return () => request.abort();
  }, [path, version, reloads]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { data, error, reload };
}
