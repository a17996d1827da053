/**
 * The one body reader of the API routes: reads the stream chunk by chunk,
 * stops (and cancels the rest) as soon as the route's byte cap is passed, and
 * refuses content types the route does not parse. Nothing is buffered beyond
 * the cap, whatever Content-Length claims or when there is none (chunked).
 */
import type { z } from 'zod';
import { AppError } from '../errors';
import { bodyRuleFor, FORM_TYPE, JSON_TYPE, mediaType, type BodyRule } from './body-limits';

/** 413: the body is over the route's cap. */
export class BodyTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super('BODY_TOO_LARGE', `body over ${maxBytes} bytes`, 413, { maxBytes });
    this.name = 'BodyTooLargeError';
  }
}

/** 415: a content type the route does not parse. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(type: string, accepted: readonly string[]) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `content type ${type || '(none)'} not accepted; send ${accepted.join(' or ')}`,
      415,
      { accepted },
    );
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** The rule for this request's path. */
export function ruleOf(request: Request): BodyRule {
  return bodyRuleFor(new URL(request.url).pathname);
}

/** Reads the body (at most rule.maxBytes) after checking its type; returns it with its media type. */
export async function readBody(
  request: Request,
  rule: BodyRule = ruleOf(request),
): Promise<{ type: string; bytes: Buffer }> {
  const type = mediaType(request.headers.get('content-type'));
  if (type && !rule.types.includes(type)) throw new UnsupportedMediaTypeError(type, rule.types);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > rule.maxBytes) throw new BodyTooLargeError(rule.maxBytes);
  if (!request.body) return { type, bytes: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > rule.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(rule.maxBytes);
    }
    chunks.push(value);
  }
  // A body without a declared type is accepted only when it is empty.
  if (total > 0 && !type) throw new UnsupportedMediaTypeError(type, rule.types);
  return { type, bytes: Buffer.concat(chunks) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError('INVALID_BODY', 'body is not UTF-8', 400);
  }
}

/**
 * The body as a plain object: JSON, or (where the route accepts it) a
 * url-encoded form. An empty body is `{}`.
 */
export async function readFields(request: Request, rule?: BodyRule): Promise<unknown> {
  const { type, bytes } = await readBody(request, rule);
  const text = decode(bytes);
  if (!text.length) return {};
  if (type === FORM_TYPE) return Object.fromEntries(new URLSearchParams(text));
  if (type !== JSON_TYPE) throw new UnsupportedMediaTypeError(type, [JSON_TYPE]);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('INVALID_JSON', 'body is not JSON', 400);
  }
}

/** Reads and validates a JSON body under the route's rule (server/http/body-limits.ts). */
export async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(await readFields(request));
}
