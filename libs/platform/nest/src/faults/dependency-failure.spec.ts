import { createServer, connect, type AddressInfo } from 'node:net';
import { DatabaseError } from 'pg';
import { Prisma } from '@ecc/shared-data';
import {
  DependencyFailure,
  dependencyFailureOf,
  dependencyPorts,
  transportFailureReason,
} from './dependency-failure';

/** A SQLSTATE error as node-postgres builds it from the server's ErrorResponse. */
function pgError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, 0, 'error');
  error.code = code;
  error.severity = 'FATAL';
  return error;
}

/** What Prisma's client throws for a failed raw query through the pg adapter (P2010, the driver's error in meta). */
function prismaRawError(code: string, message: string) {
  return new Prisma.PrismaClientKnownRequestError(
    `Raw query failed. Code: \`${code}\`. Message: \`${message}\``,
    {
      code: 'P2010',
      clientVersion: '7',
      meta: {
        driverAdapterError: Object.assign(new Error(message), {
          name: 'DriverAdapterError',
          cause: {
            originalCode: code,
            originalMessage: message,
            kind: 'postgres',
            code,
            severity: 'ERROR',
            message,
          },
        }),
      },
    },
  );
}

/** A real refused connection: a port that was listening a moment ago. */
async function refusedConnectionError(): Promise<Error & { port?: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return new Promise((resolve) => connect(port, '127.0.0.1').once('error', resolve));
}

describe('dependency failures', () => {
  it.each([
    [
      'the server shutting down (57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
      'shutting down',
    ],
    ['a lost connection (08006)', pgError('08006', 'connection failure'), 'connection lost'],
    [
      'the statement timeout (57014), through Prisma',
      prismaRawError('57014', 'canceling statement due to statement timeout'),
      'timeout',
    ],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already'), 'overloaded'],
    [
      "node-postgres's connect timeout",
      new Error('Connection terminated due to connection timeout'),
      'timeout',
    ],
    ["node-postgres's read timeout (a frozen server)", new Error('Query read timeout'), 'timeout'],
    ['a connection cut under a query', new Error('Connection terminated unexpectedly'), 'connection lost'],
    [
      'a free connection not found in time (P2024)',
      new Prisma.PrismaClientKnownRequestError('Timed out fetching a new connection', {
        code: 'P2024',
        clientVersion: '7',
      }),
      'timeout',
    ],
    [
      'an unreachable server (P1001)',
      new Prisma.PrismaClientKnownRequestError("Can't reach database server", {
        code: 'P1001',
        clientVersion: '7',
      }),
      'unreachable',
    ],
  ])('recognises %s as the database', (_, error, reason) => {
    expect(dependencyFailureOf(error)).toEqual({ dependency: 'database', reason });
  });

  it('recognises the errors of an ioredis connection that is not usable as Redis', () => {
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(dependencyFailureOf(maxRetries)).toEqual({ dependency: 'redis', reason: 'unreachable' });
    expect(dependencyFailureOf(new Error('Connection is closed.'))).toEqual({
      dependency: 'redis',
      reason: 'connection lost',
    });
    expect(
      dependencyFailureOf(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toEqual({ dependency: 'redis', reason: 'unreachable' });
  });

  it('attributes a bare refused connection by its port, and leaves an unknown port alone', async () => {
    const refused = await refusedConnectionError();
    expect(dependencyFailureOf(refused, { database: [refused.port!] })).toEqual({
      dependency: 'database',
      reason: 'unreachable',
    });
    expect(dependencyFailureOf(refused, { database: [refused.port! + 1] })).toBeNull();
  });

  it('attributes a reset of an established connection (no address) to the pool that marked it', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    expect(dependencyFailureOf(reset, { database: [5432] })).toBeNull();
    Object.defineProperty(reset, 'dependency', { value: 'database' });
    expect(dependencyFailureOf(reset)).toEqual({ dependency: 'database', reason: 'connection lost' });
  });

  it('keeps what the adapters attributed themselves, wrapped or not', () => {
    const storage = new DependencyFailure('storage', 'timeout');
    expect(dependencyFailureOf(storage)).toEqual({ dependency: 'storage', reason: 'timeout' });
    expect(dependencyFailureOf(new Error('upload failed', { cause: storage }))).toEqual({
      dependency: 'storage',
      reason: 'timeout',
    });
  });

  it('is null for answers and bugs: a unique violation, a deadlock, a missing key, a TypeError', () => {
    expect(
      dependencyFailureOf(pgError('23505', 'duplicate key value violates unique constraint')),
    ).toBeNull();
    expect(dependencyFailureOf(prismaRawError('40P01', 'deadlock detected'))).toBeNull();
    expect(dependencyFailureOf(Object.assign(new Error('Not Found'), { code: 'NoSuchKey' }))).toBeNull();
    expect(
      dependencyFailureOf(new TypeError("Cannot read properties of undefined (reading 'id')")),
    ).toBeNull();
    expect(dependencyFailureOf('a string')).toBeNull();
  });

  it("tells the object store's transport failures from its answers", async () => {
    expect(transportFailureReason(await refusedConnectionError())).toBe('unreachable');
    expect(transportFailureReason(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'connection lost',
    );
    expect(
      transportFailureReason(
        Object.assign(new Error('Please reduce your request rate.'), { code: 'SlowDown' }),
      ),
    ).toBe('overloaded');
    expect(
      transportFailureReason(new Error('Request failed after 1 retries: Error: Retryable HTTP status: 503')),
    ).toBe('unreachable');
    expect(
      transportFailureReason(
        Object.assign(new Error('The specified key does not exist.'), { code: 'NoSuchKey' }),
      ),
    ).toBeNull();
  });

  it('reads the ports of the configured URLs, with the default port of each scheme', () => {
    expect(
      dependencyPorts({
        database: 'postgresql://app:secret@db/ecc',
        redis: 'redis://127.0.0.1:6390',
        storage: 'http://minio:9000',
      }),
    ).toEqual({ database: [5432], redis: [6390], storage: [9000] });
    expect(dependencyPorts({ redis: ['redis://10.0.0.1:7000', 'redis://10.0.0.2'] })).toEqual({
      redis: [7000, 6379],
    });
  });
});
