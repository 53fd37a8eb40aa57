import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitFeatureModel } from '../data/features/model';
import { csvDataset } from '../data/features/test-support';
import { type Branch, observationInputs, type PkPdModel } from '../model/pkpd-model';
import { GpuDeviceLostError } from '../platform/gpu-device-lost';
import { WorkerCrashedError } from '../../workers/worker-crashed-error';
import {
  cpuRetryAction,
  describeError,
  failureNotice,
  RETRY_LABEL,
  RETRY_ON_CPU_LABEL,
  retryAction,
  USER_FACING_ERRORS,
} from './run-notice';

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
    const message =
      'Training diverged at epoch 3 (the training loss became NaN). Lower the learning rate (under Advanced) or choose another seed, and train again.';
    const notice = failureNotice('Training failed', fromWorker('ModelDataError', message), [retry]);
    expect(notice.text).toBe(`Training failed: ${message}`);
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

describe('which errors are shown as written', () => {
  const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  /** Error classes of the app whose messages are not shown as written, and why. */
  const NOT_SHOWN_AS_WRITTEN: Readonly<Record<string, string>> = {
    QuantumShapeError: 'shape checks of circuits and architectures, whose inputs are checked in words before',
    NonLinearPermutationError: 'compiling a circuit for the WGSL kernels',
    DoseSearchCancelledError: 'a cancelled run, reported as cancelled',
    FitCancelledError: 'a cancelled run, reported as cancelled',
    DoseRunCancelledError: 'a cancelled run, reported as cancelled',
    IngestCancelledError: 'a cancelled file read, reported as cancelled',
    SubWorkerFailed: "caught inside the quantum layer's batch runner, which redoes the batch on one thread",
  };

  function errorClasses(folder: string): string[] {
    const names: string[] = [];
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      for (const m of source.matchAll(/class (\w+) extends Error\b/g)) names.push(m[1]);
    }
    return names;
  }

  it('every error class of the app (the headless runner aside) is written for users or known not to be shown as written', () => {
    const classes = [...errorClasses('src'), ...errorClasses('workers')].filter((name) => !['FitInputError'].includes(name));
    expect(classes.length).toBeGreaterThan(20);
    const unclassified = classes.filter((name) => !USER_FACING_ERRORS.has(name) && !(name in NOT_SHOWN_AS_WRITTEN));
    expect(unclassified).toEqual([]);
    for (const name of USER_FACING_ERRORS) expect(classes, name).toContain(name);
  });

  it('a file whose doses the networks cannot model yet is refused in its own words, not as an unexpected error', () => {
    const dataset = csvDataset(
      ['ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW,SS,II', '1,0,.,1,1,10,1,0,70,1,24', '1,2,0.5,0,0,0,2,1,70,0,0'],
      'steady.csv',
    );
    let error: unknown = null;
    try {
      fitFeatureModel(dataset, { dvid: 1, eliminationRate: 0.05, pkShape: { ka: 1, alpha: 0.1, rho: 0.5 } }, [0]);
    } catch (e) {
      error = fromWorker((e as Error).name, (e as Error).message);
    }
    const notice = failureNotice('Training failed', error);
    expect(notice.text).toMatch(/^Training failed: steady\.csv has doses at steady state \(SS\)/);
    expect(notice.detail).toBeUndefined();
  });

  it('a broken invariant of the model code is an unexpected error, its technical text folded', () => {
    const dataset = csvDataset([
      'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW',
      '1,0,.,1,1,10,1,0,70',
      '1,2,0.5,0,0,0,2,1,70',
      '1,3,5,0,0,0,3,2,70',
    ]);
    const featureModel = fitFeatureModel(dataset, { dvid: 2, eliminationRate: 0.05, pkShape: { ka: 1, alpha: 0.1, rho: 0.5 } }, [0]);
    const pd = { name: 'pd', featureModel, cascadeInput: true, targets: [{ name: 'pd', logTarget: false }] } as unknown as Branch;
    const model = { mode: 'cascade', encoder: 'mlp', branches: [pd], classification: null } as unknown as PkPdModel;
    let error: unknown = null;
    try {
      observationInputs(model, pd, dataset, [0], pd.targets[0]);
    } catch (e) {
      error = fromWorker((e as Error).name, (e as Error).message);
    }
    const notice = failureNotice('The predictions could not be computed', error);
    expect(notice.text).toMatch(/^The predictions could not be computed: An unexpected error inside the app stopped it\./);
    expect(notice.detail).toBe('Error: cascade: the model has no PK branch');
  });
});
