/* Testbench of hls/cs_dwc.hpp: width converters (up, down, non-multiple widths) keep the element order; logits_out
 * sign-extends each accumulator to 32 bits, one AXI4-Stream word each, TLAST on each image's last logit, TKEEP/TSTRB
 * all ones; axis_in passes the data of every input word on. */
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
#if defined(COSEARCH_COMPAT_AP_INT)  // the iteration counter exists in compat C simulation only
  if (IN_E % OUT_E != 0 && OUT_E % IN_E != 0) {
    // non-multiple widths: between max(in words, out words) and that + ceil(OUT_E / IN_E) iterations (cycles at
    // II=1), not in + out words
    const int inW = TOTAL / IN_E, outW = TOTAL / OUT_E, most = inW > outW ? inW : outW;
    const long it = dwc_iterations();
    ck.eq(it >= most && it <= most + (OUT_E + IN_E - 1) / IN_E, 1, "iterations within [max, max + ceil(OUT/IN)]", static_cast<int>(it));
  }
#endif
  return ck.done();
}

int test_logits(tb::Rng &rng) {
  const int E = 3, ACC = 11, N = 12, IMAGES = 2;
  std::vector<int> v(N * IMAGES);
  for (auto &e : v) e = rng.range(-(1 << (ACC - 1)), (1 << (ACC - 1)) - 1);
  hls::stream<ap_uint<E * ACC> > in("in");
  hls::stream<ap_axiu<32, 0, 0, 0> > out("out");
  for (int i = 0; i < N * IMAGES / E; i++) {
    int codes[E];
    for (int e = 0; e < E; e++) codes[e] = v[i * E + e] & ((1 << ACC) - 1);
    in.write(tb::pack<E, ACC>(codes));
  }
  tb::Check ck("logits_out 11-bit, TLAST per image");
  for (int img = 0; img < IMAGES; img++) {
    logits_out<E, ACC, N>(in, out);
    for (int i = 0; i < N; i++) {
      const ap_axiu<32, 0, 0, 0> w = out.read();
      ck.eq(static_cast<int>(static_cast<unsigned>(static_cast<unsigned long long>(w.data))), v[img * N + i], "logit", img * N + i);
      ck.eq(static_cast<int>(w.last), i == N - 1 ? 1 : 0, "TLAST", img * N + i);
      ck.eq(static_cast<long long>(w.keep), 15, "TKEEP", img * N + i);
      ck.eq(static_cast<long long>(w.strb), 15, "TSTRB", img * N + i);
    }
  }
  ck.eq(static_cast<long long>(out.size() + in.size()), 0, "extra words", 0);
  return ck.done();
}

int test_axis_in(tb::Rng &rng) {
  const int W = 24, WORDS = 10;
  hls::stream<ap_axiu<W, 0, 0, 0> > in("in");
  hls::stream<ap_uint<W> > out("out");
  std::vector<int> v(WORDS);
  for (int i = 0; i < WORDS; i++) {
    ap_axiu<W, 0, 0, 0> w;
    v[i] = rng.range(0, (1 << W) - 1);
    w.data = v[i];
    w.keep = -1;
    w.strb = -1;
    w.last = i == WORDS - 1;
    in.write(w);
  }
  axis_in<W, WORDS>(in, out);
  tb::Check ck("axis_in 24-bit");
  for (int i = 0; i < WORDS; i++) ck.eq(static_cast<long long>(out.read()), v[i], "data", i);
  ck.eq(static_cast<long long>(out.size() + in.size()), 0, "extra words", 0);
  return ck.done();
}

int main() {
  tb::Rng rng(11);
  int f = 0;
  f += test_dwc<2, 6, 3, 24>(rng, "dwc up 2 -> 6");
  f += test_dwc<8, 2, 1, 32>(rng, "dwc down 8 -> 2");
  f += test_dwc<4, 6, 2, 24>(rng, "dwc 4 -> 6 (non-multiple)");
  f += test_dwc<6, 4, 4, 24>(rng, "dwc 6 -> 4 (non-multiple)");
  f += test_dwc<3, 8, 2, 240>(rng, "dwc 3 -> 8 (non-multiple, 80 -> 30 words)");
  f += test_dwc<10, 4, 1, 200>(rng, "dwc 10 -> 4 (non-multiple, 20 -> 50 words)");
  f += test_logits(rng);
  f += test_axis_in(rng);
  return f == 0 ? 0 : 1;
}
