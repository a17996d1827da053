'use client';
/**
 * Loads the history pages the feed's filter asks for: the first page when the
 * filter changes, the next on loadMore(); nothing for the live-only filters.
 */
import { useEffect, useRef, useState } from 'react';
import type { AlertDto } from '@/contract/alerts';
import type { AlertFilter } from './alert-filters';
import { fetchAlertHistory, historyQuery, needsHistory } from './alert-history';

export interface AlertHistory {
  alerts: readonly AlertDto[];
  loading: boolean;
  error: string | null;
  /** More pages on the server. */
  hasMore: boolean;
  loadMore(): void;
}

const NONE: readonly AlertDto[] = [];

interface Loaded {
  /** The query the pages answer: an answer for another filter is never shown. */
  query: string;
  alerts: readonly AlertDto[];
  cursor: string | null;
  error: string | null;
}

const describe = (err: Error) => `History not loaded: ${err.message}`;

export function useAlertHistory(filter: AlertFilter): AlertHistory {
  const query = needsHistory(filter) ? historyQuery(filter) : '';
  const [loaded, setLoaded] = useState<Loaded>({
    query: '',
    alerts: NONE,
    cursor: null,
    error: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const more = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    fetchAlertHistory(query, null, controller.signal).then(
      (page) => setLoaded({ query, alerts: page.alerts, cursor: page.nextCursor, error: null }),
      (err: Error) => {
        if (!controller.signal.aborted) {
          setLoaded({ query, alerts: NONE, cursor: null, error: describe(err) });
        }
      },
    );
    return () => {
      controller.abort();
      more.current?.abort();
    };
  }, [query]);

  const current = query !== '' && loaded.query === query;
  return {
    alerts: current ? loaded.alerts : NONE,
    loading: query !== '' && (!current || loadingMore),
    error: current ? loaded.error : null,
    hasMore: current && loaded.cursor !== null,
    loadMore() {
      if (!current || !loaded.cursor || loadingMore) return;
      const controller = new AbortController();
      more.current = controller;
      setLoadingMore(true);
      fetchAlertHistory(query, loaded.cursor, controller.signal)
        .then(
          (page) =>
            setLoaded((before) =>
              before.query !== query
                ? before
                : {
                    query,
                    alerts: [...before.alerts, ...page.alerts],
                    cursor: page.nextCursor,
                    error: null,
                  },
            ),
          (err: Error) => {
            if (!controller.signal.aborted)
              setLoaded((before) => ({ ...before, error: describe(err) }));
          },
        )
        .finally(() => setLoadingMore(false));
    },
  };
}
