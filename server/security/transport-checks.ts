/**
 * Production checks of how the server reaches Redis and the MQTT broker
 * (server/security/production-checks.ts runs them with the others):
 *
 * - Redis holds the jobs, the login limiter and the quarantine: besides TLS
 *   (rediss://, or REDIS_TLS_WAIVED), it must ask for credentials, an ACL
 *   user or a password in the URL. TLS without authentication still lets any
 *   host on the network write jobs.
 * - MQTT carries every device message and command: mqtts:// (or wss://),
 *   unless MQTT_TLS_WAIVED=private-network says the broker is reachable only
 *   on a private network, like REDIS_TLS_WAIVED.
 *
 * The local demo (LOCAL_DEMO, loopback only) waives both.
 */
import type { Config } from '../config';
import { redisNodeUrls } from '../redis';
import type { ConfigProblem } from './config-problem';

const MQTT_TLS_SCHEMES = new Set(['mqtts:', 'wss:']);

/** The problems of a production config's Redis and MQTT URLs. */
export function transportProblems(config: Config): ConfigProblem[] {
  if (config.LOCAL_DEMO) return [];
  const problems: ConfigProblem[] = [];
  // Every cluster node is reached with the first URL's credentials (server/redis.ts).
  const redis = new URL(redisNodeUrls(config.REDIS_URL)[0]!);
  if (!redis.username && !redis.password) {
    problems.push({
      variable: 'REDIS_URL',
      problem:
        'no credentials: anyone who reaches Redis could write jobs, limiter keys and the quarantine',
      fix: 'give Redis an ACL user (or requirepass) and put it in the URL: rediss://<user>:<password>@host:port',
    });
  }
  const usesMqtt = config.ROLES.includes('ingest') || config.ROLES.includes('worker');
  const mqttScheme = new URL(config.MQTT_URL).protocol;
  if (usesMqtt && !MQTT_TLS_SCHEMES.has(mqttScheme) && !config.MQTT_TLS_WAIVED) {
    problems.push({
      variable: 'MQTT_URL',
      problem: `${mqttScheme}// is not TLS: device messages, commands and broker passwords would cross the network in plain text`,
      fix: 'use an mqtts:// URL (the TLS listener of deploy/mosquitto/watchfloor.conf.template), or set MQTT_TLS_WAIVED=private-network if the broker is only reachable on a private network',
    });
  }
  return problems;
}
