import { describe, expect, it } from 'vitest';
import { compileCircuit } from '../compile';
import { MAX_LAYERS, MAX_QUBITS, reuploadingStronglyEntangling } from '../template';
import type { CircuitTemplate } from '../template';
import { backwardSource } from './backward-wgsl';
import { forwardSource } from './forward-wgsl';
import { DEFAULT_TUNING, planKernel, SOFTWARE_TUNING } from './kernel-plan';
import type { KernelTuning } from './kernel-plan';
import { UNIFORM_DECLARATIONS } from './kernel-table';
import { kernelsFor, QnnBackwardProgram, QnnForwardProgram } from './programs';
import { GENERIC_TEMPLATES } from '../testing/generic-templates';

function programs(template: CircuitTemplate, tuning: KernelTuning = DEFAULT_TUNING, batch = 5) {
  const identity = { templateName: template.name, nQubits: template.nQubits, nLayers: template.nLayers };
  const kernels = kernelsFor(compileCircuit(template), identity, tuning);
  return { forward: new QnnForwardProgram(kernels, batch), backward: new QnnBackwardProgram(kernels, batch) };
}

/** Words WGSL reserves (a selection of those a generator might plausibly emit as names). */
const RESERVED = [
  'active',
  'auto',
  'common',
  'do',
  'enum',
  'filter',
  'final',
  'from',
  'get',
  'layout',
  'match',
  'meta',
  'mod',
  'module',
  'new',
  'nil',
  'null',
  'of',
  'pass',
  'precision',
  'ref',
  'self',
  'set',
  'shared',
  'static',
  'std',
  'super',
  'target',
  'this',
  'type',
  'union',
  'unless',
  'use',
  'where',
  'with',
  'yield',
];

describe('WGSL programs', () => {
  it('are generated deterministically from the compiled circuit', () => {
    for (const template of [reuploadingStronglyEntangling(9, 3), ...GENERIC_TEMPLATES]) {
      const a = planKernel(compileCircuit(template));
      const b = planKernel(compileCircuit(structuredClone(template)));
      expect(forwardSource(a)).toBe(forwardSource(b));
      expect(backwardSource(a)).toBe(backwardSource(b));
      const p = programs(template),
        q = programs(structuredClone(template));
      expect(p.forward.shaderKey).toBe(q.forward.shaderKey);
      expect(p.backward.shaderKey).toBe(q.backward.shaderKey);
    }
  });

  it('have shader keys that name the template and n and differ whenever the code differs', () => {
    const keys = new Map<string, string>();
    for (let n = 1; n <= MAX_QUBITS; n++) {
      for (let layers = 1; layers <= MAX_LAYERS; layers++) {
        for (const tuning of [DEFAULT_TUNING, SOFTWARE_TUNING]) {
          const template = reuploadingStronglyEntangling(n, layers);
          const { forward, backward } = programs(template, tuning);
          expect(forward.shaderKey).toContain(`_${template.name}_n${n}_`);
          expect(forward.shaderKey).not.toBe(backward.shaderKey);
          for (const program of [forward, backward]) {
            const code = program.getUserCode();
            const seen = keys.get(program.shaderKey);
            if (seen !== undefined) expect(code).toBe(seen);
            keys.set(program.shaderKey, code);
          }
        }
      }
    }
    // distinct codes ⇔ distinct keys
    expect(new Set(keys.values()).size).toBe(keys.size);
    // depth lives in the table: one pipeline pair per n and tuning serves every L (tunings coincide for small n)
    expect(keys.size).toBeGreaterThanOrEqual(MAX_QUBITS * 2);
    expect(keys.size).toBeLessThanOrEqual(MAX_QUBITS * 2 * 2);
  });

  it('differ across n, tunings and templates', () => {
    const base = programs(reuploadingStronglyEntangling(4, 2)).forward.shaderKey;
    expect(programs(reuploadingStronglyEntangling(5, 2)).forward.shaderKey).not.toBe(base);
    // (for n = 4 both tunings shrink to 2 invocations and share a program)
    expect(programs(reuploadingStronglyEntangling(4, 2), SOFTWARE_TUNING).forward.shaderKey).toBe(base);
    expect(programs(reuploadingStronglyEntangling(9, 2), SOFTWARE_TUNING).forward.shaderKey).not.toBe(
      programs(reuploadingStronglyEntangling(9, 2)).forward.shaderKey,
    );
    const generic = GENERIC_TEMPLATES.map((t) => programs(t).forward.shaderKey);
    expect(new Set([base, ...generic]).size).toBe(1 + generic.length);
  });

  it('describe one workgroup per sample and the TF.js bindings', () => {
    const { forward, backward } = programs(reuploadingStronglyEntangling(9, 3), SOFTWARE_TUNING, 1000);
    expect(forward.outputShape).toEqual([1000, 36]);
    expect(backward.outputShape).toEqual([1000, 9 + 81]);
    expect(forward.dispatch).toEqual([1000, 1, 1]);
    expect(forward.workgroupSize).toEqual([4, 1, 1]);
    expect(forward.variableNames).toEqual(['qnnX', 'qnnW', 'qnnTab']);
    expect(backward.variableNames).toEqual(['qnnX', 'qnnW', 'qnnDy', 'qnnTab']);
    expect(forward.uniforms).toBe(UNIFORM_DECLARATIONS);
  });

  it('produce well-formed text: balanced braces, a main, barriers outside per-invocation branches', () => {
    for (const template of [reuploadingStronglyEntangling(1, 1), reuploadingStronglyEntangling(9, 6), ...GENERIC_TEMPLATES]) {
      for (const tuning of [DEFAULT_TUNING, SOFTWARE_TUNING]) {
        const plan = planKernel(compileCircuit(template), tuning);
        for (const code of [forwardSource(plan), backwardSource(plan)]) {
          expect(code.split('{').length).toBe(code.split('}').length);
          expect(code.split('(').length).toBe(code.split(')').length);
          expect(code).toMatch(/fn main\(index : i32\)/);
          for (const word of RESERVED) expect(code).not.toMatch(new RegExp(`(\\b(let|var) ${word}\\b)|([(,] *${word} :)`));
          expect(code).not.toMatch(/\b(sin|cos)\(/);
          // every barrier sits at brace depth 1 (main's body) or 2 (a pass loop over uniform bounds)
          let depth = 0;
          for (const line of code.split('\n')) {
            if (line.includes('workgroupBarrier()')) expect(depth).toBeLessThanOrEqual(2);
            depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
          }
        }
      }
    }
  });

  it('refuse shapes that would not fit in workgroup memory', () => {
    expect(() => programs(reuploadingStronglyEntangling(9, 1), { workgroupSize: 256, maxPassWires: 1 })).toThrow(/workgroup memory/);
  });
});
