/** Reads the certificate and key for HTTPS served by the web node itself. */
import { readFileSync } from 'node:fs';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** The PEM files named by TLS_CERT_FILE / TLS_KEY_FILE, or null when neither is set. */
export function loadTlsFiles(config: {
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
}): TlsFiles | null {
  if (!config.TLS_CERT_FILE && !config.TLS_KEY_FILE) return null;
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) {
    throw new Error('set both TLS_CERT_FILE and TLS_KEY_FILE, or neither');
  }
  return { cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) };
}
