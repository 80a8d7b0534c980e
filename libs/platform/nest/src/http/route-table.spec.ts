import { RouteTable } from './route-table';

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('/api/v1/policies/:key', ['GET', 'HEAD']);
  table.add('/api/v1/policies/:key', 'PUT');
  table.add('/api/v1/policies/:key/versions', 'GET');
  table.add('/api/v1/docs/*', 'GET');

  it('gathers the methods of every route that matches the path', () => {
    expect(table.allowedMethods('/api/v1/policies/case')).toEqual(['GET', 'HEAD', 'PUT']);
    expect(table.allowedMethods('/api/v1/policies/case/')).toEqual(['GET', 'HEAD', 'PUT']);
    expect(table.allowedMethods('/api/v1/policies/case/versions')).toEqual(['GET']);
    expect(table.allowedMethods('/api/v1/docs/static/index.html')).toEqual(['GET']);
  });

  it('knows no path that no route declares', () => {
    expect(table.allowedMethods('/api/v1/policie')).toEqual([]);
    expect(table.allowedMethods('/api/v1/policies/a/b/c')).toEqual([]);
    expect(table.allowedMethods('/api/v1/policies.x')).toEqual([]);
  });
});
