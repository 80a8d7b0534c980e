import { DeadlineDueHandlers, type DeadlineDueHandler } from './deadline-due-handler';

const handler = (kinds: DeadlineDueHandler['kinds']): DeadlineDueHandler => ({
  kinds,
  onDue: async () => undefined,
});

describe('DeadlineDueHandlers', () => {
  it('uses the built-in handler of a kind until another is registered for it', () => {
    const registry = new DeadlineDueHandlers();
    const builtIn = handler(['response_window', 'decision_due']);
    registry.registerDefault(builtIn);
    const fence = handler(['response_window']);
    registry.register(fence);
    expect(registry.for('response_window')).toBe(fence);
    expect(registry.for('decision_due')).toBe(builtIn);
    expect(registry.for('payment_due')).toBeUndefined();
  });

  it('refuses two registered handlers for one kind', () => {
    const registry = new DeadlineDueHandlers();
    registry.register(handler(['response_window']));
    expect(() => registry.register(handler(['response_window']))).toThrow('two deadline-due handlers');
  });
});
