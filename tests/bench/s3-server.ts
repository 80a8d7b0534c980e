import S3rver from 's3rver';

/**
 * The benchmark's S3 server in a process of its own, so that serving the evidence uploads does not share an
 * event loop with the load generator (the fault suite's too, restarted on the same port). Arguments: its folder,
 * optionally its port. Prints its port; stops on SIGTERM.
 */
async function main(): Promise<void> {
  const requested = Number(process.argv[3] ?? 0);
  const s3 = new S3rver({ address: '127.0.0.1', port: requested, directory: process.argv[2]!, silent: true });
  const { port } = await s3.run();
  console.log(`port=${port}`);
  process.once('SIGTERM', () => void s3.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
