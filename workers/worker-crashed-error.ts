/** A worker died while it ran a call (an uncaught exception, a script that failed to load, an unreadable message). */
export class WorkerCrashedError extends Error {
  /**
   * @param work what stopped, as the start of a sentence ("The training")
   * @param detail the browser's description of the failure, when it gave one
   * @param advice what the user can do now
   */
  constructor(work: string, detail: string, advice: string) {
    super(`${work} stopped unexpectedly${detail ? ` (${detail})` : ''}. ${advice}`);
    this.name = 'WorkerCrashedError';
  }
}
