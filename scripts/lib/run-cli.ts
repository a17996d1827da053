/** The tail every command-line script shares. */

/** Runs main with the arguments and exits with its code; an error prints its message (prefixed) and exits 1. */
export function runCli(prefix: string, main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(prefix ? `[${prefix}] ${message}` : message);
      process.exitCode = 1;
    },
  );
}
