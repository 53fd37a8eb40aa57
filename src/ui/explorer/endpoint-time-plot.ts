/** The PK and PD panels: mean observations of one endpoint over time per group, with the dose questions' criterion where it applies. */
import type { EndpointView, ReferenceLevel } from '../../data/explore/explorer-model';
import type { IndividualSeries } from '../../data/explore/individual-series';
import type { MeanCurves } from '../../data/explore/mean-curves';
import type { ArmColorScale } from './arm-colors';
import { meanCurvePlot, type ReferenceMark } from './mean-curve-plot';
import { axisLabel } from './plot-theme';
import { formatNumber } from '../../text/format';

export interface EndpointTimeInput {
  kind: 'pk' | 'pd';
  endpoint: EndpointView;
  curves: MeanCurves;
  individuals: readonly IndividualSeries[] | null;
  log: boolean;
  timeUnit: string;
  /** The criterion, drawn when it concerns this endpoint. */
  reference: ReferenceLevel | null;
  colors: ArmColorScale;
  width: number;
}

/** "below 3.3 ng/mL", "within 5–15 mg/L": how a criterion reads beside its line. */
export function referenceText(reference: ReferenceLevel): string {
  const unit = reference.unit ? ` ${reference.unit}` : '';
  return reference.rule === 'within'
    ? `target: within ${formatNumber(reference.range[0])}–${formatNumber(reference.range[1])}${unit}`
    : `target: ${reference.rule} ${formatNumber(reference.value)}${unit}`;
}

/** The reference marks of a criterion, when it concerns the endpoint `kind`. */
export function referenceFor(reference: ReferenceLevel | null, kind: 'pk' | 'pd'): ReferenceMark | null {
  if (!reference || reference.endpoint !== kind) return null;
  const label = referenceText(reference);
  return reference.rule === 'within' ? { range: reference.range, label } : { value: reference.value, label };
}

export function endpointTimePlot({
  kind,
  endpoint,
  curves,
  individuals,
  log,
  timeUnit,
  reference,
  colors,
  width,
}: EndpointTimeInput): Element {
  const mark = referenceFor(reference, kind);
  return meanCurvePlot({
    curves,
    individuals,
    log,
    colors,
    width,
    timeUnit,
    yLabel: axisLabel(endpoint.name, endpoint.unit),
    unit: endpoint.unit,
    reference: mark,
    ariaLabel: `Mean ${endpoint.name} over time per group${log ? ', log scale' : ''}${mark ? `, with the ${mark.label}` : ''}`,
  });
}
