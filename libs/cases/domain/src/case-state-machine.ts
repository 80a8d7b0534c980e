import { CN_WORKING_CALENDAR_2024_2026, type CasePolicy, type WorkingDayCalendar } from '@ecc/legal-domain';
import { DomainError, type FieldIssue } from '@ecc/shared-kernel';
import { actedAsOfficer, conflict, forbidden, isCaseOfficer } from './actions/case-action-helpers';
import type {
  CaseActionContext as Ctx,
  CaseActionStep,
  DeclaredCaseAction,
  StartedDeadline,
} from './actions/define-case-action';
import {
  CASE_ACTIONS,
  caseActionDefinition,
  caseActionSchema,
  type CaseAction,
  type CaseActionInput,
  type CaseActionType,
} from './case-actions';
import { openDeadlineKinds } from './case-deadlines';
import {
  CASE_STATE_INFO,
  type CaseActor,
  type CaseFlag,
  type CaseSnapshot,
  type CaseState,
  type DeadlineKind,
} from './case-state';

/*
 * The engine of the case state machine: who may act, then the action's own rules (its declaration in
 * `actions/<stage>.actions.ts`), the next state and the deadlines. The actions themselves live there.
 */

export type { StartedDeadline };

export interface CaseActionEffects {
  deadlinesStarted: StartedDeadline[];
  deadlinesStopped: DeadlineKind[];
  flags: CaseFlag[];
}

export interface CaseActionOutcome {
  ok: true;
  action: CaseActionType;
  from: CaseState;
  next: CaseState;
  effects: CaseActionEffects;
}

/** The declaration of an action, its input typed as the union of every action's (the engine is generic). */
const declared = (type: CaseActionType) =>
  caseActionDefinition(type) as unknown as DeclaredCaseAction<CaseActionType> & {
    run?: (c: Ctx, a: CaseAction) => CaseActionStep;
    apply?: (s: CaseSnapshot, a: CaseAction, c: Ctx) => void;
  };

// ---------------------------------------------------------------------------------------------------
// who may act

/**
 * Role and separation-of-duties checks. Order matters for the error a caller sees: an archived case
 * refuses everything; an auditor never writes; then the state, then the role, then the person.
 */
function checkActor(c: Ctx): void {
  const { s, actor, def } = c;
  if (s.state === 'archived') throw conflict('case_archived', '案件已归档，只读');
  if (actor.roles.includes('auditor'))
    throw forbidden('auditor_read_only', '监督/评查人员只读，不得办理案件');
  if (!def.transitions[s.state]) {
    throw new DomainError(
      'conflict',
      'invalid_transition',
      `案件处于「${CASE_STATE_INFO[s.state].title}」阶段，不能${def.title}`,
      { caseState: s.state, action: def.type, actionTitle: def.title },
    );
  }
  const qualifying = actor.roles.filter((r) => def.roles.includes(r));
  if (qualifying.length === 0)
    throw new DomainError(
      'forbidden',
      'role_not_allowed',
      `${def.title} 须由 ${def.roles.join(' / ')} 办理`,
      {
        action: def.type,
        actionTitle: def.title,
        roles: def.roles,
      },
    );
  const onlyAsOfficer = qualifying.every((r) => r === 'officer');
  if (def.caseOfficersOnly && onlyAsOfficer && s.officers.length > 0 && !isCaseOfficer(s, actor.id)) {
    throw forbidden('not_case_officer', '仅本案执法人员可办理');
  }
  if (def.independentOfCase && actedAsOfficer(s, actor.id)) {
    // 行政处罚法 Art. 58 (review) and the bureau's reading of Art. 42/57: no one checks their own case.
    if (def.roles.includes('legal_reviewer')) {
      throw forbidden('reviewer_is_case_officer', '法制审核人员不得是本案执法人员（行政处罚法第五十八条）');
    }
    throw forbidden('approver_is_case_officer', '负责人不得审批本人承办的案件');
  }
  if (def.roles.includes('legal_reviewer') && !(actor.legalQualificationNo ?? '').trim()) {
    // Art. 58(2): a first-time reviewer needs the national legal professional qualification.
    throw forbidden('legal_qualification_missing', '法制审核人员须取得法律职业资格（行政处罚法第五十八条）');
  }
}

function parseAction(snapshot: CaseSnapshot, action: unknown): CaseAction {
  // An archived case refuses every write, even a malformed one: 409 before 400.
  if (snapshot.state === 'archived') throw conflict('case_archived', '案件已归档，只读');
  const parsed = caseActionSchema.safeParse(action);
  if (parsed.success) return parsed.data;
  const errors: FieldIssue[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || 'action',
    message: i.message,
  }));
  throw new DomainError('validation', 'invalid_case_action', '案件操作参数无效', { errors });
}

function context(
  s: CaseSnapshot,
  type: CaseActionType,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  tz: string,
  calendar: WorkingDayCalendar,
): Ctx {
  return {
    s,
    actor,
    now,
    policy,
    tz,
    dl: { timeZone: tz, calendar, policy },
    def: caseActionDefinition(type),
  };
}

function evaluate(c: Ctx, action: CaseAction): CaseActionOutcome {
  checkActor(c);
  const def = declared(action.type);
  def.guard?.(c);
  const step = def.run?.(c, action) ?? {};
  const targets = c.def.transitions[c.s.state] ?? [];
  const next = step.next ?? targets[0];
  if (!next || !targets.includes(next)) {
    throw new Error(`case machine table does not allow ${c.s.state} -${action.type}-> ${String(next)}`);
  }
  const open = openDeadlineKinds(c.s);
  const stopped = (step.stops ?? c.def.stops).filter((k) => open.has(k));
  return {
    ok: true,
    action: action.type,
    from: c.s.state,
    next,
    effects: {
      deadlinesStarted: step.started ?? [],
      deadlinesStopped: [...new Set(stopped)],
      flags: step.flags ?? [],
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// the API

/**
 * Decides one action on a case: who may do it, what must exist first, the next state, and the deadlines
 * it starts and stops. Pure: it changes nothing; `transition` also returns the updated snapshot.
 * Throws a DomainError: `forbidden` (role, separation of duties), `rule_violation` (an unmet
 * precondition), `conflict` (`invalid_transition`, `case_archived`), `validation` (malformed input).
 */
export function decide(
  snapshot: CaseSnapshot,
  action: CaseActionInput,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): CaseActionOutcome {
  const parsed = parseAction(snapshot, action);
  return evaluate(context(snapshot, parsed.type, actor, now, policy, timeZone, calendar), parsed);
}

/** `decide`, then the snapshot as it is after the action (the data layer persists the difference). */
export function transition(
  snapshot: CaseSnapshot,
  action: CaseActionInput,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): { outcome: CaseActionOutcome; snapshot: CaseSnapshot } {
  const parsed = parseAction(snapshot, action);
  const c = context(snapshot, parsed.type, actor, now, policy, timeZone, calendar);
  const outcome = evaluate(c, parsed);
  const next = structuredClone(snapshot);
  declared(parsed.type).apply?.(next, parsed, c);
  next.state = outcome.next;
  for (const record of next.deadlines) {
    if (record.stoppedAt === undefined && outcome.effects.deadlinesStopped.includes(record.kind)) {
      record.stoppedAt = now;
      record.stoppedBy = parsed.type;
    }
  }
  // A terminal outcome leaves nothing running (e.g. a party window of a terminated case).
  if (['terminated', 'not_filed', 'archived'].includes(outcome.next)) {
    for (const record of next.deadlines) {
      if (record.stoppedAt === undefined) {
        record.stoppedAt = now;
        record.stoppedBy = parsed.type;
      }
    }
  }
  next.deadlines.push(...outcome.effects.deadlinesStarted.map((d) => ({ ...d })));
  next.flags.push(...outcome.effects.flags);
  return { outcome, snapshot: next };
}

export interface ActionAvailability {
  action: CaseActionType;
  title: string;
  allowed: boolean;
  refusal?: { category: DomainError['category']; code: string; message: string };
}

/**
 * Every action that leaves the current state, with whether this actor may do it now and, if not, why.
 * Input-dependent rules (amounts, dates) are checked only when the action is submitted.
 */
export function explainActions(
  snapshot: CaseSnapshot,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): ActionAvailability[] {
  return CASE_ACTIONS.filter((def) => snapshot.state !== 'archived' && def.transitions[snapshot.state]).map(
    (def) => {
      const c = context(snapshot, def.type, actor, now, policy, timeZone, calendar);
      try {
        checkActor(c);
        def.guard?.(c);
        return { action: def.type, title: def.title, allowed: true };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return {
          action: def.type,
          title: def.title,
          allowed: false,
          refusal: { category: error.category, code: error.code, message: error.message },
        };
      }
    },
  );
}

/** The actions this actor may do now (GET /cases/{id} shows them). */
export function allowedActions(
  snapshot: CaseSnapshot,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): CaseActionType[] {
  return explainActions(snapshot, actor, now, policy, timeZone, calendar)
    .filter((a) => a.allowed)
    .map((a) => a.action);
}
