/**
 * Draws the app icon (a concentration–time curve on the header's navy) as public/icon.svg and as
 * PNGs of 192 and 512 pixels for the web app manifest. No image library: a small rasteriser with
 * anti-aliased strokes and a PNG encoder on node:zlib. Usage: npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];

const NAVY: Rgb = [0x0e, 0x2a, 0x47];
const AXIS: Rgb = [0x7f, 0xa7, 0xd1];
const CURVE: Rgb = [0xff, 0xff, 0xff];
const PEAK: Rgb = [0xf0, 0xa2, 0x02];

/** Geometry in a 512-unit square; everything inside the central 80 % (the maskable safe zone). */
const AXIS_LINE: Point[] = [
  [120, 112],
  [120, 392],
  [404, 392],
];
const CURVE_LINE: Point[] = (() => {
  const c = (t: number): number => Math.exp(-0.22 * t) - Math.exp(-0.9 * t);
  const ts = Array.from({ length: 121 }, (_, i) => (14 * i) / 120);
  const max = Math.max(...ts.map(c));
  return ts.map((t): Point => [132 + (t / 14) * 268, 372 - (230 * c(t)) / max]);
})();
const PEAK_POINT: Point = CURVE_LINE.reduce((best, p) => (p[1] < best[1] ? p : best));

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function distanceToLine(p: Point, line: readonly Point[]): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) best = Math.min(best, distanceToSegment(p, line[i - 1], line[i]));
  return best;
}

function render(size: number): Buffer {
  const scale = 512 / size;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const p: Point = [(x + 0.5) * scale, (y + 0.5) * scale];
      let colour: [number, number, number] = [...NAVY];
      const layers: [number, Rgb][] = [
        [cover(distanceToLine(p, AXIS_LINE), 7, scale), AXIS],
        [cover(distanceToLine(p, CURVE_LINE), 14, scale), CURVE],
        [cover(Math.hypot(p[0] - PEAK_POINT[0], p[1] - PEAK_POINT[1]), 26, scale), PEAK],
      ];
      for (const [alpha, rgb] of layers) colour = colour.map((c, i) => c + alpha * (rgb[i] - c)) as [number, number, number];
      row.set([...colour.map(Math.round), 255], 1 + x * 4);
    }
    rows.push(row);
  }
  return png(size, Buffer.concat(rows));
}

/** Coverage of a pixel by a shape whose edge lies `halfWidth` units from its centre line. */
function cover(distance: number, halfWidth: number, pixel: number): number {
  return Math.max(0, Math.min(1, (halfWidth - distance) / pixel + 0.5));
}

function png(size: number, filteredRows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filteredRows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function svg(): string {
  const path = (line: readonly Point[]): string => line.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`).join('');
  const hex = (rgb: Rgb): string => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
<rect width="512" height="512" fill="${hex(NAVY)}"/>
<path d="${path(AXIS_LINE)}" fill="none" stroke="${hex(AXIS)}" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/>
<path d="${path(CURVE_LINE)}" fill="none" stroke="${hex(CURVE)}" stroke-width="28" stroke-linecap="round" stroke-linejoin="round"/>
<circle cx="${PEAK_POINT[0].toFixed(1)}" cy="${PEAK_POINT[1].toFixed(1)}" r="26" fill="${hex(PEAK)}"/>
</svg>
`;
}

const out = (name: string): URL => new URL(`../public/${name}`, import.meta.url);
writeFileSync(out('icon.svg'), svg());
for (const size of [192, 512]) writeFileSync(out(`icon-${size}.png`), render(size));
