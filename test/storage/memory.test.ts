import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/storage/memory.js';

describe('memoryStorage', () => {
  it('stores, replaces and removes values synchronously', () => {
    const storage = memoryStorage();
    expect(storage.getItem('a')).toBeNull();
    storage.setItem('a', '1');
    storage.setItem('a', '2');
    expect(storage.getItem('a')).toBe('2');
    storage.removeItem('a');
    expect(storage.getItem('a')).toBeNull();
  });

  it('removing a missing key is not an error', () => {
    expect(() => memoryStorage().removeItem('missing')).not.toThrow();
  });

  it('gives every call its own map: two stores never share a value', () => {
    const first = memoryStorage();
    const second = memoryStorage();
    first.setItem('token', 'secret');
    expect(second.getItem('token')).toBeNull();
    second.setItem('token', 'other');
    expect(first.getItem('token')).toBe('secret');
  });

  it('treats keys as plain strings, prototype names included', () => {
    const storage = memoryStorage();
    expect(storage.getItem('__proto__')).toBeNull();
    expect(storage.getItem('toString')).toBeNull();
    storage.setItem('__proto__', 'x');
    expect(storage.getItem('__proto__')).toBe('x');
  });
});
