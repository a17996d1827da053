'use client';
/** Reads a JSON resource of the admin API, again whenever `reload()` is called. */
import { useCallback, useEffect, useState } from 'react';
import { getJson } from './admin-api';

export interface JsonResource<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** `path` null: nothing to read yet. */
export function useJson<T>(path: string | null): JsonResource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

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
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload };
}
