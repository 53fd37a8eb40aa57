export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatDate(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "EstData" → "EstData (2)" when the name is taken. */
export function uniqueName(wanted: string, taken: readonly string[]): string {
  if (!taken.includes(wanted)) return wanted;
  let k = 2;
  while (taken.includes(`${wanted} (${k})`)) k++;
  return `${wanted} (${k})`;
}

export function baseName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '') || fileName;
}
