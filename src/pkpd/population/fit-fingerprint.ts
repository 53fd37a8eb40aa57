/**
 * A fingerprint of every number a study fit computed — each candidate's OFV, iterations and
 * evaluations, its estimates and standard errors, covariance, EBEs and residuals (IWRES, CWRES) — as
 * FNV-1a over their IEEE-754 bytes: two fits have the same fingerprint when they hold the same
 * doubles (bit for bit; a fit split across workers against the serial one), which a rounded report
 * cannot tell.
 */
import type { StudyFitResult } from './fit-study';

export function fitFingerprint(fit: StudyFitResult): string {
  const values: number[] = [fit.ofv, fit.aic, fit.bic];
  for (const stage of [...fit.candidates.pk, ...fit.candidates.pd]) {
    const f = stage.foce;
    values.push(f.ofv, f.iterations, f.evaluations, ...f.ofvTrace);
    for (const p of f.parameters) values.push(p.estimate, p.se, p.lower, p.upper);
    if (f.covariance) values.push(...f.covariance);
    for (const eta of f.etas) values.push(...eta);
    for (const d of f.diagnostics) values.push(...d.ipred, ...d.iwres, ...d.cwres);
  }
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return `${values.length}:${hash.toString(16).padStart(8, '0')}`;
}
