import type { CompiledCircuit } from '../../src/quantum/compile';
import { forward, vjp } from '../../src/quantum/simulator';
import { circuitInputs } from '../../src/quantum/testing/circuit-inputs';
import { measureThroughput, type Throughput } from './throughput';

export interface ModeThroughput {
  forward: Throughput;
  forward_gradient: Throughput;
}

/** The float64 TypeScript simulator, forward and forward + adjoint gradient, per batch size. */
export async function benchTsSimulator(
  circuit: CompiledCircuit,
  batches: readonly number[],
  seconds: number,
): Promise<Record<string, ModeThroughput>> {
  const rows: Record<string, ModeThroughput> = {};
  for (const batch of batches) {
    const { x, weights, cotangent } = circuitInputs(circuit, batch, batch);
    const runForward = (): unknown => forward(circuit, x, weights, batch);
    const runGradient = (): unknown => vjp(circuit, x, weights, batch, cotangent);
    runForward();
    runGradient();
    rows[`batch_${batch}`] = {
      forward: await measureThroughput(batch, runForward, { seconds }),
      forward_gradient: await measureThroughput(batch, runGradient, { seconds }),
    };
  }
  return rows;
}
