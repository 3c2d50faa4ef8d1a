// What the tests of layers written in JavaScript share (custom_layers.test.mjs,
// custom_layer_graphs.test.mjs): two layer classes written once against either library,
// and a small labelled data set.
import { values } from './engine.mjs';

// Two layers written once against either library: a per-channel scale and shift with
// weights (a custom option in its config), and one without weights that splits each value
// into its parts above and below the sample's mean (twice the channels).
export function classesFor(lib) {
  class ChannelScale extends lib.layers.Layer {
    constructor(config = {}) {
      super(config);
      this.startScale = config.startScale ?? 1;
    }

    build(inputShape) {
      const channels = inputShape[inputShape.length - 1];
      this.scale = this.addWeight('scale', [channels], 'float32', lib.initializers.ones());
      this.shift = this.addWeight('shift', [channels], 'float32', lib.initializers.zeros());
    }

    call(inputs) {
      return lib.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return x.mul(this.scale.read().mul(this.startScale)).add(this.shift.read());
      });
    }

    getConfig() {
      return { ...super.getConfig(), startScale: this.startScale };
    }

    static get className() {
      return 'ChannelScale';
    }
  }

  class MeanSplit extends lib.layers.Layer {
    computeOutputShape(inputShape) {
      return [...inputShape.slice(0, -1), inputShape[inputShape.length - 1] * 2];
    }

    call(inputs) {
      return lib.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const centered = x.sub(x.mean(-1, true));
        return lib.concat([centered.relu(), centered.neg().relu()], -1);
      });
    }

    static get className() {
      return 'MeanSplit';
    }
  }
  lib.serialization.registerClass(ChannelScale);
  lib.serialization.registerClass(MeanSplit);
  return { ChannelScale, MeanSplit };
}

// n samples of 5 features and one-hot labels of 3 classes.
export const data = (lib, n) => {
  const x = lib.tensor(values(n * 5, 11), [n, 5]);
  const labels = Array.from(values(n, 12), (v) => (v < -0.3 ? 0 : v < 0.3 ? 1 : 2));
  return [x, lib.oneHot(lib.tensor1d(labels, 'int32'), 3)];
};
