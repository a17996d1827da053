/**
 * The body limits (server/http/body-limits.ts) enforced at the HTTP entry,
 * before Next.js reads a byte: a wrong content type gets 415, a declared
 * length over the cap 413 at once, and a chunked body is counted as it
 * arrives and cut off with 413 as soon as it passes the cap. Nothing past
 * the cap is handed on or kept: the connection is closed after the answer.
 *
 * The route's own reader (read-body.ts) checks again; this gate is what keeps
 * a 10 MB body from ever being buffered by the framework's request adapter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyRuleFor, mediaType, type BodyRule } from './body-limits';

/** After a refusal, how long the client may take to read the answer before the socket is cut. */
const CLOSE_GRACE_MS = 2_000;

function refuse(req: IncomingMessage, res: ServerResponse, status: 413 | 415, rule: BodyRule) {
  const error =
    status === 413
      ? { code: 'BODY_TOO_LARGE', message: `body over ${rule.maxBytes} bytes` }
      : {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: `content type not accepted; send ${rule.types.join(' or ')}`,
        };
  if (!res.headersSent) {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      connection: 'close',
    });
    res.end(JSON.stringify({ error }));
  }
  // Whatever is still arriving is never read into memory: the socket goes once answered.
  const cut = () => setTimeout(() => req.destroy(), CLOSE_GRACE_MS).unref();
  if (res.writableFinished) cut();
  else res.once('finish', cut);
}

/**
 * Checks the request against its path's rule. Returns false when it answered
 * (the caller stops); true to go on. Chunked bodies keep being counted after.
 */
export function gateRequestBody(req: IncomingMessage, res: ServerResponse, pathname: string) {
  const rule = bodyRuleFor(pathname);
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  const hasBody = chunked || (declared !== undefined && Number(declared) > 0);
  if (!hasBody) return true;
  const type = mediaType(req.headers['content-type']);
  if (!rule.types.includes(type)) {
    refuse(req, res, 415, rule);
    return false;
  }
  if (declared !== undefined && Number(declared) > rule.maxBytes) {
    refuse(req, res, 413, rule);
    return false;
  }
  // No trustworthy length: count what the parser pushes into the request stream and
  // stop passing it on (and stop keeping it) past the cap.
  let total = 0;
  let refused = false;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (refused) return false;
    if (chunk !== null && chunk !== undefined) {
      total += (chunk as Buffer).length;
      if (total > rule.maxBytes) {
        refused = true;
        refuse(req, res, 413, rule);
        return false;
      }
    }
    return push(chunk, encoding);
  };
  return true;
}
