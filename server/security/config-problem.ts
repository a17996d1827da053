/**
 * One unsafe setting found by the production checks. Its own file because
 * every check module returns it and production-checks.ts imports them all:
 * defined there, it made an import cycle.
 */
export interface ConfigProblem {
  variable: string;
  problem: string;
  fix: string;
}
