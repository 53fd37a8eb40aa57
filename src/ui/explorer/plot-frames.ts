import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

/**
 * Measures the content width of every element carrying `data-plot` in the host's render root and
 * caches the plot built for each, rebuilding it only when its width or its inputs change.
 */
export class PlotFrames implements ReactiveController {
  private readonly host: Host;
  private observer: ResizeObserver | null = null;
  private readonly observed = new WeakSet<Element>();
  private readonly widths = new Map<string, number>();
  private readonly cache = new Map<string, { key: string; element: Element }>();

  constructor(host: Host) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.observer = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const name = (entry.target as HTMLElement).dataset.plot;
        const width = Math.floor(entry.contentRect.width);
        if (!name || width <= 0 || this.widths.get(name) === width) continue;
        this.widths.set(name, width);
        changed = true;
      }
      if (changed) this.host.requestUpdate();
    });
    // Elements rendered before a reconnect need observing again.
    for (const el of this.frames()) this.observer.observe(el);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  hostUpdated(): void {
    for (const el of this.frames()) {
      if (!this.observed.has(el)) {
        this.observed.add(el);
        this.observer?.observe(el);
      }
    }
  }

  /** The plot for a frame, built by `make(width)` when the width or `key` changed; null until measured. */
  plot(name: string, key: string, make: (width: number) => Element): Element | null {
    const width = this.widths.get(name);
    if (!width) return null;
    const fullKey = `${width}|${key}`;
    const hit = this.cache.get(name);
    if (hit && hit.key === fullKey) return hit.element;
    const element = withGroupRoles(make(width));
    this.cache.set(name, { key: fullKey, element });
    return element;
  }

  /** Forget cached plots (e.g. when the dataset changes). */
  clear(): void {
    this.cache.clear();
  }

  private frames(): Element[] {
    return Array.from(this.host.renderRoot.querySelectorAll('[data-plot]'));
  }
}

/**
 * Observable Plot names each mark's <g> (aria-label "dot", "line", …, and an aria-description where
 * a plot sets one); ARIA allows a name on a <g> only with a role, so they get the `group` role that
 * screen readers already give them.
 */
function withGroupRoles(plot: Element): Element {
  for (const g of plot.querySelectorAll('g[aria-label]:not([role]), g[aria-description]:not([role])')) g.setAttribute('role', 'group');
  return plot;
}
