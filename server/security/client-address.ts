/**
 * The client's address as the web node saw it, handed to Next route handlers
 * in a header of our own (any client-sent copy is overwritten), so login rate
 * limiting cannot be dodged with a forged X-Forwarded-For.
 */
import type { IncomingMessage } from 'node:http';

export const CLIENT_ADDRESS_HEADER = 'x-watchfloor-client-address';

/** Sets the header: the socket's peer, or behind a trusted proxy the last X-Forwarded-For hop. */
export function stampClientAddress(req: IncomingMessage, trustProxy: boolean): void {
  let address = req.socket.remoteAddress ?? '';
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
    // The proxy appends the peer it saw: the last hop is the one we can trust.
    const last = hops
      .map((h) => h.trim())
      .filter(Boolean)
      .pop();
    if (last) address = last;
  }
  req.headers[CLIENT_ADDRESS_HEADER] = address;
}
