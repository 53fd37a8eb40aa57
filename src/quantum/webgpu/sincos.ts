/**
 * cos and sin in f32 to about one ulp, for WGSL. The built-in sin/cos are only specified to ~2^-11 absolute
 * (SwiftShader was measured 2.8e-3 off), and TF.js's tf.sin/tf.cos on WebGPU call the same built-ins, so the
 * kernels use this instead: Cody–Waite reduction by π/2 with a three-part constant, then the Cephes sinf/cosf
 * minimax polynomials on [−π/4, π/4]. Accurate for |t| up to ~1e4 (inputs and weights are angles of a few π).
 * `softSinCosF32` is the same sequence of f32 operations in TypeScript (Math.fround after each step), so the
 * algorithm's accuracy is tested in Node; the WGSL text is tested in the browser.
 */

/** π/2 = PIO2_1 + PIO2_2 + PIO2_3, each with few enough bits that k·PIO2_i is exact for |k| < 2^12. */
const PIO2_1 = 1.5703125;
const PIO2_2 = 4.837512969970703125e-4;
const PIO2_3 = 7.549789954891882e-8;
const TWO_OVER_PI = 0.6366197723675814;
const S1 = -1.6666654611e-1,
  S2 = 8.3321608736e-3,
  S3 = -1.9515295891e-4;
const C1 = 4.166664568298827e-2,
  C2 = -1.388731625493765e-3,
  C3 = 2.443315711809948e-5;

/** `fn qnnSinCos(t: f32) -> vec2<f32>`: (cos t, sin t). */
export const WGSL_SINCOS = /* wgsl */ `
fn qnnSinCos(t : f32) -> vec2<f32> {
  let k = round(t * ${TWO_OVER_PI});
  let r = ((t - k * ${PIO2_1}) - k * ${PIO2_2}) - k * ${PIO2_3};
  let r2 = r * r;
  let s = r + r * r2 * (${S1} + r2 * (${S2} + r2 * ${S3}));
  let c = (1.0 - 0.5 * r2) + r2 * r2 * (${C1} + r2 * (${C2} + r2 * ${C3}));
  let q = i32(k) & 3;
  let v = select(vec2<f32>(c, s), vec2<f32>(-s, c), (q & 1) != 0);
  return select(v, -v, (q & 2) != 0);
}
`;

const f = Math.fround;

/** The WGSL function's arithmetic in f32, for testing: [cos t, sin t]. */
export function softSinCosF32(t: number): [number, number] {
  t = f(t);
  const k = f(Math.round(f(t * f(TWO_OVER_PI))));
  const r = f(f(f(t - f(k * f(PIO2_1))) - f(k * f(PIO2_2))) - f(k * f(PIO2_3)));
  const r2 = f(r * r);
  const s = f(r + f(f(r * r2) * f(f(S1) + f(r2 * f(f(S2) + f(r2 * f(S3)))))));
  const c = f(f(1 - f(0.5 * r2)) + f(f(r2 * r2) * f(f(C1) + f(r2 * f(f(C2) + f(r2 * f(C3)))))));
  const q = k & 3;
  if (q === 0) return [c, s];
  if (q === 1) return [-s, c];
  if (q === 2) return [-c, -s];
  return [s, -c];
}
