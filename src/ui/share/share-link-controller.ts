/**
 * Opens share links: on load and on every `hashchange`, a `#demo` or `#s=…` fragment opens the
 * bundled demo data (the stored copy when there is one, else it is loaded and stored once), switches
 * to the link's view and puts its model and dose settings in the forms. A link that cannot be read
 * leaves the app as it is and sets `message` until dismissed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DatasetLibraryController } from '../dataset-library-controller';
import { dosesWorkspace } from '../doses/doses-workspace';
import { modelWorkspace } from '../model/model-workspace';
import { findDemoEntry } from './demo-entry';
import { decodeShareState, isShareFragment } from './share-codec';
import type { ShareState, ShareView } from './share-state';

export class ShareLinkController implements ReactiveController {
  /** Why the last link could not be opened, until dismissed. */
  message: string | null = null;
  /** Counts the links applied: the views are drawn anew under it, so their forms show the link's settings. */
  revision = 0;
  /** Links open one after another. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly library: DatasetLibraryController,
    private readonly showView: (view: ShareView) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('hashchange', this.onHashChange);
    this.onHashChange();
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  dismiss(): void {
    this.message = null;
    this.host.requestUpdate();
  }

  private readonly onHashChange = (): void => {
    const fragment = window.location.hash;
    if (isShareFragment(fragment)) this.queue = this.queue.then(() => this.open(fragment));
  };

  private async open(fragment: string): Promise<void> {
    const result = decodeShareState(fragment);
    if (!result.ok) {
      this.message = result.message;
      this.host.requestUpdate();
      return;
    }
    this.message = null;
    this.apply(result.state);
    await this.openDemo();
  }

  private apply(state: ShareState): void {
    if (state.model) modelWorkspace.config = state.model;
    if (state.doses) dosesWorkspace.applyShared(state.doses);
    this.revision += 1;
    this.showView(state.view);
    this.host.requestUpdate();
  }

  private async openDemo(): Promise<void> {
    const library = this.library;
    await library.refresh();
    const stored = await findDemoEntry(library.datasets).catch(() => undefined);
    if (!stored) await library.importDemo();
    else if (library.active?.meta.id !== stored.id) await library.open(stored.id);
  }
}
