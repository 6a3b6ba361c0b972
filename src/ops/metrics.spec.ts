import { ConfigError, loadConfig } from '../config/app-config';
import { metricsAuthorized } from './metrics.service';

describe('metricsAuthorized', () => {
  const token = 'metrics-token-0123456789abcdef';

  it('lets every scrape through when no METRICS_TOKEN is set', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
    expect(metricsAuthorized('Bearer anything', undefined)).toBe(true);
  });

  it('needs exactly "Bearer <token>" when it is set', () => {
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true); // the scheme is case-insensitive
    for (const header of [
      undefined,
      '',
      token,
      `Bearer ${token} `,
      `Bearer ${token}x`,
      `Bearer x${token}`,
      `Basic ${token}`,
      'Bearer ',
    ]) {
      expect(metricsAuthorized(header, token)).toBe(false);
    }
  });
});

describe('metrics configuration', () => {
  it('validates METRICS_TOKEN and METRICS_PORT', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16), METRICS_PORT: '9464' })).toMatchObject({
      METRICS_TOKEN: 'a'.repeat(16),
      METRICS_PORT: 9464,
    });
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(ConfigError);
  });
});
