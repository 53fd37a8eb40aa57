import type { Dataset } from '../types';
import { DVID_PD, DVID_PK } from '../types';
import { type Arm, deriveArms } from './arms';
import { bodyWeightByArm, type BodyWeightByArm } from './bw-by-arm';
import { type ArmComedCounts, comedByArm } from './comed-by-arm';
import { type HysteresisLoop, hysteresisLoops } from './hysteresis';
import { type IndividualSeries, individualSeries } from './individual-series';
import { meanCurves, type MeanCurves } from './mean-curves';
import { subjectSummaries, type SubjectSummary } from './subject-summaries';

/** Everything the data explorer draws, derived once per dataset. */
export interface ExplorerModel {
  arms: Arm[];
  /** Null when the file has no COMED covariate. */
  comed: ArmComedCounts[] | null;
  /** Null when the file has no BW covariate or no subject has a BW. */
  bodyWeight: BodyWeightByArm | null;
  /** Null when the file has no usable PK (DVID 1) observations. */
  pk: MeanCurves | null;
  /** PK spaghetti, one series per subject with PK. */
  pkIndividuals: IndividualSeries[];
  /** Null when the file has no usable PD (DVID 2) observations. */
  pd: MeanCurves | null;
  /** Mean PK–PD loops of the arms that have both (dose order). */
  loops: HysteresisLoop[];
  subjects: SubjectSummary[];
  /** Usable observations counted per DVID (1 and 2). */
  pkCount: number;
  pdCount: number;
}

export function explorerModel(dataset: Dataset): ExplorerModel {
  const arms = deriveArms(dataset);
  const pkCurves = meanCurves(dataset, DVID_PK, { arms });
  const pdCurves = meanCurves(dataset, DVID_PD, { arms });
  const bw = bodyWeightByArm(dataset, arms);
  const count = (m: MeanCurves): number => m.curves.reduce((s, c) => s + c.points.reduce((t, p) => t + p.n, 0), 0);
  return {
    arms,
    comed: comedByArm(dataset, arms),
    bodyWeight: bw && bw.weights.length > 0 ? bw : null,
    pk: pkCurves.curves.length > 0 ? pkCurves : null,
    pkIndividuals: individualSeries(dataset, DVID_PK, arms),
    pd: pdCurves.curves.length > 0 ? pdCurves : null,
    loops: hysteresisLoops(dataset, arms),
    subjects: subjectSummaries(dataset, arms),
    pkCount: count(pkCurves),
    pdCount: count(pdCurves),
  };
}
