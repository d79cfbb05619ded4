/*
 * Shared helpers of the library testbenches (hls/test/tb_*.cpp, written for cosearch): a seeded generator, packing
 * of element vectors into stream words, and a check that counts failures. Build with the csim-only compat headers:
 *   g++ -std=c++14 -Wall -Wextra -I hls -I hls/compat hls/test/tb_mvau.cpp -o tb_mvau && ./tb_mvau
 * Each testbench prints "PASS <name>" and exits 0, or names the first difference and exits 1.
 */
#ifndef COSEARCH_TB_COMMON_HPP
#define COSEARCH_TB_COMMON_HPP

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cosearch.hpp"

namespace tb {

/* xorshift32 (Marsaglia 2003): deterministic inputs without <random>'s implementation-defined distributions. */
struct Rng {
  unsigned s;
  explicit Rng(unsigned seed) : s(seed ? seed : 1u) {}
  unsigned next() {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
  }
  /* uniform integer in [lo, hi] */
  int range(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<unsigned>(hi - lo + 1)); }
};

/* Element e of B bits of word `w` (unsigned). */
template <int B, int W>
inline int get(const ap_uint<W> &w, int e) {
  return static_cast<int>(static_cast<unsigned long long>(w.range(e * B + B - 1, e * B)));
}

/* Pack E codes of B bits (element 0 in the LSBs). */
template <int E, int B>
inline ap_uint<E * B> pack(const int *v) {
  ap_uint<E * B> w = 0;
  for (int e = 0; e < E; e++) w.range(e * B + B - 1, e * B) = static_cast<unsigned>(v[e]) & ((1u << B) - 1u);
  return w;
}

inline int sign_extend(int v, int bits) { return (v & (1 << (bits - 1))) ? v - (1 << bits) : v; }

struct Check {
  const char *name;
  int fails;
  explicit Check(const char *n) : name(n), fails(0) {}
  void eq(long long got, long long want, const char *what, int i) {
    if (got != want && fails++ == 0) std::printf("FAIL %s: %s[%d] = %lld, expected %lld\n", name, what, i, got, want);
  }
  int done() const {
    if (fails == 0) std::printf("PASS %s\n", name);
    return fails == 0 ? 0 : 1;
  }
};

}  // namespace tb

#endif
