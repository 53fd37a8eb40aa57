/**
 * A drawn plot as a standalone SVG file: every SVG inside the plot's element (Observable Plot's
 * chart, its legend swatches and ramps, side-by-side panels) placed where it is drawn now, the
 * HTML text around them (legend labels, notes) as SVG text, on a white background, with the fonts
 * and colours the page computed written in — so the file looks the same opened anywhere.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Attributes that size the original element; the copy gets its drawn size instead. */
const SIZING = new Set(['width', 'height', 'viewBox', 'x', 'y', 'preserveAspectRatio']);

export interface StandaloneSvg {
  readonly text: string;
  /** Size in CSS pixels, as drawn. */
  readonly width: number;
  readonly height: number;
}

function svgElement<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** The SVGs not inside another SVG. */
function outerSvgs(container: Element): SVGSVGElement[] {
  const all = container instanceof SVGSVGElement ? [container] : Array.from(container.querySelectorAll('svg'));
  return all.filter((svg) => !svg.parentElement?.closest('svg'));
}

/** A copy of `svg` as a nested viewport at its drawn place, its own attributes (class, fill, fonts) on an inner group. */
function placedCopy(svg: SVGSVGElement, origin: DOMRect): SVGSVGElement | null {
  const drawn = svg.getBoundingClientRect();
  if (drawn.width === 0 || drawn.height === 0) return null;
  const box = svg.viewBox.baseVal;
  const viewBox =
    box && box.width > 0
      ? `${box.x} ${box.y} ${box.width} ${box.height}`
      : `0 0 ${svg.width.baseVal.value || drawn.width} ${svg.height.baseVal.value || drawn.height}`;
  const copy = svgElement('svg', {
    x: drawn.left - origin.left,
    y: drawn.top - origin.top,
    width: drawn.width,
    height: drawn.height,
    viewBox,
    preserveAspectRatio: svg.getAttribute('preserveAspectRatio') ?? 'xMidYMid meet',
    overflow: 'visible',
  });
  const group = svgElement('g', {});
  for (const attribute of Array.from(svg.attributes)) if (!SIZING.has(attribute.name)) group.setAttribute(attribute.name, attribute.value);
  for (const child of Array.from(svg.childNodes)) group.append(child.cloneNode(true));
  copy.append(group);
  return copy;
}

/** The HTML text in `container` (outside SVGs), one SVG text per drawn line, in its computed font and colour. */
function textLines(container: Element, origin: DOMRect): SVGTextElement[] {
  const lines: SVGTextElement[] = [];
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('svg, style, script')) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === 'hidden') continue;
    let line: { top: number; left: number; bottom: number; words: string[] } | null = null;
    const flush = (): void => {
      if (!line) return;
      const text = svgElement('text', {
        x: line.left - origin.left,
        y: (line.top + line.bottom) / 2 - origin.top,
        'dominant-baseline': 'central',
        'font-family': style.fontFamily,
        'font-size': style.fontSize,
        'font-weight': style.fontWeight,
        'font-style': style.fontStyle,
        fill: style.color,
      });
      text.textContent = line.words.join(' ');
      lines.push(text);
    };
    for (const word of (node.textContent ?? '').matchAll(/\S+/g)) {
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const at = range.getBoundingClientRect();
      if (at.width === 0) continue;
      if (line && Math.abs(at.top - line.top) < at.height / 2) line.words.push(word[0]);
      else {
        flush();
        line = { top: at.top, left: at.left, bottom: at.bottom, words: [word[0]] };
      }
    }
    flush();
  }
  return lines;
}

/** The plot drawn in `container` (a Plot figure, an SVG, or an element holding several) as an SVG file. */
export function standaloneSvg(container: Element): StandaloneSvg {
  const origin = container.getBoundingClientRect();
  const width = Math.ceil(origin.width);
  const height = Math.ceil(origin.height);
  const style = getComputedStyle(container);
  const root = svgElement('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-family': style.fontFamily,
    'font-size': style.fontSize,
    style: `color: ${style.color}`,
  });
  root.append(svgElement('rect', { width: '100%', height: '100%', fill: '#ffffff' }));
  for (const svg of outerSvgs(container)) {
    const copy = placedCopy(svg, origin);
    if (copy) root.append(copy);
  }
  root.append(...textLines(container, origin));
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`, width, height };
}

/** Draws a standalone SVG on a canvas at `scale` × its size, on white, and encodes it as PNG. */
export async function svgToPng(svg: StandaloneSvg, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(svg.width * scale);
    canvas.height = Math.round(svg.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas.');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the image could not be encoded as PNG.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
