/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * Registers the service worker that vite-plugin-pwa generates (it precaches the app for offline use)
 * and keeps what the page should tell the user: a new version is waiting, or the app is now stored
 * for offline use. `<html data-offline-ready>` marks the latter for tests.
 */
import { registerSW } from 'virtual:pwa-register';

export class ServiceWorkerState extends EventTarget {
  /** A new version is installed and waits for the user to reload. */
  needRefresh = false;
  /** The app was stored for offline use (first install). */
  offlineReady = false;
  private applyUpdate: (() => Promise<void>) | null = null;

  start(): void {
    if (this.applyUpdate || !('serviceWorker' in navigator)) return;
    this.applyUpdate = registerSW({
      onNeedRefresh: () => this.set({ needRefresh: true }),
      onOfflineReady: () => {
        document.documentElement.dataset.offlineReady = 'true';
        this.set({ offlineReady: true });
      },
      onRegisterError: (error: unknown) => console.warn('The offline copy of the app could not be set up:', error),
    });
  }

  /** Activates the waiting version; the page reloads once it controls it. */
  async update(): Promise<void> {
    // The plugin reloads only where the page had a controller when it loaded; a first visit has none.
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    await this.applyUpdate?.();
  }

  dismiss(): void {
    this.set({ needRefresh: false, offlineReady: false });
  }

  private set(change: Partial<Pick<ServiceWorkerState, 'needRefresh' | 'offlineReady'>>): void {
    Object.assign(this, change);
    this.dispatchEvent(new Event('change'));
  }
}

export const serviceWorkerState = new ServiceWorkerState();
