import { recordAudit } from '@ecc/audit-data';
import type { Actor } from '@ecc/identity-domain';
import {
  leadTransition,
  leadTransitionRefusal,
  type LeadStatus,
  type LeadTransitionName,
} from '@ecc/leads-domain';
import { DomainError, notFound } from '@ecc/shared-kernel';
import type { LeadStatus as StoredLeadStatus, Prisma, Tx } from '@ecc/shared-data';

// The statuses the database stores are the lifecycle's, no more and no fewer (fails to compile otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const storedStatusesAreTheLifecycles: Same<StoredLeadStatus, LeadStatus> = true;
void storedStatusesAreTheLifecycles;

export interface LeadTransitionInput {
  leadId: string;
  transition: LeadTransitionName;
  actor: Actor;
  at: Date;
  requestId?: string;
  /** the lead's version the caller acted on: another one is refused (409 `lead_modified`) */
  expectedVersion?: number;
  /** other columns written with the status (the reviewer, the review note, the vehicle found) */
  set?: Omit<Prisma.LeadUncheckedUpdateManyInput, 'status' | 'version'>;
  /** recorded in the transition's audit event */
  changes?: Record<string, unknown>;
  /** for a transition that starts the response window: its last instant */
  responseWindowDueAt?: Date;
  /**
   * For transitions that follow an event (a delivery, a fence lifted): a lead no longer in a status the
   * transition leaves is left as it is, and null is returned instead of a refusal.
   */
  onlyIfAllowed?: boolean;
  /**
   * Work that belongs to the transition (the notices of a confirmation, the fence of a window's end), run
   * after the status is written and before the audit event, which records what it returns.
   */
  effects?: (tx: Tx) => Promise<Record<string, unknown> | void>;
}

export interface LeadTransitionResult {
  leadId: string;
  from: LeadStatus;
  to: LeadStatus;
  version: number;
  /** the response window this transition started (none when one runs already or the party came forward) */
  responseWindow: { id: string; dueAt: Date } | null;
}

/**
 * The one writer of a lead's status: locks the lead, asks the lifecycle (@ecc/leads-domain) whether the
 * transition is allowed from its status, writes the new status guarded by the status and version it read,
 * starts the response window where the transition does, runs the transition's effects and writes its audit
 * event (`lead.<event>`) — all in the caller's transaction.
 */
export async function transitionLead(
  tx: Tx,
  input: LeadTransitionInput,
): Promise<LeadTransitionResult | null> {
  const [lead] = await tx.$queryRaw<{ status: LeadStatus; version: number; responded: boolean }[]>`
    SELECT l.status::text AS status, l.version,
           EXISTS (SELECT 1 FROM lead_responses r WHERE r.lead_id = l.id) AS responded
      FROM leads l WHERE l.id = ${input.leadId}::uuid FOR UPDATE OF l`;
  if (!lead) throw notFound('lead', input.leadId);
  if (input.expectedVersion !== undefined && input.expectedVersion !== lead.version)
    throw modified(input, lead);
  if (input.onlyIfAllowed && leadTransitionRefusal(lead.status, input.transition)) return null;
  const rule = leadTransition(lead.status, input.transition, input.leadId);

  const { count } = await tx.lead.updateMany({
    where: { id: input.leadId, status: lead.status, version: lead.version },
    data: { ...input.set, status: rule.to, version: { increment: 1 } },
  });
  if (count !== 1) throw modified(input, lead);

  let responseWindow: LeadTransitionResult['responseWindow'] = null;
  if (rule.startsResponseWindow) {
    if (!input.responseWindowDueAt)
      throw new Error(`${input.transition} starts the response window: give its end`);
    // The party who came forward before being reached has no window to run; a window running stays.
    const open = await tx.deadline.findFirst({
      where: { leadId: input.leadId, kind: 'response_window', status: 'open' },
      select: { id: true },
    });
    if (!lead.responded && !open) {
      responseWindow = await tx.deadline.create({
        data: {
          leadId: input.leadId,
          kind: 'response_window',
          startedAt: input.at,
          dueAt: input.responseWindowDueAt,
          approachingAt: null,
        },
        select: { id: true, dueAt: true },
      });
    }
  }
  const effects = (await input.effects?.(tx)) ?? {};
  await recordAudit(
    tx,
    {
      actor: input.actor,
      action: rule.event,
      entityType: 'lead',
      entityId: input.leadId,
      requestId: input.requestId,
      changes: {
        transition: input.transition,
        from: lead.status,
        to: rule.to,
        ...(rule.basis ? { basis: rule.basis } : {}),
        ...input.changes,
        ...effects,
        ...(rule.startsResponseWindow
          ? {
              responseWindow: responseWindow
                ? {
                    id: responseWindow.id,
                    startedAt: input.at.toISOString(),
                    dueAt: responseWindow.dueAt.toISOString(),
                  }
                : null,
            }
          : {}),
      },
    },
    input.at,
  );
  return { leadId: input.leadId, from: lead.status, to: rule.to, version: lead.version + 1, responseWindow };
}

function modified(input: LeadTransitionInput, lead: { status: LeadStatus; version: number }): DomainError {
  return new DomainError(
    'conflict',
    'lead_modified',
    `the lead is at version ${lead.version} (${lead.status}), not the one acted on: reload it`,
    { leadId: input.leadId, version: lead.version, leadStatus: lead.status },
  );
}
