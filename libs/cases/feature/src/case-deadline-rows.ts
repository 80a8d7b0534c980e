import { Injectable } from '@nestjs/common';
import type { CaseActionType, DeadlineKind, StartedDeadline } from '@ecc/cases-domain';
import { DeadlinesRepository } from '@ecc/cases-data';
import type { AppliedScope } from './actions/action-effects';
import { CaseEnvironmentProvider } from './case-environment';
import type { ScheduledDeadline } from './deadline-scheduler';

/** The deadline rows of a case, kept in step with its snapshot by every action. */
@Injectable()
export class CaseDeadlineRows {
  constructor(
    private readonly deadlines: DeadlinesRepository,
    private readonly env: CaseEnvironmentProvider,
  ) {}

  /**
   * Deadline rows follow the snapshot: kinds the action stopped (or that no longer run) end, a restarted
   * kind's earlier row is cancelled, and each started deadline gets a row with its approaching instant.
   * Returns the rows whose delayed jobs are to be queued once the transaction has committed.
   */
  async sync(
    c: AppliedScope,
    started: readonly StartedDeadline[],
    type: CaseActionType,
  ): Promise<ScheduledDeadline[]> {
    const { tx, caseId, next, now } = c;
    const openNow = new Set(next.deadlines.filter((d) => d.stoppedAt === undefined).map((d) => d.kind));
    const rows = await this.deadlines.ofCase(caseId, tx);
    const terminal = ['terminated', 'not_filed', 'archived'].includes(next.state);
    const ended = [
      ...new Set(
        rows.filter((r) => r.status === 'open' && !openNow.has(r.kind as DeadlineKind)).map((r) => r.kind),
      ),
    ];
    if (ended.length)
      await this.deadlines.stop(tx, { caseId }, ended, now, type, terminal ? 'cancelled' : 'met');
    const restarted = [...new Set(started.map((d) => d.kind))];
    if (restarted.length)
      await this.deadlines.stop(tx, { caseId }, restarted, now, `${type}:superseded`, 'cancelled');
    const out: ScheduledDeadline[] = [];
    for (const d of started) {
      // A party's own window (statement, hearing request) lapses by itself: no staff alert ahead of it.
      const partyWindow = d.kind === 'statement_window' || d.kind === 'hearing_request_window';
      const row = await this.deadlines.start(tx, {
        caseId,
        kind: d.kind,
        startedAt: d.startedAt,
        dueAt: d.dueAt,
        approachingAt: partyWindow ? null : this.env.approachingAt(d.startedAt, d.dueAt, c.env),
      });
      out.push({ id: row.id, dueAt: row.dueAt, approachingAt: row.approachingAt });
    }
    return out;
  }
}
