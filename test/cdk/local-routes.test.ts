import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRoutes } from '../../contract/routes';
import { readDeploymentTemplate } from '../../local/template';
import { synthesize } from '../support/synth';

/**
 * npm start's helper routes (/local/users, /local/outbox) and the playground
 * live only in scripts/start.ts: the deployed REST API has no such resource,
 * and npm start serves exactly the methods the template has, so a helper can
 * never be mistaken for part of the service.
 */
const { template } = synthesize({ smsAllowedCountries: '1,44' }, { bundle: false });
const resources = template.toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

test('no API Gateway resource of the template is a local helper or the playground', () => {
  const pathParts = Object.values(resources.Resources)
    .filter((resource) => resource.Type === 'AWS::ApiGateway::Resource')
    .map((resource) => String(resource.Properties?.PathPart));
  expect(pathParts.length).toBeGreaterThan(0);
  expect(pathParts).not.toContain('local');
  expect(pathParts).not.toContain('playground');
});

test('the methods npm start reads from the template are the route table, each with its authorizer scopes', () => {
  const directory = mkdtempSync(join(tmpdir(), 'local-template-'));
  writeFileSync(join(directory, 'Local.template.json'), JSON.stringify(resources));
  const read = readDeploymentTemplate(directory, 'Local');
  const served = read.routes.map((route) => `${route.method} ${route.path} ${route.scopes ? 'token' : 'none'}`).sort();
  expect(served).toEqual(apiRoutes.map((route) => `${route.method} ${route.path} ${route.auth}`).sort());
  expect(served.some((route) => route.includes('/local'))).toBe(false);
  expect(read.stagePath).toBe('/v1');
});

test('a method behind an authorizer npm start does not model is refused, not served open', () => {
  const directory = mkdtempSync(join(tmpdir(), 'local-template-'));
  const changed = structuredClone(resources);
  const method = Object.values(changed.Resources).find(
    (resource) => resource.Type === 'AWS::ApiGateway::Method' && resource.Properties?.AuthorizationType === 'COGNITO_USER_POOLS',
  );
  expect(method).toBeDefined();
  Object.assign(method?.Properties ?? {}, { AuthorizationType: 'AWS_IAM', AuthorizationScopes: undefined });
  writeFileSync(join(directory, 'Local.template.json'), JSON.stringify(changed));
  expect(() => readDeploymentTemplate(directory, 'Local')).toThrow('npm start models no "AWS_IAM" authorizer');
});
