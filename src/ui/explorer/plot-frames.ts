import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

/**
 * Time one update may spend building plots before the rest wait for the next one: a view of seven
 * plots built in one go was a single 150–200 ms task on a busy two-core machine.
 */
const BUILD_BUDGET_MS = 40;

/**
 * Measures the content width of every element carrying `data-plot` in the host's render root and
 * caches the plot built for each, rebuilding it only when its width or its inputs change. An update
 * builds plots until BUILD_BUDGET_MS have passed (at least one), then asks for another update for the
 * rest, so the page stays responsive while a view is drawn.
 */
export class PlotFrames implements ReactiveController {
  private readonly host: Host;
  private observer: ResizeObserver | null = null;
  private readonly observed = new WeakSet<Element>();
  private readonly widths = new Map<string, number>();
  private readonly cache = new Map<string, { key: string; element: Element }>();
  private updateStarted = 0;
  private builtThisUpdate = 0;
  private deferred = false;

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

  hostUpdate(): void {
    this.updateStarted = performance.now();
    this.builtThisUpdate = 0;
  }

  hostUpdated(): void {
    for (const el of this.frames()) {
      if (!this.observed.has(el)) {
        this.observed.add(el);
        this.observer?.observe(el);
      }
    }
    if (this.deferred) {
      this.deferred = false;
      // A task of its own, so input and painting come in between.
      setTimeout(() => this.host.requestUpdate(), 0);
    }
  }

  /**
   * The plot for a frame, built by `make(width)` when the width or `key` changed; null until measured.
   * Past this update's budget, the plot drawn before (or null) until a later update builds it.
   */
  plot(name: string, key: string, make: (width: number) => Element): Element | null {
    const width = this.widths.get(name);
    if (!width) return null;
    const fullKey = `${width}|${key}`;
    const hit = this.cache.get(name);
    if (hit && hit.key === fullKey) return hit.element;
    if (this.builtThisUpdate > 0 && performance.now() - this.updateStarted > BUILD_BUDGET_MS) {
      this.deferred = true;
      return hit?.element ?? null;
    }
    this.builtThisUpdate++;
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
