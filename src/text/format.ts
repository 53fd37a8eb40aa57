/**
 * Numbers, counts and sizes as messages and views write them: pure text formatting, the same in
 * every locale, with no imports — every layer may use it (data, science, store, UI, workers, scripts).
 */

/** `toLocaleString('en-US')`'s format, made once (each toLocaleString call builds a formatter: slow for thousands of labels). */
const EN_US = new Intl.NumberFormat('en-US');

/** "1,234": counts in messages and views, the same in every locale. */
export function formatCount(n: number): string {
  return EN_US.format(n);
}

/** A number rounded to `digits` significant digits, grouped as counts are ("1,230", "0.0123"); "–" when it is not finite. */
export function formatSignificant(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '–';
  return EN_US.format(Number(x.toPrecision(digits)));
}

/** A number from a file as a message quotes it: up to 12 significant digits, so 0.1 × 3 reads 0.3 and 1234 stays 1234. */
export function formatNumber(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** A size in bytes: "512 B", "1.5 KB", "64.0 MB" (binary units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A size in whole megabytes (binary), grouped: "200 MB", "1,024 MB". */
export function formatMegabytes(bytes: number): string {
  return `${formatCount(Math.round(bytes / (1024 * 1024)))} MB`;
}
