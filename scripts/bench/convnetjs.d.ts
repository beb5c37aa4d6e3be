// The part of ConvNetJS (npm `convnetjs`, plain JavaScript) the CNN benchmark row uses.
declare module 'convnetjs' {
  export class Vol {
    constructor(sx: number, sy: number, depth: number, c?: number);
    w: Float64Array;
  }
  export class Net {
    makeLayers(defs: object[]): void;
    forward(v: Vol, isTraining?: boolean): Vol;
  }
  export class SGDTrainer {
    constructor(net: Net, options: object);
    train(x: Vol, y: number): { loss: number };
  }
}
