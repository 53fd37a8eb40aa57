import type { CsvExport } from './csv';

/** Saves a blob as a file through a temporary blob URL and an `<a download>` click. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadCsv(csv: CsvExport): void {
  downloadBlob(new Blob([csv.text()], { type: 'text/csv;charset=utf-8' }), csv.fileName);
}
