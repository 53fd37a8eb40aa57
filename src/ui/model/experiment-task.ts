/**
 * The state of one long experiment run from a panel: running or not, its latest progress, its
 * result (possibly partial, when cancelled) or its failure as a notice (with Retry, and "Retry on
 * CPU (WebAssembly)" when a GPU was involved, after a crashed or lost worker), and cancelling
 * through an AbortController. Leaving the page (disconnecting the host) cancels the run.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BackendRequest } from '../../platform/compute-backend';
import { cpuRetryAction, failureNotice, type Notice, offerCpuRetry, retryAction } from '../run-notice';

export type TaskRunner<P, R> = (onProgress: (progress: P) => void, signal: AbortSignal, backend: BackendRequest) => Promise<R>;

export class ExperimentTask<P, R> implements ReactiveController {
  running = false;
  cancelling = false;
  progress: P | null = null;
  result: R | null = null;
  /** The last run's failure, in words, with its retry buttons; null unless it failed. */
  notice: Notice | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** What a failure is called, e.g. "The ablation failed". */
    private readonly failed: string,
    /** Called with every progress report (e.g. to collect partial results). */
    private readonly onProgress: (progress: P) => void = () => undefined,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
  }

  /** Runs `runner` on `backend` (the experiments' policy, 'auto', unless a retry asks for the CPU path). */
  async start(runner: TaskRunner<P, R>, backend: BackendRequest = 'auto'): Promise<void> {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = true;
    this.progress = null;
    this.result = null;
    this.notice = null;
    this.host.requestUpdate();
    try {
      this.result = await runner(
        (progress) => {
          // Progress comes on a channel of its own: an event of this run arriving after its result (a pool's
          // last cells) or of a run that was replaced is dropped, not drawn again.
          if (this.abort !== abort) return;
          this.progress = progress;
          this.onProgress(progress);
          this.host.requestUpdate();
        },
        abort.signal,
        backend,
      );
    } catch (error) {
      const onCpu = await offerCpuRetry(backend, error);
      this.notice = failureNotice(this.failed, error, [
        retryAction(() => void this.start(runner, backend)),
        ...(onCpu ? [cpuRetryAction(() => void this.start(runner, 'wasm'))] : []),
      ]);
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
