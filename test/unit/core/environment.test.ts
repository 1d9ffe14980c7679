import { listEnv, requiredEnv } from '../../../lambda/core/environment';

test('requiredEnv fails loudly, naming the variable', () => {
  delete process.env.MFA_TEST_MISSING;
  expect(() => requiredEnv('MFA_TEST_MISSING')).toThrow('Environment variable MFA_TEST_MISSING is not set');
  process.env.MFA_TEST_MISSING = '';
  expect(() => requiredEnv('MFA_TEST_MISSING')).toThrow('MFA_TEST_MISSING');
  process.env.MFA_TEST_MISSING = 'value';
  expect(requiredEnv('MFA_TEST_MISSING')).toBe('value');
});

test('listEnv splits, trims and drops empties', () => {
  process.env.MFA_TEST_LIST = ' https://a.example , ,https://b.example';
  expect(listEnv('MFA_TEST_LIST')).toEqual(['https://a.example', 'https://b.example']);
  delete process.env.MFA_TEST_LIST;
  expect(listEnv('MFA_TEST_LIST')).toEqual([]);
});
