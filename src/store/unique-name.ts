/** "EstData" → "EstData (2)" when the name is taken. */
export function uniqueName(wanted: string, taken: readonly string[]): string {
  if (!taken.includes(wanted)) return wanted;
  let k = 2;
  while (taken.includes(`${wanted} (${k})`)) k++;
  return `${wanted} (${k})`;
}
