/**
 * Dose histories: single doses (time in h, amount in mg) and their compression into regular blocks
 * (equal amounts at equal spacing), which lets superposition sum each block as a geometric series.
 */
export interface Dose {
  time: number;
  amount: number;
}

/** `count` doses of `amount` at start, start + interval, …; interval is 0 when count is 1. */
export interface DoseBlock {
  start: number;
  amount: number;
  interval: number;
  count: number;
}

/** Doses of `amount` every `interval` h, `count` times, from `start`. */
export function regimen(amount: number, interval: number, count: number, start = 0): Dose[] {
  const doses: Dose[] = [];
  for (let m = 0; m < count; m++) doses.push({ time: start + m * interval, amount });
  return doses;
}

const SAME = 1e-9;

/** Sorts doses by time (zero amounts dropped) and merges runs of equal amount and equal spacing. */
export function compressDoses(doses: readonly Dose[]): DoseBlock[] {
  const sorted = doses.filter((d) => d.amount !== 0).sort((a, b) => a.time - b.time);
  const blocks: DoseBlock[] = [];
  for (const dose of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && Math.abs(dose.amount - last.amount) <= SAME * Math.abs(last.amount)) {
      const lastTime = last.start + (last.count - 1) * last.interval;
      const gap = dose.time - lastTime;
      const scale = Math.max(1, Math.abs(dose.time));
      if (last.count === 1 && gap > SAME * scale) {
        last.interval = gap;
        last.count = 2;
        continue;
      }
      if (last.count > 1 && Math.abs(gap - last.interval) <= SAME * scale) {
        last.count++;
        continue;
      }
    }
    blocks.push({ start: dose.time, amount: dose.amount, interval: 0, count: 1 });
  }
  return blocks;
}

/**
 * For each time, the number of doses of the block given at or before it (a dose at exactly the
 * time is counted: for oral absorption it contributes nothing yet) and the time since the latest of them.
 */
export function dosesBefore(block: DoseBlock, time: number): { count: number; sinceLast: number } {
  if (time < block.start) return { count: 0, sinceLast: 0 };
  let count = block.count;
  if (block.count > 1) {
    const steps = Math.floor((time - block.start) / block.interval + 1e-9);
    count = Math.min(block.count, steps + 1);
  }
  const last = block.start + (count - 1) * block.interval;
  return { count, sinceLast: Math.max(0, time - last) };
}
