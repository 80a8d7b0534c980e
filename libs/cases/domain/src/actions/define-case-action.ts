import { z } from 'zod';
import type { CasePolicy, DeadlineContext } from '@ecc/legal-domain';
import type { CaseActor, CaseFlag, CaseRole, CaseSnapshot, CaseState, DeadlineKind } from '../case-state';

/** The stages of the procedure; each declares its actions in `<stage>.actions.ts`. */
export const CASE_ACTION_STAGES = {
  filing: '立案',
  investigation: '调查取证',
  notice_and_hearing: '告知、陈述申辩与听证',
  review_and_decision: '法制审核与决定',
  execution: '送达与执行',
  closing: '结案、抄告、公示与归档',
} as const;
export type CaseActionStage = keyof typeof CASE_ACTION_STAGES;

export interface StartedDeadline {
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
}

/** From-state → the states it may lead to (the same state for a recording action). */
export type CaseTransitions = Partial<Record<CaseState, readonly CaseState[]>>;

/** What the table says about an action; the rules that need the snapshot are its guard and run. */
export interface CaseActionRule {
  type: string;
  stage: CaseActionStage;
  /** 中文名, as shown to users (the trace, the timeline, the API document). */
  title: string;
  /** Any one of these roles may do it (never an auditor: see the state machine). */
  roles: readonly CaseRole[];
  /** An officer must be one of this case's officers. */
  caseOfficersOnly: boolean;
  /** The actor must not be an officer of this case (separation of duties, Art. 58 / 42 context). */
  independentOfCase: boolean;
  transitions: CaseTransitions;
  starts: readonly DeadlineKind[];
  stops: readonly DeadlineKind[];
  /** The rule the action applies. */
  article: string;
}

/** What a rule of an action sees: the case, who acts, when, and the policy and calendar in force. */
export interface CaseActionContext {
  s: CaseSnapshot;
  actor: CaseActor;
  now: Date;
  policy: CasePolicy;
  tz: string;
  /** For the lifecycle deadlines of @ecc/legal-domain: zone, working-day calendar, policy. */
  dl: DeadlineContext;
  def: CaseActionRule;
}

/** What `run` decides beyond the table. */
export interface CaseActionStep {
  next?: CaseState;
  started?: StartedDeadline[];
  /** Defaults to the definition's `stops`; only those actually running are reported. */
  stops?: readonly DeadlineKind[];
  flags?: CaseFlag[];
}

/** Why a request body may not carry a field the system fills in (the error it gets). */
export interface SystemFieldRefusal {
  message: string;
  /** Defaults to `invalid_case_action`. */
  code?: string;
}

type Shape = z.core.$ZodLooseShape;

type CommandSchema<T extends string, F extends Shape, S extends Shape> = z.ZodObject<
  z.core.util.Writeable<{ type: z.ZodLiteral<T> } & F & S>,
  z.core.$strict
>;
/** The input as a body carries it: the fields the system completes (`O`) may be left out. */
type BodyInput<F extends Shape, O extends keyof F> = {
  [K in keyof F]: K extends O ? z.ZodOptional<F[K]> : F[K];
};
type BodySchema<T extends string, F extends Shape, X extends Shape, O extends keyof F = never> = z.ZodObject<
  z.core.util.Writeable<
    { type: z.ZodOptional<z.ZodLiteral<T>>; expectedVersion: typeof expectedVersionSchema } & BodyInput<
      F,
      O
    > &
      X
  >,
  z.core.$strict
>;

/** One declaration per action: the table row, the input, the rules. */
export interface CaseActionDeclaration<
  T extends string,
  F extends Shape,
  S extends Shape,
  X extends Shape,
  O extends keyof F & string,
> {
  type: T;
  stage: CaseActionStage;
  title: string;
  roles: readonly CaseRole[];
  transitions: CaseTransitions;
  article: string;
  starts?: readonly DeadlineKind[];
  stops?: readonly DeadlineKind[];
  /** Defaults: an officer action is for the case's officers; any other role must be independent of the case. */
  caseOfficersOnly?: boolean;
  independentOfCase?: boolean;
  /** The input the state machine reads, as a request body carries it. */
  input?: F;
  /** Input fields the system completes when a request body leaves them out (a generated document's id). */
  completedBySystem?: readonly O[];
  /** Input the system completes before the machine decides; a request body carrying it is refused. */
  system?: S;
  systemRefusals?: { [K in keyof S]: SystemFieldRefusal };
  /** Fields a request body carries for the action's records and documents only (the machine ignores them). */
  extras?: X;
  /** A request body for the API document (checked against the body schema by a unit test). */
  example: NoInfer<z.input<BodySchema<T, F, X, O>>>;
  /** Rules that need no input: also decide whether the action is offered by `allowedActions`. */
  guard?: (c: CaseActionContext) => void;
  run?: (c: CaseActionContext, a: z.output<CommandSchema<T, F, S>>) => CaseActionStep;
  /** Records the action's facts on the snapshot (state, deadlines and flags are applied by `transition`). */
  apply?: (s: CaseSnapshot, a: z.output<CommandSchema<T, F, S>>, c: CaseActionContext) => void;
}

/** A declared action: its rule, the machine's input schema (`command`) and the request body's (`body`). */
export interface CaseActionDefinition<
  T extends string = string,
  F extends Shape = Shape,
  S extends Shape = Shape,
  X extends Shape = Shape,
  O extends keyof F & string = never,
> extends CaseActionRule {
  type: T;
  /** What `decide` and `transition` take: `{ type, ...input, ...system }`. */
  command: CommandSchema<T, F, S>;
  /** The whole body `POST /cases/{id}/actions/{type}` accepts: input, extras, `expectedVersion`, `type`. */
  body: BodySchema<T, F, X, O>;
  /** The keys of the body that go to the machine. */
  inputKeys: readonly string[];
  systemRefusals: Readonly<Record<string, SystemFieldRefusal>>;
  example: z.input<BodySchema<T, F, X, O>>;
  guard?: (c: CaseActionContext) => void;
  run?: (c: CaseActionContext, a: z.output<CommandSchema<T, F, S>>) => CaseActionStep;
  apply?: (s: CaseSnapshot, a: z.output<CommandSchema<T, F, S>>, c: CaseActionContext) => void;
}

/** Any declared action, with its input erased: what the engine, the API document and the tests iterate over. */
export interface DeclaredCaseAction<T extends string = string> extends CaseActionRule {
  type: T;
  command: z.ZodObject<Shape, z.core.$strict>;
  body: z.ZodObject<Shape, z.core.$strict>;
  inputKeys: readonly string[];
  systemRefusals: Readonly<Record<string, SystemFieldRefusal>>;
  example: unknown;
  guard?: (c: CaseActionContext) => void;
}

/**
 * The case version the caller read (optimistic locking; the If-Match header says the same). A numeric
 * string is accepted as well, as before this schema existed.
 */
export const expectedVersionSchema = z.coerce
  .number({ error: 'must be a non-negative integer (the case version)' })
  .int({ error: 'must be a non-negative integer (the case version)' })
  .min(0, { error: 'must be a non-negative integer (the case version)' })
  .optional()
  .describe('the case version read (GET /cases/{id} → version); a stale one is refused with 409');

export function defineCaseAction<
  const T extends string,
  F extends Shape = Record<never, never>,
  S extends Shape = Record<never, never>,
  X extends Shape = Record<never, never>,
  const O extends keyof F & string = never,
>(d: CaseActionDeclaration<T, F, S, X, O>): CaseActionDefinition<T, F, S, X, O> {
  const officerAction = d.roles.includes('officer');
  const input = (d.input ?? {}) as F;
  const completed = new Set<string>(d.completedBySystem ?? []);
  const bodyInput = Object.fromEntries(
    Object.entries(input).map(([key, schema]) => [
      key,
      completed.has(key) ? (schema as z.ZodType).optional() : schema,
    ]),
  ) as BodyInput<F, O>;
  const command = z.strictObject({ type: z.literal(d.type), ...input, ...((d.system ?? {}) as S) });
  const body = z
    .strictObject({
      type: z.literal(d.type, { error: `must be ${d.type} or absent` }).optional(),
      expectedVersion: expectedVersionSchema,
      ...bodyInput,
      ...((d.extras ?? {}) as X),
    })
    .describe(`${d.title} (${d.article})`);
  return {
    type: d.type,
    stage: d.stage,
    title: d.title,
    roles: d.roles,
    transitions: d.transitions,
    article: d.article,
    starts: d.starts ?? [],
    stops: d.stops ?? [],
    caseOfficersOnly: d.caseOfficersOnly ?? officerAction,
    independentOfCase: d.independentOfCase ?? !officerAction,
    command: command as unknown as CommandSchema<T, F, S>,
    body: body as unknown as BodySchema<T, F, X, O>,
    inputKeys: Object.keys(input),
    systemRefusals: (d.systemRefusals ?? {}) as Record<string, SystemFieldRefusal>,
    example: d.example,
    ...(d.guard ? { guard: d.guard } : {}),
    ...(d.run ? { run: d.run } : {}),
    ...(d.apply ? { apply: d.apply } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// what the declarations share

/** Times of past facts (served, signed, paid...) default to `now` and may not lie in the future. */
export const when = z.coerce.date().optional();
export const text = z.string().trim().min(1).max(4000);
export const id = z.string().trim().min(1).max(200);
/** A legal day (YYYY-MM-DD) the action records, e.g. the day a remedy was filed. */
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * What the 送达回证 of a served document records besides how and when: who received it, who signed, the day of
 * receipt (民事诉讼法 Art. 87, which 行政处罚法 Art. 61 and 行政强制法 Art. 38 apply).
 */
/** Why a document was served by public announcement (公告送达, 民事诉讼法 Art. 95). */
export const announcementField = z
  .strictObject({
    reason: z.enum(['party_not_found', 'other_methods_failed']),
    attempts: text.describe('the methods tried and how they failed, or how the party was searched for'),
  })
  .optional()
  .describe('required for service by public announcement (公告送达, 民事诉讼法 Art. 95)');

export const receiptFields = {
  recipient: z.string().trim().min(1).max(200).optional().describe('who received it (default: the party)'),
  signedBy: z.string().trim().min(1).max(200).optional().describe('who signed the 送达回证'),
  receivedAt: z.coerce.date().optional().describe('the day of receipt on the 送达回证 (default: servedAt)'),
};

export const same = <S extends CaseState>(states: readonly S[]): CaseTransitions =>
  Object.fromEntries(states.map((s) => [s, [s]]));
export const to = <S extends CaseState>(states: readonly S[], next: CaseState): CaseTransitions =>
  Object.fromEntries(states.map((s) => [s, [next]]));

export const officer: readonly CaseRole[] = ['officer'];
export const approver: readonly CaseRole[] = ['approver'];
export const reviewer: readonly CaseRole[] = ['legal_reviewer'];
