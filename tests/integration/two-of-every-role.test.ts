/**
 * Two of every role on the shared single Redis: two ingest, two worker and two
 * web processes, 2,400 mixed messages at 150 msg/s, one process of each role
 * killed with SIGKILL mid-run (the scenario: tests/helpers/two-of-every-role.ts;
 * the same on a Redis Cluster: two-of-every-role-cluster.test.ts).
 */
import { describeTwoOfEveryRole } from '../helpers/two-of-every-role';

describeTwoOfEveryRole('single');
