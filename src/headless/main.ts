import { headlessCommandNames, runHeadlessCommand } from './registry';
import './commands/environment';
import './commands/quantum';
import './commands/doses';
import './commands/train';
import './commands/experiments';
import './commands/model-report';
import './commands/fit';
import './commands/covariates';
import './commands/evaluate';
import './commands/ude';
import './commands/structural';
import './commands/patient';
import './commands/export';
import './commands/threads';

export interface HeadlessApi {
  run(name: string, args: unknown): Promise<unknown>;
  commands(): string[];
}

declare global {
  interface Window {
    qpkpdHeadless: HeadlessApi;
  }
}

window.qpkpdHeadless = { run: runHeadlessCommand, commands: headlessCommandNames };
document.body.dataset.ready = 'true';
