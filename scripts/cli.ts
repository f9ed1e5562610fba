/** A wrong command line: the operator reads the message (usually the usage) and the process exits 2. */
export class UsageError extends Error {}

/**
 * Runs a command-line script's `main` and sets the exit code: what `main` returns; 2 for a
 * UsageError (its message on stderr); 1 for any other failure, `<what> failed` and the error.
 */
export function runCli(main: () => Promise<number>, failed: (error: unknown) => string): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${failed(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
