// The autograd API: grad with argnums, valueAndGrad, unused arguments, noGrad, stopGradient,
// customGrad (and differentiating its rule), variableGrads, vjp, higher derivatives, repeated
// inputs, very deep chains, and that nothing is recorded outside differentiation.
// Expected gradients are derived by hand in the comments and evaluated in plain JavaScript.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const f64 = (v: number | number[] | number[][]): hb.Tensor => hb.tensor(v as number[], undefined, 'float64');
const values = (t: hb.Tensor): number[] => Array.from(t.dataSync());

function expectValues(t: hb.Tensor, expected: number[], digits = 12): void {
  const v = values(t);
  expect(v).toHaveLength(expected.length);
  v.forEach((x, i) => expect(x).toBeCloseTo(expected[i], digits));
}

describe('grad and valueAndGrad', () => {
  // f(x, y) = Σ x²·y  ⇒  ∂f/∂x = 2xy, ∂f/∂y = x².
  const f = (x: hb.Tensor, y: hb.Tensor): hb.Tensor => hb.sum(hb.mul(hb.square(x), y));
  const x = f64([1, -2, 3]);
  const y = f64([4, 5, -1]);

  it('differentiates the first argument by default', () => {
    expectValues(hb.grad(f)(x, y), [2 * 1 * 4, 2 * -2 * 5, 2 * 3 * -1]);
  });

  it('argnums as a number picks one argument; as a list returns an array in that order', () => {
    expectValues(hb.grad(f, 1)(x, y), [1, 4, 9]);
    const [gy, gx] = hb.grad(f, [1, 0])(x, y);
    expectValues(gy, [1, 4, 9]);
    expectValues(gx, [8, -20, -6]);
    expect(hb.grad(f, [0])(x, y)).toHaveLength(1);
  });

  it('valueAndGrad returns f(x) and the gradients together', () => {
    // f = 1·4 + 4·5 + 9·(−1) = 4 + 20 − 9 = 15.
    const [value, g] = hb.valueAndGrad(f)(x, y);
    expect(value.item()).toBe(15);
    expectValues(g, [8, -20, -6]);
    const [v2, [gx, gy]] = hb.valueAndGrad(f, [0, 1])(x, y);
    expect(v2.item()).toBe(15);
    expectValues(gx, [8, -20, -6]);
    expectValues(gy, [1, 4, 9]);
  });

  it('gradients have the argument\'s shape and dtype; plain arrays are accepted', () => {
    const g = hb.grad((a: hb.Tensor) => hb.sum(hb.mul(a, a)))([[1, 2], [3, 4]]);
    expect(g.shape).toEqual([2, 2]);
    expect(g.dtype).toBe('float32');
    expect(g.toArray()).toEqual([[2, 4], [6, 8]]);
    expect(hb.grad((a: hb.Tensor) => hb.sum(a))(f64([1])).dtype).toBe('float64');
    // A one-element (not rank-0) output counts as a scalar.
    expectValues(hb.grad((a: hb.Tensor) => hb.reshape(hb.sum(a), [1, 1]))(f64([1, 2])), [1, 1]);
  });

  it('an argument the function ignores gets zeros of its shape', () => {
    const [ga, gb] = hb.grad((a: hb.Tensor) => hb.sum(hb.mul(a, 3)), [0, 1])(f64([1, 2]), f64([[5, 6, 7]]));
    expectValues(ga, [3, 3]);
    expect(gb.shape).toEqual([1, 3]);
    expectValues(gb, [0, 0, 0]);
    // A function that returns a constant: every gradient is zero.
    expectValues(hb.grad(() => hb.scalar(2))(f64([1, 2, 3])), [0, 0, 0]);
  });

  it('the README example: grad of grad of Σ(x·w)²', () => {
    // f(w) = Σ (x w)²  ⇒  ∇f = 2 xᵀx w;  Σ∇f = 2·1ᵀ xᵀx w  ⇒  ∇(Σ∇f) = 2 xᵀx 1.
    // x = [[1,2],[3,4]]: xᵀx = [[10,14],[14,20]], times 1 = [24, 34], times 2 = [48, 68].
    const xm = hb.tensor([[1, 2], [3, 4]]);
    const f = (w: hb.Tensor): hb.Tensor => hb.sum(hb.square(hb.matmul(xm, w)));
    // ∇f at w = 1: 2·[[10,14],[14,20]]·[1,1]ᵀ = [48, 68] as well.
    expect(hb.grad(f)(hb.ones([2, 1])).toArray()).toEqual([[48], [68]]);
    expect(hb.grad((w: hb.Tensor) => hb.sum(hb.grad(f)(w)))(hb.ones([2, 1])).toArray()).toEqual([[48], [68]]);
  });
});

describe('noGrad and stopGradient', () => {
  it('inside noGrad nothing is recorded, so no gradient flows through it', () => {
    const x = f64([1, 2]);
    // Σ noGrad(3x) has no path back to x: that is an error naming the cut, not a silent zero.
    expect(() => hb.grad((a: hb.Tensor) => hb.sum(hb.noGrad(() => hb.mul(a, 3))))(x)).toThrow(/'mul' ran inside noGrad/);
    // Σ x·c with c = noGrad(x²) a constant: ∂/∂x = c = x² (not 3x²).
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(hb.noGrad(() => hb.square(a)), a)))(x), [1, 4]);
    hb.grad((a: hb.Tensor) => {
      const inside = hb.noGrad(() => hb.exp(a));
      expect(inside.node).toBeNull();
      expect(hb.exp(a).node).not.toBeNull();
      return hb.sum(a);
    })(x);
  });

  it('noGrad returns the function\'s value', () => {
    expect(hb.noGrad(() => hb.add(hb.scalar(1), 2)).item()).toBe(3);
    expect(hb.noGrad(() => 42)).toBe(42);
  });

  it('stopGradient treats its input as a constant: Σ x·sg(x) has gradient x, not 2x', () => {
    const x = f64([1, -3]);
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(a, hb.stopGradient(a))))(x), [1, -3]);
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.stopGradient(hb.square(a))))(x), [0, 0]);
    // The value passes unchanged.
    expect(hb.stopGradient(x).toArray()).toEqual([1, -3]);
  });
});

describe('customGrad', () => {
  // The identity whose gradient is clipped to [−1, 1] (gradient clipping as an op).
  const clipGradIdentity = hb.customGrad((x: hb.Tensor) => ({
    value: hb.clone(x),
    gradFunc: (dy: hb.Tensor) => hb.clip(dy, -1, 1),
  }));

  it('uses the hand-written rule: d/dx Σ 5·clipGrad(x) = clip(5) = 1', () => {
    const x = f64([0.5, -2, 3]);
    expect(clipGradIdentity(x).toArray()).toEqual([0.5, -2, 3]);
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(clipGradIdentity(a), 5)))(x), [1, 1, 1]);
    // A cotangent inside [−1, 1] passes unchanged: d/dx Σ 0.25·clipGrad(x) = 0.25.
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(clipGradIdentity(a), 0.25)))(x), [0.25, 0.25, 0.25]);
    // Per-element: cotangent [3, −0.5, −4] → [1, −0.5, −1].
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(clipGradIdentity(a), f64([3, -0.5, -4]))))(x), [1, -0.5, -1]);
  });

  it('its gradFunc is itself differentiated in grad of grad', () => {
    // value x², rule dy·3x (deliberately not 2x, so we can tell whose rule runs):
    // first derivative of Σ f = 3x, second derivative of Σ(3x) = 3.
    const oddSquare = hb.customGrad((x: hb.Tensor) => ({ value: hb.square(x), gradFunc: (dy: hb.Tensor) => hb.mul(dy, hb.mul(x, 3)) }));
    const x = f64([1, 2, -1]);
    expect(oddSquare(x).toArray()).toEqual([1, 4, 1]);
    const first = (a: hb.Tensor): hb.Tensor => hb.grad((b: hb.Tensor) => hb.sum(oddSquare(b)))(a);
    expectValues(first(x), [3, 6, -3]);
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(first(a)))(x), [3, 3, 3]);
    // The rule's dependence on dy is differentiated too: Σ (∂/∂x Σ w·f)² with weights w.
    // ∂/∂x Σ w·f = 3wx ⇒ Σ (3wx)² ⇒ derivative 18w²x.
    const w = f64([1, 2, 3]);
    const g = hb.grad((a: hb.Tensor) => hb.sum(hb.square(hb.grad((b: hb.Tensor) => hb.sum(hb.mul(oddSquare(b), w)))(a))))(x);
    expectValues(g, [18 * 1 * 1, 18 * 4 * 2, 18 * 9 * -1]);
  });

  it('several inputs: the rule returns one gradient per input; checkGrad catches a wrong rule', () => {
    // value a·b; correct rule (dy·b, dy·a), wrong rule (dy·b, dy·b).
    const product = hb.customGrad((a: hb.Tensor, b: hb.Tensor) => ({ value: hb.mul(a, b), gradFunc: (dy: hb.Tensor) => [hb.mul(dy, b), hb.mul(dy, a)] }));
    const wrong = hb.customGrad((a: hb.Tensor, b: hb.Tensor) => ({ value: hb.mul(a, b), gradFunc: (dy: hb.Tensor) => [hb.mul(dy, b), hb.mul(dy, b)] }));
    const [ga, gb] = hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(product(a, b)), [0, 1])(f64([2, 3]), f64([5, 7]));
    expectValues(ga, [5, 7]);
    expectValues(gb, [2, 3]);
    expect(hb.checkGrad((a, b) => hb.sum(product(a, b)), [f64([2, 3]), f64([5, 7])]).ok).toBe(true);
    const bad = hb.checkGrad((a, b) => hb.sum(wrong(a, b)), [f64([2, 3]), f64([5, 7])]);
    expect(bad.ok).toBe(false);
    expect(bad.worst?.argument).toBe(1);
  });
});

describe('variableGrads over tensors read from a closure', () => {
  it('gives the gradient for each variable and the value', () => {
    // L = Σ (x w + b)² with x [2,2], w [2,1], b [1]: r = x w + b,
    // ∂L/∂w = 2 xᵀ r, ∂L/∂b = 2 Σ r.
    // x = [[1,2],[3,4]], w = [[1],[−1]], b = [0.5]: r = [1 − 2 + 0.5, 3 − 4 + 0.5] = [−0.5, −0.5];
    // L = 0.25 + 0.25 = 0.5;  ∂L/∂w = 2·[1·(−0.5) + 3·(−0.5), 2·(−0.5) + 4·(−0.5)] = [−4, −6];  ∂L/∂b = −2.
    const x = f64([[1, 2], [3, 4]]);
    const w = f64([[1], [-1]]);
    const b = f64([0.5]);
    const { value, grads } = hb.variableGrads(() => hb.sum(hb.square(hb.add(hb.matmul(x, w), b))), [w, b]);
    expect(value.item()).toBe(0.5);
    expectValues(grads[0], [-4, -6]);
    expectValues(grads[1], [-2]);
    expect(grads[0].shape).toEqual([2, 1]);
    // Afterwards the variables are ordinary tensors again.
    expect(w.node).toBeNull();
    expect(b.node).toBeNull();
  });

  it('a variable the loss does not read gets zeros; a repeated variable gets the same gradient twice', () => {
    const v = f64([1, 2]);
    const unused = f64([[9]]);
    const { grads } = hb.variableGrads(() => hb.sum(hb.mul(v, v)), [v, unused, v]);
    expectValues(grads[0], [2, 4]);
    expectValues(grads[1], [0]);
    expectValues(grads[2], [2, 4]);
  });
});

describe('vjp: non-scalar outputs with an explicit cotangent', () => {
  it('elementwise: vjp of x² with cotangent u is 2x·u', () => {
    const { value, grads } = hb.vjp((x: hb.Tensor) => hb.square(x), [f64([1, 2, 3])], f64([1, -1, 0.5]));
    expect(value.toArray()).toEqual([1, 4, 9]);
    expectValues(grads[0], [2, -4, 3]);
  });

  it('matmul: vjp of A·B with cotangent U is (U Bᵀ, Aᵀ U)', () => {
    // A = [[1,2],[3,4]], B = [[0,1],[1,0]], U = [[1,0],[0,2]]:
    // U Bᵀ = [[1·0 + 0·1, 1·1 + 0·0], [0·0 + 2·1, 0·1 + 2·0]] = [[0,1],[2,0]]
    // Aᵀ U = [[1·1 + 3·0, 1·0 + 3·2], [2·1 + 4·0, 2·0 + 4·2]] = [[1,6],[2,8]]
    const { value, grads } = hb.vjp((a: hb.Tensor, b: hb.Tensor) => hb.matmul(a, b), [f64([[1, 2], [3, 4]]), f64([[0, 1], [1, 0]])], f64([[1, 0], [0, 2]]));
    expect(value.toArray()).toEqual([[2, 1], [4, 3]]);
    expect(grads[0].toArray()).toEqual([[0, 1], [2, 0]]);
    expect(grads[1].toArray()).toEqual([[1, 6], [2, 8]]);
  });

  it('a cotangent of ones gives the gradient of the sum', () => {
    const x = f64([0.3, -1.2]);
    const { grads } = hb.vjp((a: hb.Tensor) => hb.tanh(a), [x], hb.onesLike(x));
    expectValues(grads[0], values(hb.grad((a: hb.Tensor) => hb.sum(hb.tanh(a)))(x)), 14);
    expectValues(grads[0], [1 - Math.tanh(0.3) ** 2, 1 - Math.tanh(-1.2) ** 2]);
  });
});

describe('higher derivatives, repeated inputs, deep chains', () => {
  it('grad of grad of grad of x⁴ is 24x', () => {
    // d/dx x⁴ = 4x³, d²/dx² = 12x², d³/dx³ = 24x.
    const x = f64([1, 2, -0.5]);
    for (const fourth of [(a: hb.Tensor) => hb.pow(a, 4), (a: hb.Tensor) => hb.mul(hb.mul(a, a), hb.mul(a, a))]) {
      const d1 = (a: hb.Tensor): hb.Tensor => hb.grad((b: hb.Tensor) => hb.sum(fourth(b)))(a);
      const d2 = (a: hb.Tensor): hb.Tensor => hb.grad((b: hb.Tensor) => hb.sum(d1(b)))(a);
      const d3 = (a: hb.Tensor): hb.Tensor => hb.grad((b: hb.Tensor) => hb.sum(d2(b)))(a);
      expectValues(d1(x), [4, 32, -0.5]);
      expectValues(d2(x), [12, 48, 3]);
      expectValues(d3(x), [24, 48, -12]);
    }
  });

  it('mixed second derivative: ∂²(x²y³)/∂x∂y = 6xy²', () => {
    const dfdx = (x: hb.Tensor, y: hb.Tensor): hb.Tensor => hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(hb.mul(hb.square(a), hb.pow(b, 3))))(x, y);
    // ∂/∂x = 2x y³, then ∂/∂y of Σ 2x y³ = 6x y². At x = 2, y = 3: 6·2·9 = 108.
    expectValues(hb.grad((x: hb.Tensor, y: hb.Tensor) => hb.sum(dfdx(x, y)), 1)(f64([2]), f64([3])), [108]);
  });

  it('the same input used twice adds both contributions', () => {
    const x = f64([1.5, -2]);
    // Σ x·x ⇒ 2x;  Σ (x + x) ⇒ 2;  Σ x·sin(x) ⇒ sin x + x cos x.
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(a, a)))(x), [3, -4]);
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.add(a, a)))(x), [2, 2]);
    expectValues(hb.grad((a: hb.Tensor) => hb.sum(hb.mul(a, hb.sin(a))))(x), [Math.sin(1.5) + 1.5 * Math.cos(1.5), Math.sin(-2) - 2 * Math.cos(-2)]);
    // The same tensor passed as two arguments: f(a, b) = Σ a·b ⇒ (b, a), each x.
    const [ga, gb] = hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(hb.mul(a, b)), [0, 1])(x, x);
    expectValues(ga, [1.5, -2]);
    expectValues(gb, [1.5, -2]);
  });

  it('a chain of 10,000 sequential ops differentiates without a stack overflow', () => {
    // y = x · cⁿ with c = 1.0001, n = 10⁴ ⇒ dy/dx = cⁿ ≈ e.
    const n = 10_000;
    const g = hb.grad((x: hb.Tensor) => {
      let y = x;
      for (let i = 0; i < n; i++) y = hb.mul(y, 1.0001);
      return hb.sum(y);
    })(f64([1, 2]));
    expectValues(g, [1.0001 ** n, 1.0001 ** n], 9);
    // A non-linear chain: y = sinⁿ(x), dy/dx = Π cos(x_k) along the way.
    let v = 0.5;
    let d = 1;
    for (let i = 0; i < n; i++) {
      d *= Math.cos(v);
      v = Math.sin(v);
    }
    const gs = hb.grad((x: hb.Tensor) => {
      let y = x;
      for (let i = 0; i < n; i++) y = hb.sin(y);
      return y;
    })(hb.scalar(0.5, 'float64'));
    expect(gs.item()).toBeCloseTo(d, 14);
    expect(Math.abs(gs.item() / d - 1)).toBeLessThan(1e-9);
  });
});

describe('nothing is recorded outside differentiation', () => {
  it('ops outside grad leave t.node === null', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    for (const t of [hb.add(a, b), hb.matmul(hb.reshape(a, [1, 2]), hb.reshape(b, [2, 1])), hb.relu(a), hb.sum(a), hb.softmax(a), hb.reshape(a, [2, 1])]) {
      expect(t.node).toBeNull();
    }
  });

  it('inside grad only tensors that depend on an argument are recorded', () => {
    const c = f64([5, 6]);
    hb.grad((x: hb.Tensor) => {
      const fromConstants = hb.mul(c, 2);
      expect(fromConstants.node).toBeNull();
      const fromX = hb.mul(x, c);
      expect(fromX.node).not.toBeNull();
      return hb.sum(fromX);
    })(f64([1, 1]));
    // After grad returns, recording is off again.
    expect(hb.add(c, 1).node).toBeNull();
  });

  it('gradients are plain tensors, and a grad inside tidy keeps only what is returned', () => {
    const g = hb.tidy(() => hb.grad((x: hb.Tensor) => hb.sum(hb.exp(x)))(f64([0, 1])));
    expect(g.isDisposed).toBe(false);
    expect(g.node).toBeNull();
    expectValues(g, [1, Math.E]);
  });
});
