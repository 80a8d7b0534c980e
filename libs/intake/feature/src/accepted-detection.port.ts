/**
 * Told of each new detection once it is committed (the electronic fence's interception check, 拦截). It is
 * called on the station's request path: it must return at once and never throw. Provided by a context
 * above intake under ACCEPTED_DETECTION_LISTENER; absent, nothing is told.
 */
export interface AcceptedDetectionListener {
  afterDetectionAccepted(detection: { detectionId: string; plate: string }): void;
}

export const ACCEPTED_DETECTION_LISTENER = Symbol('ACCEPTED_DETECTION_LISTENER');
