import { describe, expect, it } from 'vitest';
import { GpuDeviceLostError } from '../platform/gpu-device-lost';
import { WorkerCrashedError } from '../../workers/worker-crashed-error';
import { cpuRetryAction, describeError, failureNotice, RETRY_LABEL, RETRY_ON_CPU_LABEL, retryAction } from './run-notice';

/** An error as Comlink rebuilds it on the page after it crossed from a worker: a plain Error with the original name. */
const fromWorker = (name: string, message: string): Error => Object.assign(new Error(message), { name });

const retry = retryAction(() => undefined);
const onCpu = cpuRetryAction(() => undefined);

describe('failure notices', () => {
  it('a crashed or silently ended worker: its message, Retry and Retry on CPU (WebAssembly)', () => {
    const error = new WorkerCrashedError('The training', 'its worker ended without reporting an error', 'Retry.');
    const notice = failureNotice('Training failed', error, [retry, onCpu]);
    expect(notice.tone).toBe('error');
    expect(notice.text).toBe('Training failed: The training stopped unexpectedly (its worker ended without reporting an error). Retry.');
    expect(notice.retries?.map((r) => r.label)).toEqual([RETRY_LABEL, RETRY_ON_CPU_LABEL]);
    expect(notice.detail).toBeUndefined();
  });

  it('a lost GPU (named so across the worker boundary) offers the retries too', () => {
    const lost = fromWorker('GpuDeviceLostError', new GpuDeviceLostError('unknown: test').message);
    expect(failureNotice('The ablation failed', lost, [retry, onCpu]).retries).toHaveLength(2);
  });

  it('an error written for users passes as it is, without retries (it would fail again the same way)', () => {
    const error = fromWorker('ModelDataError', 'training diverged at epoch 3 (loss NaN); lower the learning rate');
    const notice = failureNotice('Training failed', error, [retry]);
    expect(notice.text).toBe('Training failed: training diverged at epoch 3 (loss NaN); lower the learning rate');
    expect(notice.retries).toBeUndefined();
    expect(notice.detail).toBeUndefined();
  });

  it('a technical message never reaches the user as the message: it goes under Technical details', () => {
    for (const error of [
      fromWorker('Error', 'scaler: feature PK_PRED is NaN on row 3'),
      new RangeError('Invalid typed array length: -1'),
      'a thrown string',
    ]) {
      const { text, detail } = describeError(error);
      expect(text).toMatch(/^An unexpected error inside the app stopped it\. Try again;/);
      expect(text).not.toMatch(/scaler|typed array|thrown string/);
      expect(detail).toMatch(/scaler: feature PK_PRED is NaN on row 3|Invalid typed array length|a thrown string/);
    }
    const notice = failureNotice('Training failed', new TypeError("Cannot read properties of undefined (reading 'push')"), [retry]);
    expect(notice.text).not.toContain('Cannot read');
    expect(notice.detail).toBe("TypeError: Cannot read properties of undefined (reading 'push')");
    expect(notice.retries).toBeUndefined();
  });
});
