/** Most frequent positive amount (ties → larger), 0 if none: a subject's arm dose when the file has no DOSE column. */
export function modalAmount(amounts: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let j = 0; j < amounts.length; j++) {
    const a = amounts[j];
    if (Number.isFinite(a) && a > 0) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value > best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
