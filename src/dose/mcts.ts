/**
 * Monte Carlo Tree Search over a dose grid — the reference system's optimiser, redone so that its
 * result is the answer it reports (the reference kept the smallest sampled dose that met the target
 * but its tree only ever looked at one level, and a grid search replaced it when sampling missed).
 *
 * Tree: the root holds the whole grid; a node's two children hold the lower and upper halves of its
 * index range, down to single doses. An iteration descends by UCB1 (unvisited children first),
 * expands the node it stops at, rolls out by evaluating a dose drawn uniformly from that node's range
 * (preferring doses not yet evaluated), and backs the reward up the path. The reward is the
 * reference's "closeness to the target", sharpened: exp(−|fraction − target| / width) (width 0.05 by
 * default). With a monotone dose–response it peaks at the two doses that straddle the target —
 * exactly the pair that decides the answer — so the tree concentrates there.
 *
 * Result: the smallest evaluated dose that reaches the target. It is certified when the grid dose
 * just below it was evaluated and falls short (or it is the smallest grid dose); the search stops
 * as soon as that holds, or after `iterations`.
 */
import { createRng } from '../pkpd/random';
import type { FractionAt } from './grid-search';

export interface MctsOptions {
  /** Most iterations (default 400). */
  iterations?: number;
  /** UCB1 exploration constant (default 2; rewards lie in [0, 1]). */
  exploration?: number;
  /** Width of the reward around the target, in fraction units (default 0.05). */
  width?: number;
  /** Node value: mean of its rewards (classic UCT) or the best reward found under it (default 'max'). */
  backup?: 'mean' | 'max';
  seed?: number;
}

export interface MctsResult {
  index: number;
  dose: number | null;
  fraction: number | null;
  reached: boolean;
  /** The dose below the answer was evaluated and misses the target (or the answer is the grid's first dose). */
  certified: boolean;
  iterations: number;
  /** Distinct doses evaluated. */
  evaluations: number;
}

interface Node {
  lo: number;
  hi: number;
  visits: number;
  total: number;
  best: number;
  children: Node[] | null;
}

const node = (lo: number, hi: number): Node => ({ lo, hi, visits: 0, total: 0, best: 0, children: null });

export async function mctsDoseGrid(
  grid: readonly number[],
  target: number,
  fractionAt: FractionAt,
  options: MctsOptions = {},
): Promise<MctsResult> {
  const n = grid.length;
  const maxIterations = options.iterations ?? 400;
  const c = options.exploration ?? 2;
  const rng = createRng(options.seed ?? 12345);
  const known = new Map<number, number>();
  const value = async (i: number): Promise<number> => {
    let f = known.get(i);
    if (f === undefined) {
      f = await fractionAt(grid[i]);
      known.set(i, f);
    }
    return f;
  };
  const width = options.width ?? 0.05;
  const useMax = (options.backup ?? 'max') === 'max';
  const reward = (f: number): number => Math.exp(-Math.abs(f - target) / width);
  let best = -1;
  const certified = (): boolean => best === 0 || (best > 0 && known.has(best - 1) && known.get(best - 1)! < target);
  const root = node(0, n - 1);
  let iteration = 0;
  while (n > 0 && iteration < maxIterations && !certified()) {
    iteration++;
    const path: Node[] = [root];
    let current = root;
    while (current.children) {
      const kids: Node[] = current.children;
      const unvisited = kids.filter((k) => k.visits === 0);
      if (unvisited.length > 0) {
        current = unvisited[Math.floor(rng.uniform() * unvisited.length)];
      } else {
        const logN = Math.log(current.visits);
        let pick = kids[0];
        let score = -Infinity;
        for (const k of kids) {
          const s = (useMax ? k.best : k.total / k.visits) + c * Math.sqrt(logN / k.visits);
          if (s > score) {
            score = s;
            pick = k;
          }
        }
        current = pick;
      }
      path.push(current);
    }
    if (current.lo < current.hi) {
      const mid = (current.lo + current.hi) >> 1;
      current.children = [node(current.lo, mid), node(mid + 1, current.hi)];
    }
    // Rollout: a dose of the node's range, preferring one not yet evaluated.
    const fresh: number[] = [];
    for (let i = current.lo; i <= current.hi; i++) if (!known.has(i)) fresh.push(i);
    const pool = fresh.length > 0 ? fresh : null;
    const i = pool ? pool[Math.floor(rng.uniform() * pool.length)] : current.lo + Math.floor(rng.uniform() * (current.hi - current.lo + 1));
    const f = await value(i);
    if (f >= target && (best < 0 || i < best)) best = i;
    const r = reward(f);
    for (const p of path) {
      p.visits++;
      p.total += r;
      p.best = Math.max(p.best, r);
    }
  }
  return {
    index: best,
    dose: best >= 0 ? grid[best] : null,
    fraction: best >= 0 ? known.get(best)! : null,
    reached: best >= 0,
    certified: certified(),
    iterations: iteration,
    evaluations: known.size,
  };
}
