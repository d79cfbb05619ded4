/*
 * Testbench of hls/cs_mvau.hpp (and the dot products of cs_arith.hpp): mvau_threshold, mvau_linear and
 * vvau_threshold / vvau_linear on random weights, thresholds and inputs against a plain C++ matrix-vector product,
 * for XNOR (W1 on bipolar inputs), sign-flip (W1 on unsigned, Wk on bipolar) and multi-bit products, with PE and SIMD
 * folding and REPS > 1 (the replay buffer across neuron folds). Weights are stored in the packed layout of
 * cs_common.hpp (per PE NF*SF words of SIMD*WB bits, in limbs of rom_pack<SIMD*WB>::LB bits), packed here by
 * put_weight independently of the library's rom_word; words wider than 64 bits (several limbs) are covered.
 */
#include "tb_common.hpp"

using namespace cosearch;

/* value of an input code: bipolar 2c-1 */
static int xval(int c, bool bip) { return bip ? 2 * c - 1 : c; }
/* value of a stored weight code: 1-bit codes are bipolar */
static int wval(int w, int wb) { return wb == 1 ? 2 * w - 1 : w; }

/* Store weight code/value v (WB bits, two's complement) as element s of packed word `word` (LIMBS limbs of LB bits). */
template <int WB, int LB, typename T>
static void put_weight(T *word, int s, int v) {
  for (int b = 0; b < WB; b++) {
    const int bit = s * WB + b;
    const unsigned long long one = (static_cast<unsigned long long>(v) >> b) & 1ULL;
    const unsigned long long cur = static_cast<unsigned long long>(word[bit / LB]);
    word[bit / LB] = static_cast<T>((cur & ~(1ULL << (bit % LB))) | (one << (bit % LB)));
  }
}

template <int MW, int MH, int SIMD, int PE, int WB, int IB, bool IBIP, int ACC, int OB, int REPS>
int test_mvau(tb::Rng &rng, const char *name) {
  const int NF = MH / PE, SF = MW / SIMD, NT = (1 << OB) - 1, TB = ACC + 1;
  typedef rom_pack<SIMD * WB> Pk;
  static typename rom_limb<Pk::LB>::type W[PE][NF * SF][Pk::LIMBS];
  static typename threshold_rom<TB>::type T[PE][NF][NT];
  std::vector<int> w(MH * MW), x(REPS * MW), thr(MH * NT);
  for (int o = 0; o < MH; o++)
    for (int j = 0; j < MW; j++) {
      const int v = WB == 1 ? rng.range(0, 1) : rng.range(-((1 << (WB - 1)) - 1), (1 << (WB - 1)) - 1);
      w[o * MW + j] = v;
      put_weight<WB, Pk::LB>(W[o % PE][(o / PE) * SF + j / SIMD], j % SIMD, v);
    }
  for (int o = 0; o < MH; o++) {
    int t = -MW;
    for (int k = 0; k < NT; k++) {
      t += rng.range(0, 2 * MW / NT + 1);
      thr[o * NT + k] = t;
      T[o % PE][o / PE][k] = t;
    }
  }
  for (auto &v : x) v = rng.range(0, (1 << IB) - 1);
  hls::stream<ap_uint<SIMD * IB> > in1("in1"), in2("in2");
  for (int r = 0; r < REPS; r++)
    for (int sf = 0; sf < SF; sf++) {
      in1.write(tb::pack<SIMD, IB>(&x[r * MW + sf * SIMD]));
      in2.write(tb::pack<SIMD, IB>(&x[r * MW + sf * SIMD]));
    }
  hls::stream<ap_uint<PE * OB> > out1("out1");
  hls::stream<ap_uint<PE * ACC> > out2("out2");
  mvau_threshold<MW, MH, SIMD, PE, WB, IB, IBIP, ACC, TB, OB, NT, REPS>(in1, out1, W, T);
  mvau_linear<MW, MH, SIMD, PE, WB, IB, IBIP, ACC, REPS>(in2, out2, W);
  tb::Check ck(name);
  ck.eq(static_cast<long long>(in1.size() + in2.size()), 0, "unread input words", 0);
  for (int r = 0; r < REPS; r++)
    for (int nf = 0; nf < NF; nf++) {
      const ap_uint<PE * OB> c = out1.read();
      const ap_uint<PE * ACC> a = out2.read();
      for (int p = 0; p < PE; p++) {
        const int o = nf * PE + p;
        int acc = 0;
        for (int j = 0; j < MW; j++) acc += wval(w[o * MW + j], WB) * xval(x[r * MW + j], IBIP);
        int code = 0;
        for (int k = 0; k < NT; k++) code += acc >= thr[o * NT + k];
        ck.eq(tb::get<OB>(c, p), code, "code", r * MH + o);
        ck.eq(tb::sign_extend(tb::get<ACC>(a, p), ACC), acc, "logit", r * MH + o);
      }
    }
  return ck.done();
}

template <int K2, int C, int PE, int WB, int IB, bool IBIP, int ACC, int OB, int REPS>
int test_vvau(tb::Rng &rng, const char *name) {
  const int NF = C / PE, NT = (1 << OB) - 1, TB = ACC + 1;
  static typename rom_limb<rom_pack<WB>::LB>::type W[PE][NF * K2][1];
  static typename threshold_rom<TB>::type T[PE][NF][NT];
  std::vector<int> w(C * K2), thr(C * NT), x(REPS * K2 * C);
  for (int ch = 0; ch < C; ch++)
    for (int k = 0; k < K2; k++) {
      const int v = WB == 1 ? rng.range(0, 1) : rng.range(-((1 << (WB - 1)) - 1), (1 << (WB - 1)) - 1);
      w[ch * K2 + k] = v;
      put_weight<WB, rom_pack<WB>::LB>(W[ch % PE][(ch / PE) * K2 + k], 0, v);
    }
  for (int ch = 0; ch < C; ch++) {
    int t = -K2;
    for (int k = 0; k < NT; k++) thr[ch * NT + k] = (t += rng.range(0, 2 * K2 / NT + 1));
    for (int k = 0; k < NT; k++) T[ch % PE][ch / PE][k] = thr[ch * NT + k];
  }
  for (auto &v : x) v = rng.range(0, (1 << IB) - 1);  // x[r][k][ch]: window position k of channel ch
  hls::stream<ap_uint<PE * IB> > in1("in1"), in2("in2");
  for (int r = 0; r < REPS; r++)
    for (int nf = 0; nf < NF; nf++)
      for (int k = 0; k < K2; k++) {
        in1.write(tb::pack<PE, IB>(&x[(r * K2 + k) * C + nf * PE]));
        in2.write(tb::pack<PE, IB>(&x[(r * K2 + k) * C + nf * PE]));
      }
  hls::stream<ap_uint<PE * OB> > out1("out1");
  hls::stream<ap_uint<PE * ACC> > out2("out2");
  vvau_threshold<K2, C, PE, WB, IB, IBIP, ACC, TB, OB, NT, REPS>(in1, out1, W, T);
  vvau_linear<K2, C, PE, WB, IB, IBIP, ACC, REPS>(in2, out2, W);
  tb::Check ck(name);
  for (int r = 0; r < REPS; r++)
    for (int nf = 0; nf < NF; nf++) {
      const ap_uint<PE * OB> c = out1.read();
      const ap_uint<PE * ACC> a = out2.read();
      for (int p = 0; p < PE; p++) {
        const int ch = nf * PE + p;
        int acc = 0;
        for (int k = 0; k < K2; k++) acc += wval(w[ch * K2 + k], WB) * xval(x[(r * K2 + k) * C + ch], IBIP);
        int code = 0;
        for (int k = 0; k < NT; k++) code += acc >= thr[ch * NT + k];
        ck.eq(tb::get<OB>(c, p), code, "code", r * C + ch);
        ck.eq(tb::sign_extend(tb::get<ACC>(a, p), ACC), acc, "logit", r * C + ch);
      }
    }
  return ck.done();
}

int main() {
  tb::Rng rng(12345);
  int f = 0;
  f += test_mvau<12, 6, 4, 2, 1, 1, true, 6, 1, 3>(rng, "mvau xnor W1A1 PE2 SIMD4 REPS3");
  f += test_mvau<9, 8, 3, 4, 1, 3, false, 8, 2, 2>(rng, "mvau signflip W1 on 3-bit PE4 SIMD3");
  f += test_mvau<8, 4, 8, 1, 3, 1, true, 7, 2, 1>(rng, "mvau signflip W3 on bipolar SIMD8");
  f += test_mvau<10, 10, 5, 5, 4, 4, false, 12, 3, 2>(rng, "mvau W4A4 PE5 SIMD5");
  f += test_mvau<6, 3, 1, 1, 8, 8, false, 19, 4, 2>(rng, "mvau W8A8 PE1 SIMD1");
  // packed words wider than one 64-bit limb: 80 bits = 2 limbs of 40, 96 bits = 2 x 48, 67 bits = 2 x 34 (1 pad bit)
  f += test_mvau<40, 4, 20, 2, 4, 3, false, 14, 2, 2>(rng, "mvau W4A3 SIMD20: 80-bit words in two limbs");
  f += test_mvau<96, 3, 96, 3, 1, 1, true, 8, 1, 2>(rng, "mvau xnor SIMD96: 96-bit words in two limbs");
  f += test_mvau<67, 2, 67, 1, 1, 2, false, 10, 2, 1>(rng, "mvau signflip SIMD67: 67-bit words, padded limbs");
  f += test_vvau<9, 8, 4, 2, 2, false, 6, 2, 3>(rng, "vvau W2A2 K3 PE4");
  f += test_vvau<4, 6, 6, 1, 1, true, 4, 1, 2>(rng, "vvau W1 on bipolar (XNOR) K2 PE6");
  f += test_vvau<25, 3, 1, 8, 8, false, 21, 3, 1>(rng, "vvau W8A8 K5 PE1");
  return f == 0 ? 0 : 1;
}
