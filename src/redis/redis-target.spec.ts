import { hashTagOf, parseClusterNodes } from './redis-target';

describe('Redis Cluster settings', () => {
  it('reads the hash tag the way Redis does: the first {…} with something inside', () => {
    expect(hashTagOf('{caselink}')).toBe('caselink');
    expect(hashTagOf('prod-{caselink}-a')).toBe('caselink');
    expect(hashTagOf('{a}{b}')).toBe('a');
    expect(hashTagOf('caselink')).toBeUndefined();
    expect(hashTagOf('{}caselink')).toBeUndefined(); // an empty tag: Redis hashes the whole key
    expect(hashTagOf('{caselink')).toBeUndefined();
    expect(hashTagOf('}x{')).toBeUndefined();
  });

  it('parses seed nodes, IPv6 in brackets included, and refuses anything else', () => {
    expect(parseClusterNodes('10.0.0.1:7000, redis-2.internal:7001,[::1]:7002')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-2.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(() => parseClusterNodes('10.0.0.1')).toThrow(/not host:port/);
    expect(() => parseClusterNodes('redis://10.0.0.1:7000')).toThrow(/not host:port/);
    expect(() => parseClusterNodes('10.0.0.1:70000')).toThrow(/not host:port/);
  });
});
