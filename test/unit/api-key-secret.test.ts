import { apiKeyPrefix, generateApiKey, hashApiKey } from '../../src/modules/accounts/api-key-secret';

describe('API key secrets', () => {
  it('generates distinct keys whose prefix can be read back and whose hash is stable', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(200);
    for (const k of keys) {
      expect(apiKeyPrefix(k.key)).toBe(k.prefix);
      expect(hashApiKey(k.key).equals(k.hash)).toBe(true);
    }
  });

  it('reads no prefix from things that are not our keys', () => {
    const { key } = generateApiKey();
    for (const bad of ['', 'pk_', key.slice(0, -1), `${key}x`, key.replace('pk_', 'sk_'), ` ${key}`]) {
      expect(apiKeyPrefix(bad)).toBeNull();
    }
  });
});
