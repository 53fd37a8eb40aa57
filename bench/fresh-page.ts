import { openHeadlessSession } from '../scripts/headless-driver';

/**
 * Runs headless commands each on a fresh page with a thread setting (`?threads=N`), building the app before the
 * first one unless `build` is false; returns the command's output and its wall time seen from Node.
 */
export function freshPageRunner(
  build: boolean,
): <T>(command: string, args: unknown, threads: number) => Promise<{ wall: number; output: T }> {
  let built = !build;
  return async <T>(command: string, args: unknown, threads: number) => {
    const session = await openHeadlessSession({ build: !built, threads });
    built = true;
    try {
      const started = performance.now();
      const output = await session.run<T>(command, args);
      return { wall: performance.now() - started, output };
    } finally {
      await session.close();
    }
  };
}
