import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import {
  attachmentDisposition,
  CONTENT_TYPES,
  csvStream,
  xlsxStream,
  type AnyTable,
  type ExportFormat,
} from '@ecc/shared-export';

/**
 * Sets the headers of a download and returns its stream: XLSX holds every table (a sheet each), CSV the first
 * (a CSV file is one table). Nothing is buffered: the stream is written as the database pages arrive.
 */
export function sendTables(
  reply: FastifyReply,
  tables: AnyTable[],
  format: ExportFormat,
  fileName: string,
  timeZone: string,
): Readable {
  reply.header('content-type', CONTENT_TYPES[format]);
  reply.header('content-disposition', attachmentDisposition(fileName, format));
  reply.header('cache-control', 'no-store');
  return format === 'xlsx' ? xlsxStream(tables, { timeZone }) : csvStream(tables[0]!, { timeZone });
}
