/*
 * Testbench of hls/cs_swg.hpp: the sliding-window generator against a direct window extraction, for SIMD dividing C,
 * SIMD = whole pixels, padding, and the depthwise order (DW: channel group, then kernel position).
 */
#include "tb_common.hpp"

using namespace cosearch;

template <int K, int P, int IH, int IW, int C, int B, int SIMD, bool DW>
int test_swg(tb::Rng &rng, const char *name) {
  const int OH = IH + 2 * P - K + 1, OW = IW + 2 * P - K + 1;
  std::vector<int> img(IH * IW * C);
  for (auto &v : img) v = rng.range(0, (1 << B) - 1);
  hls::stream<ap_uint<C * B> > in("in");
  for (int q = 0; q < IH * IW; q++) in.write(tb::pack<C, B>(&img[q * C]));
  hls::stream<ap_uint<SIMD * B> > out("out");
  swg<K, P, IH, IW, C, B, SIMD, DW>(in, out);
  tb::Check ck(name);
  const int SF = K * K * C / SIMD;
  int n = 0;
  for (int oy = 0; oy < OH; oy++)
    for (int ox = 0; ox < OW; ox++)
      for (int sf = 0; sf < SF; sf++) {
        const ap_uint<SIMD * B> w = out.read();
        for (int e = 0; e < SIMD; e++, n++) {
          // conv: element f = sf*SIMD+e of the (ky, kx, c) window; depthwise: group sf/(K*K), position sf%(K*K)
          const int f = sf * SIMD + e;
          const int pos = DW ? sf % (K * K) : f / C;
          const int ch = DW ? (sf / (K * K)) * SIMD + e : f % C;
          const int iy = oy + pos / K - P, ix = ox + pos % K - P;
          const int want = (iy < 0 || iy >= IH || ix < 0 || ix >= IW) ? 0 : img[(iy * IW + ix) * C + ch];
          ck.eq(tb::get<B>(w, e), want, "window element", n);
        }
      }
  ck.eq(static_cast<long long>(out.size()), 0, "extra words", 0);
  return ck.done();
}

int main() {
  tb::Rng rng(7);
  int f = 0;
  f += test_swg<3, 0, 6, 5, 4, 2, 2, false>(rng, "swg K3 P0 SIMD | C");
  f += test_swg<3, 1, 5, 5, 2, 3, 6, false>(rng, "swg K3 P1 SIMD = 3 pixels");
  f += test_swg<5, 2, 7, 6, 1, 8, 5, false>(rng, "swg K5 P2 C1 8-bit");
  f += test_swg<3, 1, 6, 6, 8, 2, 4, true>(rng, "swg DW K3 P1 two channel groups");
  f += test_swg<2, 1, 4, 4, 6, 1, 6, true>(rng, "swg DW K2 P1 one group, bipolar codes");
  // odd sizes for the window counters (phase/address/slot wrap-around, padding up to K-1, a 1-pixel-wide input)
  f += test_swg<2, 1, 7, 5, 3, 2, 3, false>(rng, "swg K2 P1 7x5 odd");
  f += test_swg<4, 3, 5, 7, 2, 3, 4, false>(rng, "swg K4 P3 SIMD = 2 pixels, 5x7");
  f += test_swg<5, 4, 3, 3, 1, 4, 1, false>(rng, "swg K5 P4 on 3x3 (window larger than the image)");
  f += test_swg<3, 1, 4, 1, 2, 2, 1, false>(rng, "swg K3 P1 on a 4x1 column");
  f += test_swg<3, 2, 5, 6, 6, 1, 2, true>(rng, "swg DW K3 P2 three channel groups");
  f += test_swg<3, 0, 9, 11, 4, 1, 36, false>(rng, "swg K3 P0 SIMD = whole window (9 pixels)");
  f += test_swg<3, 1, 1, 1, 2, 3, 2, false>(rng, "swg K3 P1 on a single pixel");
  f += test_swg<2, 0, 2, 2, 1, 2, 4, false>(rng, "swg K2 P0 on 2x2: one window, SIMD = 4 pixels");
  return f == 0 ? 0 : 1;
}
