/* Testbench of hls/cs_dwc.hpp: width converters (up, down, non-multiple widths) keep the element order; logits_out
 * sign-extends each accumulator to 32 bits. */
#include "tb_common.hpp"

using namespace cosearch;

template <int IN_E, int OUT_E, int B, int TOTAL>
int test_dwc(tb::Rng &rng, const char *name) {
  std::vector<int> v(TOTAL);
  for (auto &e : v) e = rng.range(0, (1 << B) - 1);
  hls::stream<ap_uint<IN_E * B> > in("in");
  hls::stream<ap_uint<OUT_E * B> > out("out");
  for (int i = 0; i < TOTAL / IN_E; i++) in.write(tb::pack<IN_E, B>(&v[i * IN_E]));
  dwc<IN_E, OUT_E, B, TOTAL>(in, out);
  tb::Check ck(name);
  for (int i = 0; i < TOTAL / OUT_E; i++) {
    const ap_uint<OUT_E * B> w = out.read();
    for (int e = 0; e < OUT_E; e++) ck.eq(tb::get<B>(w, e), v[i * OUT_E + e], "element", i * OUT_E + e);
  }
  ck.eq(static_cast<long long>(out.size()), 0, "extra words", 0);
  return ck.done();
}

int test_logits(tb::Rng &rng) {
  const int E = 3, ACC = 11, N = 12;
  std::vector<int> v(N);
  for (auto &e : v) e = rng.range(-(1 << (ACC - 1)), (1 << (ACC - 1)) - 1);
  hls::stream<ap_uint<E * ACC> > in("in");
  hls::stream<ap_uint<32> > out("out");
  for (int i = 0; i < N / E; i++) {
    int codes[E];
    for (int e = 0; e < E; e++) codes[e] = v[i * E + e] & ((1 << ACC) - 1);
    in.write(tb::pack<E, ACC>(codes));
  }
  logits_out<E, ACC, N>(in, out);
  tb::Check ck("logits_out 11-bit");
  for (int i = 0; i < N; i++) ck.eq(static_cast<int>(static_cast<unsigned>(static_cast<unsigned long long>(out.read()))), v[i], "logit", i);
  return ck.done();
}

int main() {
  tb::Rng rng(11);
  int f = 0;
  f += test_dwc<2, 6, 3, 24>(rng, "dwc up 2 -> 6");
  f += test_dwc<8, 2, 1, 32>(rng, "dwc down 8 -> 2");
  f += test_dwc<4, 6, 2, 24>(rng, "dwc 4 -> 6 (non-multiple)");
  f += test_dwc<6, 4, 4, 24>(rng, "dwc 6 -> 4 (non-multiple)");
  f += test_logits(rng);
  return f == 0 ? 0 : 1;
}
