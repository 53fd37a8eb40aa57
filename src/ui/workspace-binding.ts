/**
 * Binds a view to its page-lifetime workspace (the state that outlives tab switches): redraws on
 * the workspace's 'change' events while connected, refreshes its saved-model list on connect, and
 * cancels its running job on Escape.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface ViewWorkspace extends EventTarget {
  refreshSaved(): Promise<void>;
  cancel(): void;
}

export class WorkspaceBinding implements ReactiveController {
  private readonly onChange = (): void => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly workspace: ViewWorkspace,
    isRunning: () => boolean,
  ) {
    host.addController(this);
    host.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Escape' && isRunning()) {
        event.preventDefault();
        workspace.cancel();
      }
    });
  }

  hostConnected(): void {
    this.workspace.addEventListener('change', this.onChange);
    void this.workspace.refreshSaved();
  }

  hostDisconnected(): void {
    this.workspace.removeEventListener('change', this.onChange);
  }
}
