/** A file name (without extension) from a caption: "PK: predicted vs observed" → "pk-predicted-vs-observed"; a leading panel letter ("D. ") is dropped. */
export function fileNameOf(caption: string): string {
  const slug = caption
    .replace(/^[A-Z]\.\s+/, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug || 'plot';
}
