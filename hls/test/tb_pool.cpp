/* Testbench of hls/cs_pool.hpp: K x K max-pool, stride K, floor on odd sizes, PE channels per word. */
#include "tb_common.hpp"

using namespace cosearch;

template <int K, int IH, int IW, int C, int B, int PE>
int test_pool(tb::Rng &rng, const char *name) {
  const int OH = IH / K, OW = IW / K;
  std::vector<int> img(IH * IW * C);
  for (auto &v : img) v = rng.range(0, (1 << B) - 1);
  hls::stream<ap_uint<PE * B> > in("in"), out("out");
  for (int q = 0; q < IH * IW; q++)
    for (int g = 0; g < C / PE; g++) in.write(tb::pack<PE, B>(&img[q * C + g * PE]));
  maxpool<K, IH, IW, C, B, PE>(in, out);
  tb::Check ck(name);
  for (int oy = 0; oy < OH; oy++)
    for (int ox = 0; ox < OW; ox++)
      for (int g = 0; g < C / PE; g++) {
        const ap_uint<PE * B> w = out.read();
        for (int p = 0; p < PE; p++) {
          const int c = g * PE + p;
          int m = 0;
          for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++) m = std::max(m, img[((oy * K + ky) * IW + ox * K + kx) * C + c]);
          ck.eq(tb::get<B>(w, p), m, "max", (oy * OW + ox) * C + c);
        }
      }
  ck.eq(static_cast<long long>(out.size()), 0, "extra words", 0);
  return ck.done();
}

int main() {
  tb::Rng rng(3);
  int f = 0;
  f += test_pool<2, 6, 6, 4, 2, 2>(rng, "maxpool 2x2 PE2");
  f += test_pool<2, 7, 5, 3, 1, 3>(rng, "maxpool 2x2 odd sizes, bipolar");
  f += test_pool<3, 9, 9, 2, 4, 1>(rng, "maxpool 3x3 PE1");
  f += test_pool<2, 2, 2, 1, 3, 1>(rng, "maxpool 2x2 on 2x2, CF = 1 (delay line of one word)");
  f += test_pool<3, 8, 7, 12, 2, 3>(rng, "maxpool 3x3 odd sizes, CF = 4");
  f += test_pool<2, 5, 9, 8, 1, 1>(rng, "maxpool 2x2 CF = 8, bipolar");
  return f == 0 ? 0 : 1;
}
