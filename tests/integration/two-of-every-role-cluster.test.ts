/**
 * Two of every role on a private Redis Cluster (three masters: Debian's
 * redis-server in cluster mode, joined with redis-cli --cluster create):
 * every process gets the nodes as REDIS_URL and REDIS_CLUSTER=true; the
 * queues, the broadcast event stream, the ingest slot leases, the Socket.IO
 * adapter, the process reports and the task statistics all live on it. The
 * scenario is tests/helpers/two-of-every-role.ts, as on a single Redis.
 */
import { describeTwoOfEveryRole } from '../helpers/two-of-every-role';

describeTwoOfEveryRole('cluster');
