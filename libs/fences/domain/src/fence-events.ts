/**
 * Redis pub/sub between the processes: `changed` tells every API instance to refresh its in-memory set of
 * fenced plates (a fence created by the worker, a fence lifted); `alerts` carries each interception alert
 * to the SSE streams of every instance. Prefixed by QUEUE_PREFIX so environments sharing a Redis stay apart.
 */
export const fenceChannels = (prefix: string) => ({
  changed: `${prefix}:fences:changed`,
  alerts: `${prefix}:fences:alerts`,
});

export interface FenceChangedMessage {
  kind: 'fenced' | 'lifted';
  fenceId: string;
  plate: string;
}

/** The `event: interception` data of the SSE stream (also the item shape of `GET /alerts`). */
export interface InterceptionAlertView {
  id: string;
  status: 'open' | 'acknowledged' | 'resolved';
  raisedAt: string;
  plate: string;
  plateColour: string | null;
  station: { id: string; code: string; name: string };
  detectionId: string;
  detectedAt: string;
  fenceId: string;
  leadId: string | null;
  caseId: string | null;
  acknowledgedById: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

/** The SSE frame of one alert. */
export function interceptionFrame(alert: InterceptionAlertView): string {
  return `id: ${alert.id}\nevent: interception\ndata: ${JSON.stringify(alert)}\n\n`;
}
