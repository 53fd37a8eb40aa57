import { describe, expect, it } from 'vitest';
import type { TargetReport } from '../model/report/types';
import { predictionsCsv, predictionsExport } from './predictions-csv';

const METRICS = { n: 2, rmse_z: 0, mae_z: 0, r2_z: 0, rmse: 0, mae: 0, r2: 0 };

function target(name: 'pk' | 'pd', points: TargetReport['points']): TargetReport {
  return {
    target: name,
    name: name.toUpperCase(),
    unit: 'ng/mL',
    time: 'h',
    amount: 'mg',
    logTarget: name === 'pk',
    points,
    curves: [],
    metrics: METRICS,
  };
}

describe('predictions CSV', () => {
  const pk = target('pk', [
    { subject: '1', time: 0.5, observed: 12.5, predicted: 11, sd: 0.4, residual: 1.5, residualZ: 0.2 },
    { subject: 'A,1', time: 24, observed: 3, predicted: 3.5, sd: null, residual: -0.5, residualZ: -0.1 },
  ]);
  const pd = target('pd', [{ subject: '1', time: 0.5, observed: 8, predicted: 7.9, sd: null, residual: 0.1, residualZ: 0.01 }]);

  it('writes one row per observation with the target and unit, SD empty without MC dropout', () => {
    expect(predictionsCsv([pk, pd]).split('\r\n')).toEqual([
      'subject,time_h,observed,predicted,sd,residual,target,unit',
      '1,0.5,12.5,11,0.4,1.5,pk,ng/mL',
      '"A,1",24,3,3.5,,-0.5,pk,ng/mL',
      '1,0.5,8,7.9,,0.1,pd,ng/mL',
      '',
    ]);
  });

  it('names the file and the button after the targets and subject set', () => {
    const file = predictionsExport([pk, pd], 'validation');
    expect(file.fileName).toBe('predictions-validation-pk-pd.csv');
    expect(file.label).toBe('the PK and PD predictions of the validation subjects');
    expect(predictionsExport([pd]).fileName).toBe('predictions-pd.csv');
  });
});
