import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeGraph, parseGraph, parseVary, settingValue, sweepVariants } from '../../engine/index.ts';
import { defaultChoice, defaultEpochs, varyChoices } from './choices.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

describe('compare choices', () => {
  it('offers the hidden layers, the activations and the training settings of the graph on screen', () => {
    const xor = example('xor');
    const choices = varyChoices(xor);
    expect(choices.map((c) => c.path)).toEqual([
      'h.units',
      'h.layers',
      'ha.fn',
      'oa.fn',
      'training.optimizer.learningRate',
      'training.optimizer.type',
      'training.batchSize',
    ]);
    expect(defaultChoice(choices)?.path).toBe('h.units');
    expect(choices.find((c) => c.kind === 'learningRate')?.defaults).toBe('0.2, 2, 20');
    // every default list is accepted by the engine, and builds variants that parse
    for (const c of choices) {
      for (const v of parseVary(`${c.path}=${c.defaults}`).values)
        expect(() => settingValue(xor, c.path, v)).not.toThrow();
      expect(sweepVariants(xor, [parseVary(`${c.path}=${c.defaults}`)]).length).toBe(3);
    }
    expect(defaultEpochs(xor)).toBe(1000);
  });

  it("offers a CNN's convolution fields, c1.filters first, each a list the engine accepts and that compiles", () => {
    const cnn = example('mnist-cnn');
    const choices = varyChoices(cnn);
    const convs = cnn.nodes.filter((n) => n.type === 'conv2d').map((n) => n.id);
    expect(convs.length).toBeGreaterThan(0);
    for (const id of convs)
      expect(choices.map((c) => c.path)).toEqual(expect.arrayContaining([`${id}.filters`, `${id}.padding`]));
    expect(defaultChoice(choices)?.path).toBe(`${convs[0]}.filters`);
    for (const c of choices.filter((x) => x.nodeId && convs.includes(x.nodeId)))
      for (const variant of sweepVariants(cnn, [parseVary(`${c.path}=${c.defaults}`)]))
        expect(analyzeGraph(variant.doc).problems, `${c.path} ${JSON.stringify(variant.settings)}`).toEqual([]);
    expect(defaultEpochs(example('function-fit'))).toBe(600);
  });
});
