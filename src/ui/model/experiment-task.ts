/**
 * The state of one long experiment run from a panel: running or not, its latest progress, its
 * result (possibly partial, when cancelled) or error, and cancelling through an AbortController.
 * Leaving the page (disconnecting the host) cancels the run.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type TaskRunner<P, R> = (onProgress: (progress: P) => void, signal: AbortSignal) => Promise<R>;

export class ExperimentTask<P, R> implements ReactiveController {
  running = false;
  cancelling = false;
  progress: P | null = null;
  result: R | null = null;
  error: string | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Called with every progress report (e.g. to collect partial results). */
    private readonly onProgress: (progress: P) => void = () => undefined,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
  }

  async start(runner: TaskRunner<P, R>): Promise<void> {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = true;
    this.progress = null;
    this.result = null;
    this.error = null;
    this.host.requestUpdate();
    try {
      this.result = await runner((progress) => {
        this.progress = progress;
        this.onProgress(progress);
        this.host.requestUpdate();
      }, abort.signal);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.running = false;
      this.cancelling = false;
      this.abort = null;
      this.host.requestUpdate();
    }
  }

  cancel(): void {
    if (!this.abort) return;
    this.cancelling = true;
    this.abort.abort();
    this.host.requestUpdate();
  }
}
