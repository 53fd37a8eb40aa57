/**
 * The browser's offer to install the app (`beforeinstallprompt`, Chromium only), kept so that an
 * install button can show it when the user asks; none is shown where the browser makes no offer.
 */

/** Not in TypeScript's DOM library: https://developer.mozilla.org/docs/Web/API/BeforeInstallPromptEvent */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export class InstallPrompt extends EventTarget {
  private offer: BeforeInstallPromptEvent | null = null;
  private listening = false;

  get available(): boolean {
    return this.offer !== null;
  }

  start(): void {
    if (this.listening) return;
    this.listening = true;
    window.addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault(); // our button instead of the browser's mini info bar
      this.set(event as BeforeInstallPromptEvent);
    });
    window.addEventListener('appinstalled', () => this.set(null));
  }

  /** Shows the browser's install dialog; an offer can be used once. */
  async install(): Promise<void> {
    const offer = this.offer;
    if (!offer) return;
    this.set(null);
    await offer.prompt();
    await offer.userChoice;
  }

  private set(offer: BeforeInstallPromptEvent | null): void {
    this.offer = offer;
    this.dispatchEvent(new Event('change'));
  }
}

export const installPrompt = new InstallPrompt();
