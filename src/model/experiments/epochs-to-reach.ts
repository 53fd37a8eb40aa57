/** Convergence speed as the claims check measures it. */

/**
 * The first epoch whose validation loss is at or below `target`, or null if none is: how long a
 * model took to reach another model's best validation loss.
 */
export function epochsToReach(
  history: readonly { readonly epoch: number; readonly valLoss: number | null }[],
  target: number,
): number | null {
  for (const h of history) if (h.valLoss !== null && h.valLoss <= target) return h.epoch;
  return null;
}
