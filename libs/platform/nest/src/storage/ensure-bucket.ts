/**
 * The evidence bucket is made once the object store answers. A store that is down or slow at start delays
 * what needs it (uploads answer 503, readiness says the store is down) instead of stopping the process: it
 * recovers by itself when the store comes back, like every other dependency.
 */
export async function ensureBucketWhenReachable(
  storage: { readonly bucket: string; ensureBucket(): Promise<void> },
  logger: { log(message: string): void; warn(message: string): void },
  retryMs = 2000,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await storage.ensureBucket();
      if (attempt > 1) logger.log(`bucket ${storage.bucket} ready after ${attempt} attempts`);
      return;
    } catch (error) {
      // Once at first, then about every minute: the readiness probe says the rest.
      if (attempt === 1 || attempt % 30 === 0)
        logger.warn(`bucket ${storage.bucket} not ready yet (${(error as Error).message}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  }
}
