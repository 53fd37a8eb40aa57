/**
 * One subject's design (dose history, PK and PD times) prepared once and evaluated for many
 * parameter sets: the superposition plans and the PD integration grid do not depend on the
 * parameters, so predictions, individual curves and VPC replicates only pay for the arithmetic.
 */
import type { Dose } from '../dose-history';
import {
  buildPdGrid,
  createPdWorkspace,
  integrateIndirectResponse,
  type IndirectResponseParameters,
  type PdGrid,
  type PdGridOptions,
  type PdWorkspace,
} from '../indirect-response';
import { evaluatePlan, oralUnitResponse, planSuperposition, type PkParameters, type SuperpositionPlan } from '../pk-model';

export interface SubjectParameters {
  pk: PkParameters;
  pd: IndirectResponseParameters;
}

export class SubjectPredictor {
  private readonly pkPlan: SuperpositionPlan;
  private readonly pdGrid: PdGrid;
  private readonly pdNodePlan: SuperpositionPlan;
  private readonly workspace: PdWorkspace;
  private readonly nodeConcentrations: Float64Array;

  constructor(doses: readonly Dose[], pkTimes: ArrayLike<number>, pdTimes: ArrayLike<number>, pdGrid: PdGridOptions = {}) {
    this.pkPlan = planSuperposition(doses, pkTimes);
    this.pdGrid = buildPdGrid(
      doses.map((d) => d.time),
      pdTimes,
      pdGrid,
    );
    this.pdNodePlan = planSuperposition(doses, this.pdGrid.nodes);
    this.workspace = createPdWorkspace(this.pdGrid);
    this.nodeConcentrations = new Float64Array(this.pdGrid.nodes.length);
  }

  /** Concentrations (ng/mL) at the PK times. */
  pk(p: PkParameters, out?: Float64Array): Float64Array {
    return evaluatePlan(this.pkPlan, oralUnitResponse(p), out);
  }

  /** Response (ng/mL) at the PD times. */
  pd(p: SubjectParameters, out?: Float64Array): Float64Array {
    evaluatePlan(this.pdNodePlan, oralUnitResponse(p.pk), this.nodeConcentrations);
    return integrateIndirectResponse(p.pd, this.pdGrid, this.nodeConcentrations, out, undefined, this.workspace);
  }
}
