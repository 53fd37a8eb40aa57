/**
 * The convergence trace of a stage's FOCE fit (src/pkpd/diagnostics/study-diagnostics.ts
 * `ConvergenceTrace`): the OFV at the starting values (iteration 0) and after each accepted iteration,
 * with the final OFV as a dashed line.
 */
import * as Plot from '@observablehq/plot';
import type { ConvergenceTrace } from '../../pkpd/diagnostics/study-diagnostics';
import { basePlot, INK, MUTED } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';

export function convergencePlot(trace: ConvergenceTrace, width: number): Element {
  const points = trace.ofv.map((ofv, iteration) => ({ iteration, ofv }));
  const iterations = Math.max(1, points.length - 1);
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel:
      `${trace.stage.toUpperCase()} (${trace.model}): OFV over ${iterations} iterations, ` +
      `from ${formatSignificant(trace.ofv[0], 5)} to ${formatSignificant(trace.finalOfv, 5)}` +
      (trace.converged ? ', converged' : ', not converged'),
    x: { label: 'Iteration', domain: [0, iterations], ticks: Math.min(iterations, 10), tickFormat: 'd', grid: true },
    y: { label: 'OFV', nice: true, grid: true },
    marks: [
      Plot.ruleY([trace.finalOfv], { stroke: MUTED, strokeDasharray: '5,4', ariaDescription: 'final OFV' }),
      Plot.line(points, { x: 'iteration', y: 'ofv', stroke: INK, strokeWidth: 1.5, ariaDescription: 'OFV per iteration' }),
      Plot.dot(points, {
        x: 'iteration',
        y: 'ofv',
        fill: INK,
        r: 2.4,
        tip: true,
        title: (p: { iteration: number; ofv: number }) =>
          `${p.iteration === 0 ? 'start' : `iteration ${p.iteration}`}: OFV ${formatSignificant(p.ofv, 6)}`,
        ariaDescription: 'iterations',
      }),
    ],
  });
}
