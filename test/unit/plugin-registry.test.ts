import { HookList } from '../../src/plugins/hooks';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';

describe('plugin registry', () => {
  const a = { id: 'a', name: 'A', xeps: [], features: ['urn:a', 'urn:shared'] };
  const b = { id: 'b', name: 'B', xeps: [], features: ['urn:b', 'urn:shared'], requires: ['a'] };
  const lazy = { id: 'heavy', name: 'Heavy', xeps: [], features: ['urn:heavy'], load: () => Promise.resolve({ id: 'heavy', name: 'Heavy', xeps: [] }) };

  it('lists the features of enabled plugins, once each', () => {
    expect(new PluginRegistry([a, b, lazy], []).features()).toEqual(['urn:a', 'urn:b', 'urn:heavy', 'urn:shared']);
  });

  it('disabling a plugin disables those that require it', () => {
    const r = new PluginRegistry([a, b, lazy], ['a']);
    expect(r.enabled().map((p) => p.id)).toEqual(['heavy']);
    expect(r.features()).toEqual(['urn:heavy']);
  });

  it('loads lazy plugins once, and refuses disabled ones', async () => {
    const load = jest.fn(lazy.load);
    const r = new PluginRegistry([{ ...lazy, load }], []);
    await Promise.all([r.load('heavy'), r.load('heavy')]);
    expect(load).toHaveBeenCalledTimes(1);
    await expect(new PluginRegistry([lazy], ['heavy']).load('heavy')).rejects.toThrow(/disabled/);
  });

  it.each([
    [{ id: 'Bad Id', name: 'x', xeps: [] }, /lower-case/],
    [{ id: 'x', xeps: [] }, /name must be/],
    [{ id: 'x', name: 'x' }, /xeps must be an array/],
    [{ id: 'x', name: 'x', xeps: [], attach: 1 }, /attach must be a function/],
  ])('rejects the malformed definition %j', (def, message) => {
    expect(() => new PluginRegistry([def as never], [])).toThrow(message);
  });

  it('rejects two plugins with one id', () => {
    expect(() => new PluginRegistry([a, a], [])).toThrow(/registered already/);
  });
});

describe('hooks', () => {
  it('run by priority, and a failing hook does not stop the chain', async () => {
    const order: string[] = [];
    const hooks = new HookList<string[]>();
    hooks.add('late', (v) => void v.push('late'), 90);
    hooks.add('early', (v) => void v.push('early'), 10);
    hooks.add('broken', () => {
      throw new Error('boom');
    }, 50);
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await hooks.run(order);
    spy.mockRestore();
    expect(order).toEqual(['early', 'late']);
  });
});
