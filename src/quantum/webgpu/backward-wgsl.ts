/**
 * The backward (adjoint) program: per sample (one workgroup) it re-runs the forward sweep, forms λ = Mψ with
 * M = Σ_k c_k O_k, then walks the passes backwards. Each pass loads a block of ψ and λ, adds the block's share of
 * (Im⟨λ|X_w|ψ⟩, Im⟨λ|Y_w|ψ⟩, Im⟨λ|Z_w|ψ⟩) for its wires to per-invocation partial sums, and un-applies the wires'
 * fused gates from both (gates on other wires commute with P_w, so these are the overlaps at the end of the
 * stage). Partial sums go to a double-buffered scratch; during the next pass one invocation per wire sums them and
 * carries them back through the wire's rotations (as rotations.ts: accumulateRotationGradients does), adding
 * ∂/∂angle to a per-sample gradient table. Permutations are never undone: every pass record carries its layout.
 * Output [B, nInputs + nWeights]: per sample ∂/∂x, then that sample's contribution to ∂/∂weights.
 */
import type { Axis } from '../compile';
import type { KernelPlan } from './kernel-plan';
import { tableLayout } from './kernel-table';
import {
  applyGates,
  blockLoopHead,
  commonDeclarations,
  finalLayoutLets,
  forwardPasses,
  fuseAllMatrices,
  loadBlock,
  loadMatrices,
  logicalIndex,
  passSetup,
  productState,
  recipeSwitch,
  sampleSetup,
  signOf,
  slotExpression,
  storeBlock,
  u,
} from './wgsl-state';

const COMPONENT = ['x', 'y', 'z'] as const;
const NEXT_AXIS: readonly Axis[] = [1, 2, 0];

/** Gradient of matrix m's rotations from the wire's overlap vector g, rotations walked backwards. */
function gradientFunction(plan: KernelPlan, axes: Axis[], id: number): string {
  const body: string[] = [];
  for (let k = axes.length - 1; k >= 0; k--) {
    const axis = axes[k];
    body.push(`  { let s = ${slotExpression(plan, k)};`);
    body.push(`    qnnGradAcc[s] += g.${COMPONENT[axis]};`);
    if (k > 0) {
      const p = COMPONENT[NEXT_AXIS[axis]],
        q = COMPONENT[NEXT_AXIS[NEXT_AXIS[axis]]];
      body.push(`    let cs = qnnSinCos(0.5 * qnnAngle(s)); let ct = cs.x * cs.x - cs.y * cs.y; let st = 2.0 * cs.x * cs.y;
    let gp = g.${p}; let gq = g.${q}; g.${p} = ct * gp + st * gq; g.${q} = ct * gq - st * gp;`);
    }
    body.push('  }');
  }
  return `fn qnnGrad${id}(g0 : vec3<f32>, m : u32) {
  var g = g0;
${body.join('\n')}
}`;
}

/** λ = Mψ, every invocation writing its own amplitudes of λ. */
function lambdaStatements(plan: KernelPlan): string {
  const { circuit } = plan;
  const T = plan.workgroupSize;
  const lines: string[] = [];
  lines.push(`  let dyBase = b * ${u(plan.nOutputs)};`);
  for (let k = 0; k < plan.nOutputs; k++) lines.push(`  let c${k} = qnnDy[dyBase + ${u(k)}];`);
  lines.push(finalLayoutLets(plan));
  lines.push(`  for (var p = tid; p < ${u(plan.size)}; p = p + ${u(T)}) {`);
  lines.push(`    let a = qnnPsi[p];`);
  lines.push(logicalIndex(plan, 'p'));
  lines.push(`    var d = 0.0;`);
  for (const o of circuit.diagonalObservables) lines.push(`    d += ${signOf(o.mask)} * c${o.output};`);
  lines.push(`    var v = d * a;`);
  for (const wire of circuit.xyWires) {
    const sum = (axis: 0 | 1): string => {
      const terms = circuit.xyObservables.filter((o) => o.wire === wire && o.axis === axis).map((o) => `c${o.output}`);
      return terms.length > 0 ? terms.join(' + ') : '0.0';
    };
    // (cx X + cy Y): logical bit 0 gets cx a1 − i cy a1, bit 1 gets cx a0 + i cy a0
    lines.push(`    { let pr = qnnPsi[p ^ fin${wire}]; let cx = ${sum(0)}; let cy = (${sum(1)}) * ${signOf(1 << wire)};
      v += vec2<f32>(cx * pr.x + cy * pr.y, cx * pr.y - cy * pr.x); }`);
  }
  lines.push(`    qnnLam[p] = v;`);
  lines.push('  }');
  lines.push('  workgroupBarrier();');
  return lines.join('\n');
}

function imConjMul(l: string, p: string): string {
  return `(${l}.x * ${p}.y - ${l}.y * ${p}.x)`;
}

/** One adjoint pass (pass index `ps`, scratch offset `buf`), as the body of the sweep loop. */
function passStatements(plan: KernelPlan): string {
  const t = tableLayout(plan);
  const g = plan.passWires;
  const T = plan.workgroupSize;
  const count = 1 << g;
  const lines: string[] = ['    {'];
  lines.push(passSetup(plan, 'ps'));
  lines.push(`    let unapply = qnnTabU(rec + ${u(t.unapplyAt)}) != 0u;`);
  lines.push(loadMatrices(plan, true));
  for (let j = 0; j < g; j++) lines.push(`    var ox${j} = 0.0; var oy${j} = 0.0; var oz${j} = 0.0;`);
  lines.push(blockLoopHead(plan));
  lines.push(loadBlock(plan, 'qnnPsi', 'p'));
  lines.push(loadBlock(plan, 'qnnLam', 'q'));
  for (let c = 0; c < count; c++) lines.push(`      let w${c} = ${imConjMul(`q${c}`, `p${c}`)};`);
  for (let j = 0; j < g; j++) {
    const xs: string[] = [],
      ys: string[] = [],
      zs: string[] = [];
    for (let c = 0; c < count; c++) {
      zs.push(`${(c >> j) & 1 ? '-' : '+'} w${c}`);
      if ((c >> j) & 1) continue;
      const c1 = c | (1 << j);
      xs.push(`${imConjMul(`q${c}`, `p${c1}`)} + ${imConjMul(`q${c1}`, `p${c}`)}`);
      ys.push(`(q${c1}.x * p${c}.x + q${c1}.y * p${c}.y - q${c}.x * p${c1}.x - q${c}.y * p${c1}.y)`);
    }
    lines.push(`      ox${j} += ${xs.join(' + ')};`);
    lines.push(`      oy${j} += ${ys.join(' + ')};`);
    lines.push(`      oz${j} += ${zs.join(' ').replace(/^\+ /, '')};`);
  }
  lines.push('      if (unapply) {');
  lines.push(applyGates(plan, 'p', '        '));
  lines.push(applyGates(plan, 'q', '        '));
  lines.push(storeBlock(plan, 'qnnPsi', 'p', '        '));
  lines.push(storeBlock(plan, 'qnnLam', 'q', '        '));
  lines.push('      }');
  lines.push('    }');
  for (let j = 0; j < g; j++) {
    const base = 3 * j * T;
    lines.push(
      `    qnnScratch[buf + ${u(base)} + tid] = ox${j}; qnnScratch[buf + ${u(base + T)} + tid] = oy${j}; qnnScratch[buf + ${u(base + 2 * T)} + tid] = oz${j};`,
    );
  }
  lines.push('    }');
  return lines.join('\n');
}

/**
 * Sums the partial overlaps of pass `pass` (scratch offset `buffer`) per real wire and turns them into angle
 * gradients; one invocation per wire, or invocation 0 for all when the pass's wires share angle slots.
 */
function reduceStatements(plan: KernelPlan, pass: string, buffer: string): string {
  const t = tableLayout(plan);
  const T = plan.workgroupSize;
  return `    {
      let rrec = (${pass}) * ${u(t.passStride)};
      let wires = qnnTabU(rrec + ${u(t.countAt)});
      let serial = qnnTabU(rrec + ${u(t.serialAt)}) != 0u;
      let step = select(${u(T)}, 1u, serial);
      for (var j = select(tid, select(${u(plan.passWires)}, 0u, tid == 0u), serial); j < wires; j = j + step) {
        let base = (${buffer}) + 3u * j * ${u(T)};
        var gx = 0.0; var gy = 0.0; var gz = 0.0;
        for (var t = 0u; t < ${u(T)}; t = t + 1u) {
          gx += qnnScratch[base + t]; gy += qnnScratch[base + ${u(T)} + t]; gz += qnnScratch[base + ${u(2 * T)} + t];
        }
        let gv = vec3<f32>(gx, gy, gz);
        let m = qnnTabU(rrec + ${u(t.matrixAt)} + j);
${recipeSwitch(plan, (r) => `qnnGrad${r}(gv, m);`, '        ')}
      }
    }`;
}

export function backwardSource(plan: KernelPlan): string {
  const T = plan.workgroupSize;
  const stride = 3 * plan.passWires * T;
  const sweep = `  let passes = u32(uniforms.qnnPasses);
  for (var k = 0u; k < passes; k = k + 1u) {
    let ps = passes - 1u - k;
    let buf = (k & 1u) * ${u(stride)};
    if (k > 0u) {
${reduceStatements(plan, 'ps + 1u', `((k - 1u) & 1u) * ${u(stride)}`)}
    }
${passStatements(plan)}
    workgroupBarrier();
  }
  if (passes > 0u) {
${reduceStatements(plan, '0u', `((passes - 1u) & 1u) * ${u(stride)}`)}
  }
  workgroupBarrier();`;
  return [
    commonDeclarations(plan),
    ...plan.recipes.map((axes, id) => gradientFunction(plan, axes as Axis[], id)),
    `var<workgroup> qnnPsi : array<vec2<f32>, ${plan.size}>;`,
    `var<workgroup> qnnLam : array<vec2<f32>, ${plan.size}>;`,
    `var<workgroup> qnnGradAcc : array<f32, ${plan.slotCapacity}>;`,
    `var<workgroup> qnnScratch : array<f32, ${2 * stride}>;`,
    `fn main(index : i32) {`,
    sampleSetup(plan),
    `  let slots = u32(uniforms.outShape.y);`,
    `  for (var s = tid; s < slots; s = s + ${u(T)}) { qnnGradAcc[s] = 0.0; }`,
    fuseAllMatrices(plan),
    productState(plan, 'qnnPsi'),
    forwardPasses(plan, 'qnnPsi'),
    lambdaStatements(plan),
    sweep,
    `  for (var s = tid; s < slots; s = s + ${u(T)}) { if (isActive) { result[b * slots + s] = qnnGradAcc[s]; } }`,
    `}`,
  ].join('\n');
}
