/** Runs a bench's main and exits: 0 when it finished, 1 (with the error printed) when it threw. Open handles (clients, timers) do not keep the process alive. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
