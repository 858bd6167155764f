/**
 * The inner product of the blocked Leontief inverse as a WebAssembly SIMD function, assembled here from
 * its instructions (no toolchain, no build output):
 *
 *   product4(a, w, x, n, kb): for four rows starting at byte offset a (row length n), and every column j
 *   below n rounded down to 4,  A[r][j] −= Σ_p x[p][r] · W[p][j],  p < kb.
 *
 * W is kb × n doubles from byte offset w; x holds each x[p][r] twice (a ready-made f64x2 splat) at
 * x + (4p + r)·16. Each step of p loads two vectors of W and four of x and does eight vector multiply–
 * subtracts (32 flops) into eight accumulators kept in registers. The caller does the last n mod 4 columns.
 * WebAssembly is used only for this loop: it is where scalar JavaScript cannot issue two doubles at once.
 */

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  tee: (local: number) => [0x22, local],
  i32: (value: number) => [0x41, ...signedLeb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  geU: [0x4f],
  load: (offset: number) => [0xfd, 0x00, 3, ...unsignedLeb(offset)],
  store: (offset: number) => [0xfd, 0x0b, 3, ...unsignedLeb(offset)],
  f64x2Sub: [0xfd, 0xf1, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
};

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const section = (id: number, body: number[]) => [id, ...unsignedLeb(body.length), ...body];
const name = (text: string) => [...unsignedLeb(text.length), ...[...text].map((c) => c.charCodeAt(0))];

// Locals: parameters a, w, x, n, kb; then j, p, wp, xp, rowBytes, jEnd, aj; then c0…c7, w0, w1, xv.
const [A, W, X, N, KB, J, P, WP, XP, ROW, JEND, AJ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const C = 12;
const [W0, W1, XV] = [20, 21, 22];

/** Address of row r (0…3) of the four-row tile at column j: aj + r · rowBytes. */
const rowAddress = (r: number) =>
  r === 0 ? op.get(AJ) : [...op.get(AJ), ...op.get(ROW), ...op.i32(r), ...op.mul, ...op.add];

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) code.push(...part);
  };
  emit(op.get(N), op.i32(3), op.shl, op.set(ROW));
  emit(op.get(N), op.i32(-4), op.and, op.i32(3), op.shl, op.set(JEND));
  emit(op.block, op.loop);
  emit(op.get(J), op.get(JEND), op.geU, op.brIf(1));
  emit(op.get(A), op.get(J), op.add, op.set(AJ));
  for (let r = 0; r < 4; r++) {
    emit(rowAddress(r), op.load(0), op.set(C + 2 * r));
    emit(rowAddress(r), op.load(16), op.set(C + 2 * r + 1));
  }
  emit(op.get(W), op.get(J), op.add, op.set(WP), op.get(X), op.set(XP), op.get(KB), op.set(P));
  emit(op.loop);
  emit(op.get(WP), op.load(0), op.set(W0), op.get(WP), op.load(16), op.set(W1));
  for (let r = 0; r < 4; r++) {
    emit(op.get(XP), op.load(16 * r), op.set(XV));
    for (const [c, w] of [
      [C + 2 * r, W0],
      [C + 2 * r + 1, W1],
    ] as const) {
      emit(op.get(c), op.get(XV), op.get(w), op.f64x2Mul, op.f64x2Sub, op.set(c));
    }
  }
  emit(op.get(WP), op.get(ROW), op.add, op.set(WP));
  emit(op.get(XP), op.i32(64), op.add, op.set(XP));
  emit(op.get(P), op.i32(1), op.sub, op.tee(P), op.brIf(0));
  emit(op.end);
  for (let r = 0; r < 4; r++) {
    emit(rowAddress(r), op.get(C + 2 * r), op.store(0));
    emit(rowAddress(r), op.get(C + 2 * r + 1), op.store(16));
  }
  emit(op.get(J), op.i32(32), op.add, op.set(J), op.br(0));
  emit(op.end, op.end, op.end);
  const locals = [2, 7, I32, 11, V128];
  return [...unsignedLeb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]),
    // a shared memory (flags 3), 1 to 65,536 pages, so that a second thread can work on the same matrix
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x03, 1, ...unsignedLeb(65_536)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('product4'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

export interface SimdKernel {
  memory: WebAssembly.Memory;
  product4: (a: number, w: number, x: number, n: number, kb: number) => void;
}

let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const code = moduleBytes();
    compiled =
      typeof WebAssembly === 'object' && WebAssembly.validate(code) ? new WebAssembly.Module(code) : null;
  }
  return compiled;
}

/** The kernel over a given (shared) memory, e.g. in a helper thread; null without WebAssembly SIMD. */
export function kernelOn(memory: WebAssembly.Memory): SimdKernel | null {
  const module = compiledModule();
  if (module === null) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, product4: instance.exports.product4 as SimdKernel['product4'] };
}

/** A kernel over a new shared memory of at least `bytes`, or null where WebAssembly SIMD is not available. */
export function simdKernel(bytes: number): SimdKernel | null {
  const pages = Math.ceil(bytes / 65_536);
  return kernelOn(new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }));
}
