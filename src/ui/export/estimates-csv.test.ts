import { describe, expect, it } from 'vitest';
import type { StudyFitReport } from '../../pkpd/population/report';
import { stageOf } from '../doses/fit-panel-model';
import { estimatesCsv } from './estimates-csv';

describe('the estimates CSV', () => {
  it('has a row per θ, Ω SD and residual component with value, unit, RSE, interval, shrinkage and fixed', () => {
    const fit = {
      estimates: {
        CL: { value: 2.75, unit: 'L/h', rse: 0.08, ci95: [2.3, 3.2] },
        'CL~WT': { value: 0.75, unit: '', rse: null, ci95: [null, null], fixed: true },
        IC50: { value: 1.2, unit: 'ng/mL', rse: 0.2, ci95: [0.7, 1.7] },
      },
      omega: { CL: { sd: 0.26, rse: 0.3, shrinkage: 0.05 } },
      residual: { pk: { additive: { value: 0.74, unit: 'mg/L', rse: 0.07 } } },
    } as unknown as StudyFitReport;
    const lines = estimatesCsv(fit, stageOf).trimEnd().split('\r\n');
    expect(lines[0]).toBe('kind,stage,name,value,unit,rse,ci_low,ci_high,shrinkage,fixed');
    expect(lines.slice(1)).toEqual([
      'theta,pk,CL,2.75,L/h,0.08,2.3,3.2,,false',
      'theta,pk,CL~WT,0.75,,,,,,true',
      'theta,pd,IC50,1.2,ng/mL,0.2,0.7,1.7,,false',
      'omega_sd,pk,CL,0.26,,0.3,,,0.05,false',
      'residual,pk,additive,0.74,mg/L,0.07,,,,false',
    ]);
  });
});
