import type { OpenAPIObject } from '@nestjs/swagger';
import { completeOpenApiDocument } from './openapi';

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function document(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things/{id}/actions/{action}': {
        post: {
          operationId: 'act',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'action', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'done' } },
          'x-roles': ['officer', 'approver'],
          'x-problems': { 409: 'the state does not allow it' },
          'x-path-variants': {
            param: 'action',
            variants: [
              {
                value: 'open',
                operationId: 'open',
                summary: 'Open',
                roles: ['officer'],
                tag: { name: 'actions' },
                body: {
                  schema: { type: 'object', properties: { why: { type: 'string' } }, required: ['why'] },
                  example: { why: 'x' },
                },
              },
              {
                value: 'close',
                operationId: 'close',
                summary: 'Close',
                body: { schema: { type: 'object', properties: {} } },
              },
            ],
          },
        },
      },
      '/health': {
        get: { operationId: 'health', responses: { '200': { description: 'up' } }, 'x-public': true },
      },
    },
  } as unknown as OpenAPIObject;
}

describe('completeOpenApiDocument', () => {
  it('replaces an operation with path variants by one operation per value, each with its own body', () => {
    const doc = completeOpenApiDocument(document());
    expect(Object.keys(doc.paths)).toEqual([
      '/things/{id}/actions/open',
      '/things/{id}/actions/close',
      '/health',
    ]);
    const open = doc.paths['/things/{id}/actions/open']!.post!;
    expect(open).toMatchObject({
      operationId: 'open',
      summary: 'Open',
      tags: ['actions'],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { required: ['why'] }, example: { why: 'x' } } },
      },
    });
    expect(open.parameters?.map((p) => ('name' in p ? p.name : p.$ref))).toEqual(['id']);
    expect(open.description).toBe('Roles: officer.');
    expect(doc.paths['/things/{id}/actions/close']!.post!.requestBody).toMatchObject({ required: false });
    expect(doc.paths['/things/{id}/actions/close']!.post!.description).toBe('Roles: officer, approver.');
    expect(doc.tags).toEqual([{ name: 'actions' }]);
    expect(JSON.stringify(doc)).not.toContain('x-path-variants');
  });

  it('documents the problems an operation answers from its shape and its declaration, each a Problem', () => {
    const doc = completeOpenApiDocument(document());
    const open = doc.paths['/things/{id}/actions/open']!.post!;
    expect(Object.keys(open.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '500',
    ]);
    expect(open.responses['409']).toEqual({ description: 'the state does not allow it', content: problem });
    expect(open.responses['200']).toEqual({ description: 'done' });
    expect(open.security).toEqual([{ bearer: [] }]);
    const health = doc.paths['/health']!.get!;
    expect(Object.keys(health.responses)).toEqual(['200', '500']);
    expect(health.security).toEqual([]);
    expect(doc.components?.schemas?.['Problem']).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    });
    expect(JSON.stringify(doc)).not.toMatch(/x-public|x-problems/);
  });
});
