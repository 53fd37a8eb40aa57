/**
 * WGSL pieces shared by the forward and backward programs: complex helpers, the fused 2×2 unitaries (built in
 * the shader from accurate half-angle cos/sin), the product state of the first rotation stage, and the pass body
 * that applies one pass's gates. Amplitudes are vec2<f32> (re, im) in workgroup memory; logical amplitude l lives
 * at physical index φ(l) of the stage's layout (see linear-layout.ts). Per-pass data (wires, masks, matrices,
 * layout) come from the int32 table (kernel-table.ts), so each body is generated once and run in a loop.
 *
 * Bindings (TF.js names them after variableNames): qnnX [B, nInputs], qnnW [nWeights], qnnDy [B, nOutputs]
 * (backward only), qnnTab (the table), result (the single output). One sample per workgroup.
 */
import type { Axis } from '../compile';
import type { KernelPlan } from './kernel-plan';
import { WGSL_SINCOS } from './sincos';
import { tableLayout } from './kernel-table';

export const u = (value: number): string => `${value >>> 0}u`;

/** Helpers, the angle lookup and one fuse function per recipe (axis sequence). */
export function commonDeclarations(plan: KernelPlan): string {
  const lines = [
    WGSL_SINCOS,
    `struct QnnPair { a : vec2<f32>, b : vec2<f32> };`,
    `fn qnnMul(a : vec2<f32>, b : vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }`,
    `fn qnnConj(a : vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x, -a.y); }`,
    `/* (x, y) ← [[u00, u01], [u10, u11]] (x, y) */`,
    `fn qnnGate(u00 : vec2<f32>, u01 : vec2<f32>, u10 : vec2<f32>, u11 : vec2<f32>, x : vec2<f32>, y : vec2<f32>) -> QnnPair {`,
    `  return QnnPair(qnnMul(u00, x) + qnnMul(u01, y), qnnMul(u10, x) + qnnMul(u11, y));`,
    `}`,
    `fn qnnTabU(i : u32) -> u32 { return u32(qnnTab[i]); }`,
    `var<private> qnnXBase : u32;`,
    `var<workgroup> qnnMat : array<vec2<f32>, ${4 * plan.matrixCapacity}>;`,
    `fn qnnAngle(slot : u32) -> f32 {`,
    `  if (slot < ${u(plan.nInputs)}) { return qnnX[qnnXBase + slot]; }`,
    `  return qnnW[slot - ${u(plan.nInputs)}];`,
    `}`,
  ];
  plan.recipes.forEach((axes, id) => lines.push(fuseFunction(plan, axes as Axis[], id)));
  return lines.join('\n');
}

/** Offset of matrix m's record in the table. */
function matrixRecord(plan: KernelPlan): string {
  return `u32(uniforms.qnnMatrixBase) + m * ${u(tableLayout(plan).matrixStride)}`;
}

/** Slot of rotation k of matrix m, from the table. */
export function slotExpression(plan: KernelPlan, k: number): string {
  return `qnnTabU(${matrixRecord(plan)} + ${u(1 + k)})`;
}

/** Left-multiplies the running rows (a, b; c, d) by exp(−iθP/2) for each rotation in time order. */
function fuseFunction(plan: KernelPlan, axes: Axis[], id: number): string {
  const body = axes.map((axis, k) => {
    const head = `  cs = qnnSinCos(0.5 * qnnAngle(${slotExpression(plan, k)}));`;
    if (axis === 0) {
      // [[c, −is], [−is, c]]; (−is)·z = (s z.y, −s z.x)
      return `${head}
  { let a0 = a; let b0 = b;
    a = cs.x * a + vec2<f32>(cs.y * c.y, -cs.y * c.x); b = cs.x * b + vec2<f32>(cs.y * d.y, -cs.y * d.x);
    c = cs.x * c + vec2<f32>(cs.y * a0.y, -cs.y * a0.x); d = cs.x * d + vec2<f32>(cs.y * b0.y, -cs.y * b0.x); }`;
    }
    if (axis === 1) {
      // [[c, −s], [s, c]]
      return `${head}
  { let a0 = a; let b0 = b;
    a = cs.x * a - cs.y * c; b = cs.x * b - cs.y * d;
    c = cs.y * a0 + cs.x * c; d = cs.y * b0 + cs.x * d; }`;
    }
    // diag(c − is, c + is)
    return `${head}
  a = qnnMul(vec2<f32>(cs.x, -cs.y), a); b = qnnMul(vec2<f32>(cs.x, -cs.y), b);
  c = qnnMul(vec2<f32>(cs.x, cs.y), c); d = qnnMul(vec2<f32>(cs.x, cs.y), d);`;
  });
  return `fn qnnFuse${id}(m : u32) {
  var a = vec2<f32>(1.0, 0.0); var b = vec2<f32>(0.0, 0.0); var c = vec2<f32>(0.0, 0.0); var d = vec2<f32>(1.0, 0.0);
  var cs : vec2<f32>;
${body.join('\n')}
  qnnMat[4u * m] = a; qnnMat[4u * m + 1u] = b; qnnMat[4u * m + 2u] = c; qnnMat[4u * m + 3u] = d;
}`;
}

/** `switch` on the recipe of matrix m (a plain call when there is one recipe). */
export function recipeSwitch(plan: KernelPlan, call: (id: number) => string, indent: string): string {
  if (plan.recipes.length === 1) return `${indent}${call(0)}`;
  const cases = plan.recipes.map((_, id) => `${indent}  case ${u(id)}: { ${call(id)} }`);
  return `${indent}switch qnnTabU(${matrixRecord(plan)}) {
${cases.join('\n')}
${indent}  default: {}
${indent}}`;
}

/** Statements at the top of main: sample index, activity, the input row's offset. */
export function sampleSetup(plan: KernelPlan): string {
  return `  let tid = localIndex;
  let sampleIndex = workgroupId.x + numWorkgroups.x * (workgroupId.y + numWorkgroups.y * workgroupId.z);
  let batch = u32(uniforms.outShape.x);
  let isActive = sampleIndex < batch;
  let b = min(sampleIndex, batch - 1u);
  qnnXBase = b * ${u(plan.nInputs)};`;
}

/** Every fused matrix (one invocation each) and the padding identity after them; ends with a barrier. */
export function fuseAllMatrices(plan: KernelPlan): string {
  const T = plan.workgroupSize;
  return `  let matrices = u32(uniforms.qnnMatrices);
  for (var m = tid; m < matrices; m = m + ${u(T)}) {
${recipeSwitch(plan, (r) => `qnnFuse${r}(m);`, '    ')}
  }
  if (tid == 0u) {
    let id = 4u * matrices;
    qnnMat[id] = vec2<f32>(1.0, 0.0); qnnMat[id + 1u] = vec2<f32>(0.0, 0.0);
    qnnMat[id + 2u] = vec2<f32>(0.0, 0.0); qnnMat[id + 3u] = vec2<f32>(1.0, 0.0);
  }
  workgroupBarrier();`;
}

/** The state after the first rotation stage: ⊗_q (U_q |0⟩) written straight into `state` (identity layout). */
export function productState(plan: KernelPlan, state: string): string {
  const T = plan.workgroupSize;
  const first = plan.stages[0];
  if (!first) {
    return `  for (var p = tid; p < ${u(plan.size)}; p = p + ${u(T)}) { ${state}[p] = select(vec2<f32>(0.0, 0.0), vec2<f32>(1.0, 0.0), p == 0u); }
  workgroupBarrier();`;
  }
  const factors: string[] = [];
  let wireMask = 0;
  first.wires.forEach((wire, j) => {
    wireMask |= 1 << wire;
    factors.push(`    amp = qnnMul(amp, qnnMat[${u(4 * first.matrices[j])} + ((p >> ${u(wire)}) & 1u) * 2u]);`);
  });
  const outside = (plan.size - 1) & ~wireMask;
  return `  for (var p = tid; p < ${u(plan.size)}; p = p + ${u(T)}) {
    var amp = vec2<f32>(1.0, 0.0);
${factors.join('\n')}
${outside !== 0 ? `    if ((p & ${u(outside)}) != 0u) { amp = vec2<f32>(0.0, 0.0); }\n` : ''}    ${state}[p] = amp;
  }
  workgroupBarrier();`;
}

/**
 * Reads pass `ps`'s record into lets: zero positions z{j}, matrices m{j}, layout columns col{b} and the offsets
 * o{c} of the block's local elements (XORs of the pass's masks).
 */
export function passSetup(plan: KernelPlan, ps: string): string {
  const t = tableLayout(plan);
  const g = plan.passWires;
  const lines = [`    let rec = ${ps} * ${u(t.passStride)};`];
  for (let j = 0; j < g; j++) {
    lines.push(
      `    let z${j} = qnnTabU(rec + ${u(t.zeroAt + j)}); let k${j} = qnnTabU(rec + ${u(t.maskAt + j)}); let m${j} = qnnTabU(rec + ${u(t.matrixAt + j)});`,
    );
  }
  for (let bit = 0; bit < plan.nQubits; bit++) lines.push(`    let col${bit} = qnnTabU(rec + ${u(t.columnAt + bit)});`);
  for (let c = 1; c < 1 << g; c++) {
    const terms = Array.from({ length: g }, (_, j) => j)
      .filter((j) => (c >> j) & 1)
      .map((j) => `k${j}`);
    lines.push(`    let o${c} = ${terms.join(' ^ ')};`);
  }
  return lines.join('\n');
}

/** Lets u{j}_00.. for the pass's matrices m{j} (adjoint: the conjugate transpose). */
export function loadMatrices(plan: KernelPlan, adjoint: boolean): string {
  return Array.from({ length: plan.passWires }, (_, j) => {
    const at = (k: number): string => `qnnMat[4u * m${j} + ${u(k)}]`;
    return adjoint
      ? `    let u${j}_00 = qnnConj(${at(0)}); let u${j}_01 = qnnConj(${at(2)}); let u${j}_10 = qnnConj(${at(1)}); let u${j}_11 = qnnConj(${at(3)});`
      : `    let u${j}_00 = ${at(0)}; let u${j}_01 = ${at(1)}; let u${j}_10 = ${at(2)}; let u${j}_11 = ${at(3)};`;
  }).join('\n');
}

/** Opens the block loop: `pb` is the physical index of the block's local element 0. */
export function blockLoopHead(plan: KernelPlan): string {
  const lines = [`    for (var blk = tid; blk < ${u(plan.blocks)}; blk = blk + ${u(plan.workgroupSize)}) {`, `      var lb = blk;`];
  for (let j = 0; j < plan.passWires; j++) lines.push(`      lb = ((lb >> z${j}) << (z${j} + 1u)) | (lb & ((1u << z${j}) - 1u));`);
  lines.push(`      var pb = 0u;`);
  for (let bit = 0; bit < plan.nQubits; bit++) lines.push(`      pb = pb ^ select(0u, col${bit}, (lb & ${u(1 << bit)}) != 0u);`);
  return lines.join('\n');
}

export function elementIndex(c: number): string {
  return c === 0 ? 'pb' : `(pb ^ o${c})`;
}

export function loadBlock(plan: KernelPlan, state: string, prefix: string): string {
  return Array.from({ length: 1 << plan.passWires }, (_, c) => `      var ${prefix}${c} = ${state}[${elementIndex(c)}];`).join('\n');
}

export function storeBlock(plan: KernelPlan, state: string, prefix: string, indent = '      '): string {
  return Array.from({ length: 1 << plan.passWires }, (_, c) => `${indent}${state}[${elementIndex(c)}] = ${prefix}${c};`).join('\n');
}

/** Applies each pass wire's gate (u{j}_..) to the registers `${prefix}c`. */
export function applyGates(plan: KernelPlan, prefix: string, indent = '      '): string {
  const g = plan.passWires;
  const lines: string[] = [];
  for (let j = 0; j < g; j++) {
    for (let c = 0; c < 1 << g; c++) {
      if ((c >> j) & 1) continue;
      const x = `${prefix}${c}`,
        y = `${prefix}${c | (1 << j)}`;
      lines.push(`${indent}{ let r = qnnGate(u${j}_00, u${j}_01, u${j}_10, u${j}_11, ${x}, ${y}); ${x} = r.a; ${y} = r.b; }`);
    }
  }
  return lines.join('\n');
}

/** The forward sweep after the product state: a loop over the later passes, each ending with a barrier. */
export function forwardPasses(plan: KernelPlan, state: string): string {
  return `  for (var ps = u32(uniforms.qnnFirstPasses); ps < u32(uniforms.qnnPasses); ps = ps + 1u) {
${passSetup(plan, 'ps')}
${loadMatrices(plan, false)}
${blockLoopHead(plan)}
${loadBlock(plan, state, 'a')}
${applyGates(plan, 'a')}
${storeBlock(plan, state, 'a')}
    }
    workgroupBarrier();
  }`;
}

/** Lets fin{b} (final layout columns: a wire's partner offset) and inv{b} (columns of its inverse), from the table. */
export function finalLayoutLets(plan: KernelPlan): string {
  const n = plan.nQubits;
  const lines = ['  let finalBase = u32(uniforms.qnnFinalBase);'];
  for (let b = 0; b < n; b++) lines.push(`  let fin${b} = qnnTabU(finalBase + ${u(b)}); let inv${b} = qnnTabU(finalBase + ${u(n + b)});`);
  return lines.join('\n');
}

/** Lets `l` = the logical index of physical index `physical` in the final layout (needs finalLayoutLets). */
export function logicalIndex(plan: KernelPlan, physical: string): string {
  const terms = Array.from({ length: plan.nQubits }, (_, b) => `select(0u, inv${b}, (${physical} & ${u(1 << b)}) != 0u)`);
  return `    let l = ${terms.join(' ^ ')};`;
}

/** Sign (−1)^popcount(l & mask) as an f32 expression. */
export function signOf(mask: number): string {
  if (mask === 0) return '1.0';
  if ((mask & (mask - 1)) === 0) return `(1.0 - 2.0 * f32((l >> ${u(31 - Math.clz32(mask))}) & 1u))`;
  return `(1.0 - 2.0 * f32(countOneBits(l & ${u(mask)}) & 1u))`;
}
