/** Panel D: mean PK concentration–time curves per arm. */
import type { IndividualSeries } from '../../data/explore/individual-series';
import type { MeanCurves } from '../../data/explore/mean-curves';
import type { ArmColorScale } from './arm-colors';
import { meanCurvePlot } from './mean-curve-plot';
import { AXIS_CONCENTRATION } from './plot-theme';

export interface PkTimeInput {
  curves: MeanCurves;
  individuals: readonly IndividualSeries[] | null;
  log: boolean;
  colors: ArmColorScale;
  width: number;
}

export function pkTimePlot({ curves, individuals, log, colors, width }: PkTimeInput): Element {
  return meanCurvePlot({
    curves,
    individuals,
    log,
    colors,
    width,
    yLabel: AXIS_CONCENTRATION,
    unit: 'ng/mL',
    ariaLabel: `Mean drug concentration over time per arm${log ? ', log scale' : ''}`,
  });
}
