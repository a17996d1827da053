/**
 * One webhook POST: the signed JSON body to a checked URL, connecting only to
 * addresses the target policy allows (the check runs inside the connection's
 * DNS lookup). A non-2xx answer is a failure; the caller's breaker and the
 * job's retries decide what happens next.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { AppError } from '../errors';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { checkWebhookUrl, guardedLookup, type TargetPolicy } from './webhook-target';

/** The receiver answered, but not with 2xx. */
export class WebhookHttpError extends AppError {
  constructor(readonly statusCode: number) {
    super('WEBHOOK_HTTP_STATUS', `receiver answered HTTP ${statusCode}`, 502);
    this.name = 'WebhookHttpError';
  }
}

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
}

export interface WebhookAnswer {
  statusCode: number;
}

/** Answers larger than this are not read: we only need the status. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Sends one request; resolves on 2xx, rejects otherwise (or when `signal` aborts). */
export function postWebhook(
  request: WebhookRequest,
  policy: TargetPolicy,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<WebhookAnswer> {
  const url = checkWebhookUrl(request.url, policy);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookAnswer>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        signal,
        // A literal address never goes through lookup; checkWebhookUrl vetted it above.
        lookup: isIP(url.hostname.replace(/^\[|\]$/g, '')) ? undefined : guardedLookup(policy),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'Watchfloor-Escalation/1',
          [SIGNATURE_HEADER]: signWebhook(request.secret, request.body, now()),
          [DELIVERY_HEADER]: request.deliveryId,
        },
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('error', () => undefined);
        res.on('close', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ statusCode: status });
          else reject(new WebhookHttpError(status));
        });
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
