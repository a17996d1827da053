/**
 * `npm start`: the server (server/index.ts), with the local stack's broker
 * credentials filled in when MQTT_URL is unset or names the local broker and
 * the environment lacks them (scripts/lib/local-stack-env.ts). Anywhere else
 * the environment is used as it is.
 */
import { withLocalStackCredentials } from './lib/local-stack-env';

Object.assign(process.env, withLocalStackCredentials(process.env));
// Imported after the environment is complete: the server reads it as it loads.
void import('../server/index');
