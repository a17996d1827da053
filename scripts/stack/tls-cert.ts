/**
 * A self-signed certificate for the TLS listener of the local broker and of
 * tests' private brokers (deploy/mosquitto/watchfloor.conf.template), made
 * with Debian's openssl. A deployment uses a real certificate instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Creates `tls-cert.pem` and `tls-key.pem` in `dir` unless they exist; valid for 127.0.0.1 and localhost. */
export function ensureSelfSignedCert(dir: string): TlsFiles {
  const files = {
    certFile: path.join(dir, 'tls-cert.pem'),
    keyFile: path.join(dir, 'tls-key.pem'),
  };
  if (existsSync(files.certFile) && existsSync(files.keyFile)) return files;
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      files.keyFile,
      '-out',
      files.certFile,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`openssl could not create a certificate: ${result.stderr || result.error}`);
  }
  return files;
}
