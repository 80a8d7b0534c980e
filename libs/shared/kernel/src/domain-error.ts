/**
 * Errors raised by domain and application code. They carry a stable machine-readable `code` and a
 * category; they never know about HTTP. The edge (one exception filter) maps the category to a status.
 */
export type ErrorCategory =
  | 'validation' // the input is malformed
  | 'unauthenticated' // who is calling is unknown
  | 'forbidden' // the caller may not do this
  | 'not_found'
  | 'conflict' // the request clashes with the current state (duplicate, archived case, ...)
  | 'rule_violation' // well-formed, but a legal or business rule refuses it
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export interface FieldIssue {
  /** Dotted path of the offending field (`body.password`, `headers.x-timestamp`). */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly category: ErrorCategory,
    readonly code: string,
    message: string,
    readonly details: { errors?: FieldIssue[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string, errors: FieldIssue[], code = 'validation_failed') =>
  new DomainError('validation', code, message, { errors });

export const notFound = (entity: string, id: string) =>
  new DomainError('not_found', `${entity}_not_found`, `${entity.replace(/_/g, ' ')} ${id} does not exist`);
