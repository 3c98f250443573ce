import { hashPassword, needsRehash, verifyPassword } from '../../src/modules/accounts/password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse battery', 10);
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', 10), hashPassword('same password', 10)]);
    expect(a).not.toBe(b);
  });

  it('treats canonically equivalent Unicode the same', async () => {
    const hash = await hashPassword('caf\u00e9 au lait', 10);
    expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });

  it('asks for a rehash when the configured cost rose', async () => {
    const hash = await hashPassword('pw', 10);
    expect(needsRehash(hash, 10)).toBe(false);
    expect(needsRehash(hash, 15)).toBe(true);
  });
});
