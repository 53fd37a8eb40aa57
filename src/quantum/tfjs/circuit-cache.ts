import { compileCircuit } from '../compile';
import type { CompiledCircuit } from '../compile';
import { QuantumShapeError } from '../errors';
import { reuploadingStronglyEntangling } from '../template';
import type { CircuitTemplate } from '../template';
import { circuitFingerprint } from '../webgpu/kernel-plan';

/** Kernel attributes: what identifies the circuit. TF.js records them on the tape and hands them to the gradient. */
export interface QnnLayerAttrs {
  readonly templateName: string;
  readonly nQubits: number;
  readonly nLayers: number;
}

/** Templates the kernels can rebuild from their attributes alone (e.g. attrs that outlived the cache). */
const KNOWN_TEMPLATES: Record<string, (nQubits: number, nLayers: number) => CircuitTemplate> = {
  'reupload-strongly-entangling-v1': reuploadingStronglyEntangling,
};

interface CacheEntry {
  readonly circuit: CompiledCircuit;
  readonly fingerprint: string;
}

const cache = new Map<string, CacheEntry>();
const seenTemplates = new WeakMap<CircuitTemplate, QnnLayerAttrs>();

function keyOf(attrs: QnnLayerAttrs): string {
  return `${attrs.templateName}|${attrs.nQubits}|${attrs.nLayers}`;
}

/**
 * Compiles the template once and returns the attributes that name it. A different template under a name, n and L
 * already in use is refused: the attributes would no longer identify one circuit.
 */
export function attrsForTemplate(template: CircuitTemplate): QnnLayerAttrs {
  const seen = seenTemplates.get(template);
  if (seen) return seen;
  const attrs: QnnLayerAttrs = { templateName: template.name, nQubits: template.nQubits, nLayers: template.nLayers };
  const circuit = compileCircuit(template);
  const fingerprint = circuitFingerprint(circuit);
  const existing = cache.get(keyOf(attrs));
  if (existing && existing.fingerprint !== fingerprint) {
    throw new QuantumShapeError(
      `A different circuit is already registered as template "${template.name}" with ${template.nQubits} qubits and ${template.nLayers} layers; give it another name`,
    );
  }
  if (!existing) cache.set(keyOf(attrs), { circuit, fingerprint });
  seenTemplates.set(template, attrs);
  return attrs;
}

/** The compiled circuit named by kernel attributes (the kernels' side of the cache). */
export function circuitForAttrs(attrs: unknown): CompiledCircuit {
  const a = attrs as Partial<QnnLayerAttrs>;
  if (typeof a?.templateName !== 'string' || typeof a.nQubits !== 'number' || typeof a.nLayers !== 'number') {
    throw new QuantumShapeError('QnnLayer kernel attributes must carry templateName, nQubits and nLayers');
  }
  const key = keyOf(a as QnnLayerAttrs);
  const hit = cache.get(key);
  if (hit) return hit.circuit;
  const factory = KNOWN_TEMPLATES[a.templateName];
  if (!factory) throw new QuantumShapeError(`Unknown circuit template "${a.templateName}": call qnnLayer with the template first`);
  attrsForTemplate(factory(a.nQubits, a.nLayers));
  return cache.get(key)!.circuit;
}
