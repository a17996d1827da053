'use client';
/** Refused MQTT messages, newest first; topic, detail and preview are shown as plain text. */
import { useState } from 'react';
import type { QuarantinedMessage } from '@/contract/admin';
import { useJson } from './use-json';
import { formatBytes, formatCount, formatTime } from './format';

const PAGE_SIZE = 50;

interface QuarantinePage {
  total: number;
  items: QuarantinedMessage[];
}

/** One page of the quarantine; `version` changes when it should re-read. */
export function QuarantineTable({ version }: { version: string }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useJson<QuarantinePage>(
    `/api/admin/quarantine?offset=${offset}&limit=${PAGE_SIZE}`,
    version,
  );

  return (
    <div>
      {error && <p className="wf-admin-error">{error}</p>}
      <div className="wf-admin-table-wrap">
        <table className="wf-admin-table" data-testid="quarantine-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Reason</th>
              <th scope="col">Topic</th>
              <th scope="col" className="wf-num">
                Size
              </th>
              <th scope="col">Detail</th>
              <th scope="col">First bytes</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.length === 0 && (
              <tr>
                <td colSpan={6} className="wf-admin-muted">
                  Nothing refused.
                </td>
              </tr>
            )}
            {data?.items.map((m, i) => (
              <tr key={`${offset + i}`}>
                <td>{formatTime(m.at)}</td>
                <td>
                  <span className="wf-admin-tag">{m.reason}</span>
                </td>
                <td className="wf-admin-clip">
                  <code className="wf-admin-code">{m.topic}</code>
                </td>
                <td className="wf-num">{formatBytes(m.size)}</td>
                <td className="wf-admin-clip">{m.detail}</td>
                <td className="wf-admin-clip">
                  <code className="wf-admin-muted">{m.preview}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="wf-admin-pager">
        <button
          type="button"
          className="wf-button"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        >
          Newer
        </button>
        <span className="wf-admin-muted">
          {formatCount(data?.total ?? 0)} refused messages kept
        </span>
        <button
          type="button"
          className="wf-button"
          disabled={offset + PAGE_SIZE >= (data?.total ?? 0)}
          onClick={() => setOffset(offset + PAGE_SIZE)}
        >
          Older
        </button>
      </div>
    </div>
  );
}
