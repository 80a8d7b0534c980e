import { Injectable } from '@nestjs/common';
import type { DeadlineRow } from '@ecc/cases-data';
import type { DeadlineKind, Tx } from '@ecc/shared-data';

/**
 * What happens when an open deadline's due instant has passed, per deadline kind. Called by the worker (job
 * or sweep) in a transaction that holds the deadline's row lock; the deadline is still `open`. The handler
 * closes it (`missed`, `met`) with the same transaction client, or leaves it open to be tried again.
 *
 * The electronic-fence code implements this for the lead's `response_window` (no response → fence) and
 * registers it with `DeadlineDueHandlers.register(handler)`, replacing the default (a staff alert).
 */
export interface DeadlineDueHandler {
  readonly kinds: readonly DeadlineKind[];
  /** What it returns goes into the `deadline.due` audit event (how the deadline ended, and why). */
  onDue(tx: Tx, deadline: DeadlineRow, now: Date): Promise<void | Record<string, unknown>>;
}

/** The registry: one handler per kind; a registered handler replaces the built-in default of its kinds. */
@Injectable()
export class DeadlineDueHandlers {
  private readonly defaults = new Map<DeadlineKind, DeadlineDueHandler>();
  private readonly registered = new Map<DeadlineKind, DeadlineDueHandler>();

  registerDefault(handler: DeadlineDueHandler): void {
    for (const kind of handler.kinds) this.defaults.set(kind, handler);
  }

  register(handler: DeadlineDueHandler): void {
    for (const kind of handler.kinds) {
      const present = this.registered.get(kind);
      if (present && present !== handler) throw new Error(`two deadline-due handlers for ${kind}`);
      this.registered.set(kind, handler);
    }
  }

  for(kind: DeadlineKind): DeadlineDueHandler | undefined {
    return this.registered.get(kind) ?? this.defaults.get(kind);
  }
}
