/**
 * Normalised prediction distribution errors (src/pkpd/diagnostics/npde.ts) against time or against
 * PRED, with the zero line and ±1.96 (95 % of N(0, 1)): drawn as the residuals are (gof-plots.ts
 * `standardisedPlot`: points coloured by the study's groups, log PRED axis for PK); here, what the
 * NPDE plots draw and write in each point's tip.
 */
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import type { NpdeObservation } from '../../pkpd/diagnostics/study-diagnostics';
import { formatTime } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import type { DiagnosticsLabels } from './diagnostics-model';
import type { StandardisedValue } from './gof-plots';

export function npdeValue(labels: DiagnosticsLabels, target: DiagnosticTarget): StandardisedValue<NpdeObservation> {
  const unit = labels.endpoints[target].unit;
  const u = unit ? ` ${unit}` : '';
  const time = labels.timeUnit ? ` ${labels.timeUnit}` : '';
  const title = (r: NpdeObservation): string =>
    `ID ${r.id} · ${r.group} · ${formatTime(r.time)}${time}\n` +
    `DV ${formatSignificant(r.dv)}${u} · PRED ${formatSignificant(r.pred)} · EPRED ${formatSignificant(r.epred)}\n` +
    `NPDE ${formatSignificant(r.npde, 2)}${r.decorrelated ? '' : ' (not decorrelated)'}`;
  return { y: 'npde', name: 'NPDE', title };
}
