export type HeadlessCommand = (args: unknown) => Promise<unknown>;

const commands = new Map<string, HeadlessCommand>();

/** Makes a command callable by the headless runner and the browser tests. */
export function registerHeadlessCommand(name: string, command: HeadlessCommand): void {
  if (commands.has(name)) throw new Error(`Headless command ${name} is registered twice.`);
  commands.set(name, command);
}

export function runHeadlessCommand(name: string, args: unknown): Promise<unknown> {
  const command = commands.get(name);
  if (!command) {
    return Promise.reject(new Error(`Unknown headless command "${name}". Known: ${[...commands.keys()].sort().join(', ')}`));
  }
  return command(args);
}

export function headlessCommandNames(): string[] {
  return [...commands.keys()].sort();
}
