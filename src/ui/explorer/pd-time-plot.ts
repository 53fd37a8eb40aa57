/** Panel F: mean PD biomarker–time curves per arm with the suppression threshold. */
import type { MeanCurves } from '../../data/explore/mean-curves';
import { PD_SUPPRESSION_THRESHOLD } from '../../data/explore/thresholds';
import type { ArmColorScale } from './arm-colors';
import { meanCurvePlot } from './mean-curve-plot';
import { AXIS_PD } from './plot-theme';

export interface PdTimeInput {
  curves: MeanCurves;
  colors: ArmColorScale;
  width: number;
}

export function pdTimePlot({ curves, colors, width }: PdTimeInput): Element {
  return meanCurvePlot({
    curves,
    log: false,
    colors,
    width,
    yLabel: AXIS_PD,
    unit: 'ng/mL',
    threshold: { value: PD_SUPPRESSION_THRESHOLD, label: `${PD_SUPPRESSION_THRESHOLD} ng/mL threshold` },
    ariaLabel: 'Mean PD biomarker over time per arm, with the suppression threshold',
  });
}
