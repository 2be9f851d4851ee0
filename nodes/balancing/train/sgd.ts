/**
 * SGD with momentum, PyTorch semantics: g = ∇ + wd·p (coupled weight decay); the buffer is g on
 * the first step and μ·buf + g after (no dampening, no Nesterov); p ← p − lr·buf.
 */
export class MomentumSgd {
  private readonly buffer: Float64Array;
  private started = false;

  constructor(size: number, readonly lr: number, readonly momentum: number, readonly weightDecay: number) {
    this.buffer = new Float64Array(size);
  }

  step(params: Float64Array, grad: Float64Array): void {
    const { buffer, lr, momentum, weightDecay } = this;
    if (!this.started) {
      for (let i = 0; i < params.length; i++) buffer[i] = grad[i]! + weightDecay * params[i]!;
      this.started = true;
    } else {
      for (let i = 0; i < params.length; i++) buffer[i] = momentum * buffer[i]! + grad[i]! + weightDecay * params[i]!;
    }
    for (let i = 0; i < params.length; i++) params[i]! -= lr * buffer[i]!;
  }
}
