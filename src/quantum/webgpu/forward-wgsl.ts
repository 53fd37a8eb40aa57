/**
 * The forward program: per sample (one workgroup) the fused unitaries, the product state of the first stage, the
 * blocked passes of every later stage (a loop over the table's pass records) and the readout of all observables, in one dispatch. Output [B, nOutputs].
 */
import type { KernelPlan } from './kernel-plan';
import {
  commonDeclarations,
  finalLayoutLets,
  forwardPasses,
  fuseAllMatrices,
  logicalIndex,
  productState,
  sampleSetup,
  signOf,
  u,
} from './wgsl-state';

/**
 * Per invocation, partial sums over its amplitudes p: ⟨X_w⟩ = Σ_p Re(conj(a_p) a_p⊕w), ⟨Y_w⟩ = Σ_p ±Im(conj(a_p) a_p⊕w)
 * (+ when p's logical bit w is 0), diagonal ⟨Z^m⟩ = Σ_p (−1)^popcount(l & m) |a_p|²; then one row per output in
 * `scratch`, summed by one invocation per output.
 */
export function readoutStatements(plan: KernelPlan, state: string, scratch: string): string {
  const { circuit } = plan;
  const T = plan.workgroupSize;
  const nOut = plan.nOutputs;
  const lines: string[] = [];
  for (let k = 0; k < nOut; k++) lines.push(`  var r${k} = 0.0;`);
  lines.push(finalLayoutLets(plan));
  lines.push(`  for (var p = tid; p < ${u(plan.size)}; p = p + ${u(T)}) {`);
  lines.push(`    let a = ${state}[p];`);
  lines.push(`    let prob = dot(a, a);`);
  lines.push(logicalIndex(plan, 'p'));
  for (const wire of circuit.xyWires) {
    const outputs = circuit.xyObservables.filter((o) => o.wire === wire);
    const body = outputs.map((o) => (o.axis === 0 ? `r${o.output} += t.x;` : `r${o.output} += ${signOf(1 << wire)} * t.y;`));
    lines.push(`    { let t = qnnMul(qnnConj(a), ${state}[p ^ fin${wire}]); ${body.join(' ')} }`);
  }
  for (const o of circuit.diagonalObservables) lines.push(`    r${o.output} += ${signOf(o.mask)} * prob;`);
  lines.push('  }');
  for (let k = 0; k < nOut; k++) lines.push(`  ${scratch}[${u(k * T)} + tid] = r${k};`);
  lines.push('  workgroupBarrier();');
  lines.push(`  for (var k = tid; k < ${u(nOut)}; k = k + ${u(T)}) {
    var s = 0.0;
    for (var t = 0u; t < ${u(T)}; t = t + 1u) { s += ${scratch}[k * ${u(T)} + t]; }
    if (isActive) { result[b * ${u(nOut)} + k] = s; }
  }`);
  return lines.join('\n');
}

export function forwardSource(plan: KernelPlan): string {
  return [
    commonDeclarations(plan),
    `var<workgroup> qnnPsi : array<vec2<f32>, ${plan.size}>;`,
    `var<workgroup> qnnScratch : array<f32, ${plan.nOutputs * plan.workgroupSize}>;`,
    `fn main(index : i32) {`,
    sampleSetup(plan),
    fuseAllMatrices(plan),
    productState(plan, 'qnnPsi'),
    forwardPasses(plan, 'qnnPsi'),
    readoutStatements(plan, 'qnnPsi', 'qnnScratch'),
    `}`,
  ].join('\n');
}
