/**
 * The screening outcomes a phase of the mix should produce (tests/support/detection-mix.ts: about 5% over the
 * limit after the tolerance, a fifth of those holding a permit, about 2% invalid): leads (or duplicates of a
 * lead's trip) about 4%, invalid about 2%, the rest no violation. A phase whose outcomes are far from that
 * measured another path than the one the figures claim — e.g. every detection invalid because the policy
 * requires evidence the bodies do not carry — and its screening figures are not printed.
 */
export interface OutcomeMix {
  detections: number;
  /** Shares of the screened detections, 0-1. */
  shares: { lead: number; invalid: number; noViolation: number; pending: number };
  ok: boolean;
  /** Why the mix is off (empty when ok). */
  problems: string[];
}

/** The mix's shares: 5% over the limit less the fifth with a permit; 2% invalid. */
const EXPECTED = { lead: 0.04, invalid: 0.02, noViolation: 0.94 } as const;

/**
 * How far a phase of n detections may be from a share: three standard deviations of a sample of n (a short
 * phase is noisier) and one point more. A phase screened on another path — say every detection invalid — is
 * far outside at any size.
 */
const allowance = (share: number, n: number) => 3 * Math.sqrt((share * (1 - share)) / Math.max(1, n)) + 0.01;

export function outcomeMix(outcomes: Record<string, number>): OutcomeMix {
  const detections = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const share = (n: number) => (detections === 0 ? 0 : n / detections);
  const shares = {
    lead: share((outcomes['lead'] ?? 0) + (outcomes['duplicate'] ?? 0)),
    invalid: share(outcomes['invalid'] ?? 0),
    noViolation: share(outcomes['no_violation'] ?? 0),
    pending: share(outcomes['pending'] ?? 0),
  };
  const problems: string[] = [];
  if (detections === 0) problems.push('no detections');
  for (const [name, expected] of Object.entries(EXPECTED) as [keyof typeof EXPECTED, number][]) {
    const value = shares[name];
    const off = allowance(expected, detections);
    if (Math.abs(value - expected) > off)
      problems.push(
        `${name} ${percent(value)} outside ${percent(Math.max(0, expected - off))}-${percent(expected + off)}`,
      );
  }
  if (shares.pending > 0) problems.push(`${percent(shares.pending)} not screened`);
  return { detections, shares, ok: problems.length === 0, problems };
}

export const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `lead 4.1% · invalid 2.0% · no violation 93.9%`, and what is off. */
export function describeMix(mix: OutcomeMix): string {
  const shares = `lead ${percent(mix.shares.lead)} · invalid ${percent(mix.shares.invalid)} · no violation ${percent(mix.shares.noViolation)}`;
  return mix.ok ? shares : `${shares} — MIX OFF: ${mix.problems.join('; ')}`;
}
