/**
 * Turns raw MQTT payload bytes into a JSON value, refusing anything oversize,
 * not strict UTF-8, not JSON, or nested deeper than allowed. Each refusal has
 * a stable reason that metrics and the quarantine count by.
 */

export type DecodeFailure = 'oversize' | 'invalid_utf8' | 'invalid_json' | 'too_deep';

export type DecodeResult =
  { ok: true; value: unknown } | { ok: false; reason: DecodeFailure; detail: string };

export interface DecodeLimits {
  maxBytes: number;
  maxDepth: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes a payload under the given limits. */
export function decodePayload(payload: Uint8Array, limits: DecodeLimits): DecodeResult {
  if (payload.byteLength > limits.maxBytes) {
    return {
      ok: false,
      reason: 'oversize',
      detail: `${payload.byteLength} bytes > ${limits.maxBytes}`,
    };
  }
  let text: string;
  try {
    text = strictUtf8.decode(payload);
  } catch {
    return { ok: false, reason: 'invalid_utf8', detail: 'payload is not valid UTF-8' };
  }
  // Measure nesting before parsing, so a hostile payload never reaches the parser's recursion.
  const depth = jsonNestingDepth(text);
  if (depth > limits.maxDepth) {
    return { ok: false, reason: 'too_deep', detail: `nesting depth > ${limits.maxDepth}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: 'invalid_json', detail: (error as Error).message.slice(0, 120) };
  }
}

/** Deepest bracket nesting of a JSON text, ignoring brackets inside strings. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}
