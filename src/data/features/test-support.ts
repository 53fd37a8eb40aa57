/** Helpers shared by the feature and split tests (not used by the app). */
import { ingestText } from '../ingest';
import type { Dataset } from '../types';
import { readEstDataCsv } from '../../testing/fixture-files';

export function csvDataset(lines: readonly string[], fileName = 'trial.csv'): Dataset {
  const result = ingestText(lines.join('\n'), fileName);
  if (!result.ok) throw new Error(`test dataset rejected: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.dataset;
}

let estData: Dataset | undefined;
export function loadEstData(): Dataset {
  estData ??= csvDataset([readEstDataCsv()], 'EstData.csv');
  return estData;
}

/** Unit-dose shape of the features, summed naively over doses strictly before t (the reference formula). */
export function naiveShapeSum(
  doses: readonly { t: number; a: number }[],
  t: number,
  k: number,
  shape: { ka: number; alpha: number; rho: number },
): number {
  let sum = 0;
  for (const d of doses) {
    const dt = t - d.t;
    if (dt <= 0) continue;
    const { ka, alpha, rho } = shape;
    sum +=
      d.a *
      ((1 - rho) * (ka / (ka - k)) * (Math.exp(-k * dt) - Math.exp(-ka * dt)) +
        rho * (ka / (ka - alpha)) * (Math.exp(-alpha * dt) - Math.exp(-ka * dt)));
  }
  return sum;
}

/** Seeded standard normal (Box–Muller over mulberry32). */
export function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
