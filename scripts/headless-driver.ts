import { chromium, type Browser, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { THREADS_PARAM } from '../src/platform/threads';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export interface HeadlessSession {
  /** Runs a command registered in src/headless on the page and returns its JSON result. */
  run<T>(command: string, args?: unknown): Promise<T>;
  /** Another runner page in the same browser, with the same URL (its close closes that page only). */
  openPage(): Promise<HeadlessSession>;
  close(): Promise<void>;
}

const quietLogger = {
  info: () => {},
  warn: (message: string) => process.stderr.write(`${message}\n`),
  warnOnce: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
  clearScreen: () => {},
  hasErrorLogged: () => false,
  hasWarned: false,
};

/**
 * Builds the app (unless told not to), serves it on localhost and opens the headless runner page
 * in Chromium with software WebGPU. Nothing is written to stdout: callers print their own JSON.
 * `threads`: the page's thread setting (`headless.html?threads=N`, src/platform/threads.ts); left
 * out, the page's default (all cores, capped; 1 where the page is not cross-origin isolated).
 */
export async function openHeadlessSession(options: { build?: boolean; threads?: number } = {}): Promise<HeadlessSession> {
  if (options.build !== false) {
    // Vite's module runner (scripts/vite-run.ts) set NODE_ENV=development, which would select Lit's dev build.
    process.env.NODE_ENV = 'production';
    await build({ mode: 'production', logLevel: 'error', customLogger: quietLogger });
  }
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await preview({ logLevel: 'warn', customLogger: quietLogger, preview: { host: 'localhost', port: 4180, open: false } });
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('The preview server did not report its address.');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const url = new URL('headless.html', base);
    if (options.threads !== undefined) url.searchParams.set(THREADS_PARAM, String(options.threads));
    const page = await runnerPage(browser, url.href);
    const [launched, served] = [browser, server];
    // The first page's session closes the browser and the server.
    return {
      ...session(page, browser, url.href),
      async close() {
        await launched.close();
        await served.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.close();
    throw error;
  }
}

/** A runner page of `browser` at `url`, ready for commands; its console's errors and warnings go to stderr. */
async function runnerPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') process.stderr.write(`[page ${message.type()}] ${message.text()}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return page;
}

/** Commands on `page`; `close` closes the page. */
function session(page: Page, browser: Browser, url: string): HeadlessSession {
  return {
    run: <T>(command: string, args?: unknown) =>
      page.evaluate(({ command, args }) => window.qpkpdHeadless.run(command, args), { command, args }) as Promise<T>,
    openPage: async () => session(await runnerPage(browser, url), browser, url),
    close: () => page.close(),
  };
}
