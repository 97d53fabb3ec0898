import type { Dispatcher, DispatcherOptions } from './types.js';

/** Creates a dispatcher bound to one database; call `start()` to run it. */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  void opts;
  const notYet = async (): Promise<void> => {
    throw new Error('dispatcher: not implemented yet');
  };
  return { start: notYet, stop: async () => {}, deliverNow: notYet };
}
