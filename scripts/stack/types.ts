/** The shape every local-service module hands back to the stack manager. */

/** external: the URL came from the environment; reused: a local instance was already up; started: this call started it. */
export type ServiceOrigin = 'external' | 'reused' | 'started';

export interface ServiceHandle {
  name: 'postgres' | 'redis' | 'mosquitto';
  url: string;
  origin: ServiceOrigin;
  /** Stops the service only when this handle started it; otherwise does nothing. */
  stop(): Promise<void>;
}

/** Where progress messages go; the CLI prints them, tests may silence them. */
export type Log = (message: string) => void;

/** Host and numeric port of a service URL, with the scheme's default port filled in. */
export function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : defaultPort };
}
