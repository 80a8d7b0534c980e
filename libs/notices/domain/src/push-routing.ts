import { NOTICE_TEMPLATE_NAMES } from './lead-notice';

export type PushKind = 'enterprise' | 'jurisdiction';

export interface PushEndpointRef {
  name: string;
  kind: PushKind;
  url: string;
  secret: string;
}

/** The receiver kind of a push notice, from its template (null: not a push template). */
export function pushKindOfTemplate(template: string): PushKind | null {
  if (template === NOTICE_TEMPLATE_NAMES.leadPushEnterprise) return 'enterprise';
  if (template === NOTICE_TEMPLATE_NAMES.leadPushJurisdiction) return 'jurisdiction';
  return null;
}

/** Name of the catch-all endpoint of a kind (e.g. the provincial platform receiving every jurisdiction). */
export const DEFAULT_PUSH_ENDPOINT = '*';

/**
 * The endpoint a push goes to: the one of its kind named exactly as the recipient (an enterprise's name,
 * a jurisdiction such as 湖南省岳阳市), else the kind's catch-all `*`; null when neither is configured.
 */
export function resolvePushEndpoint<E extends PushEndpointRef>(
  endpoints: readonly E[],
  kind: PushKind,
  recipient: string,
): E | null {
  const ofKind = endpoints.filter((e) => e.kind === kind);
  return (
    ofKind.find((e) => e.name === recipient) ?? ofKind.find((e) => e.name === DEFAULT_PUSH_ENDPOINT) ?? null
  );
}
