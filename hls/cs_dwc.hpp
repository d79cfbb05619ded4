/*
 * cosearch HLS layer library: stream data-width converters, header-only, written for cosearch.
 * Convert a stream of IN_E elements (B bits each) per word into OUT_E elements per word, preserving the
 * element order; TOTAL_E elements per image (a multiple of both). Upsizing reads one word per cycle,
 * downsizing writes one word per cycle (PIPELINE II=1), so a converter costs max(in words, out words) cycles.
 * Widths that are not multiples of each other go through a small element buffer of IN_E + OUT_E entries that reads
 * one word and writes one word in the same iteration whenever it can: at most max(in words, out words) +
 * ceil(OUT_E / IN_E) cycles per image (the initial fill), the figure src/core/cost/stream.ts uses.
 */
#ifndef COSEARCH_HLS_DWC_HPP
#define COSEARCH_HLS_DWC_HPP

#include <ap_axi_sdata.h>

#include "cs_common.hpp"

namespace cosearch {

#if defined(COSEARCH_COMPAT_AP_INT)
/* C simulation: loop iterations of the last non-multiple dwc call (its cycles per image at II=1; hls/test/tb_dwc.cpp) */
inline long &dwc_iterations() {
  static long n = 0;
  return n;
}
#endif

template <int IN_E, int OUT_E, int B, int TOTAL_E>
void dwc(hls::stream<ap_uint<IN_E * B> > &in, hls::stream<ap_uint<OUT_E * B> > &out) {
  static_assert(TOTAL_E % IN_E == 0 && TOTAL_E % OUT_E == 0, "TOTAL_E must be a multiple of both widths");
  COSEARCH_PRAGMA(HLS INLINE off)
  const int IN_WORDS = TOTAL_E / IN_E;
  const int OUT_WORDS = TOTAL_E / OUT_E;
  if (IN_E == OUT_E) {
    for (int i = 0; i < IN_WORDS; i++) {
      COSEARCH_PRAGMA(HLS PIPELINE II=1)
      const ap_uint<IN_E * B> x = in.read();
      ap_uint<OUT_E * B> y = 0;
      for (int e = 0; e < IN_E; e++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        y.range(e * B + B - 1, e * B) = elem<B>(x, e);
      }
      out.write(y);
    }
  } else if (OUT_E % IN_E == 0) {
    const int R = OUT_E / IN_E;
    ap_uint<OUT_E * B> y = 0;
    int k = 0;
    for (int i = 0; i < IN_WORDS; i++) {
      COSEARCH_PRAGMA(HLS PIPELINE II=1)
      const ap_uint<IN_E * B> x = in.read();
      for (int e = 0; e < IN_E; e++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        y.range((k * IN_E + e) * B + B - 1, (k * IN_E + e) * B) = elem<B>(x, e);
      }
      if (++k == R) {
        out.write(y);
        k = 0;
      }
    }
  } else if (IN_E % OUT_E == 0) {
    const int R = IN_E / OUT_E;
    ap_uint<IN_E * B> x = 0;
    int k = 0;
    for (int o = 0; o < OUT_WORDS; o++) {
      COSEARCH_PRAGMA(HLS PIPELINE II=1)
      if (k == 0) x = in.read();
      ap_uint<OUT_E * B> y = 0;
      for (int e = 0; e < OUT_E; e++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        y.range(e * B + B - 1, e * B) = elem<B>(x, k * OUT_E + e);
      }
      out.write(y);
      if (++k == R) k = 0;
    }
  } else {
#if defined(COSEARCH_COMPAT_AP_INT)
    dwc_iterations() = 0;
#endif
    const int CAP = IN_E + OUT_E;
    ap_uint<B> buf[CAP];
    COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=buf complete dim=1)
    for (int k = 0; k < CAP; k++) {
      COSEARCH_PRAGMA(HLS UNROLL)
      buf[k] = 0;
    }
    int have = 0, readw = 0, written = 0;
    const int MAX_ITER = (IN_WORDS > OUT_WORDS ? IN_WORDS : OUT_WORDS) + (OUT_E + IN_E - 1) / IN_E;
    (void)MAX_ITER;
    while (written < OUT_WORDS) {
      COSEARCH_PRAGMA(HLS PIPELINE II=1)
      COSEARCH_PRAGMA(HLS LOOP_TRIPCOUNT min=MAX_ITER max=MAX_ITER)
      // write the OUT_E oldest elements when there are enough, and read a word while words remain and fit
      const bool doWrite = have >= OUT_E;
      const int left = doWrite ? have - OUT_E : have;
      const bool doRead = readw < IN_WORDS && left + IN_E <= CAP;
      ap_uint<IN_E * B> x = 0;
      if (doRead) x = in.read();
      if (doWrite) {
        ap_uint<OUT_E * B> y = 0;
        for (int e = 0; e < OUT_E; e++) {
          COSEARCH_PRAGMA(HLS UNROLL)
          y.range(e * B + B - 1, e * B) = buf[e];
        }
        out.write(y);
        written++;
      }
      ap_uint<B> next[CAP];
      COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=next complete dim=1)
      for (int k = 0; k < CAP; k++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        const int from = doWrite ? k + OUT_E : k;
        if (k < left) next[k] = from < CAP ? buf[from < CAP ? from : 0] : ap_uint<B>(0);
        else if (doRead && k < left + IN_E) next[k] = elem<B>(x, k - left);
        else next[k] = 0;
      }
      for (int k = 0; k < CAP; k++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        buf[k] = next[k];
      }
      have = left + (doRead ? IN_E : 0);
      if (doRead) readw++;
#if defined(COSEARCH_COMPAT_AP_INT)
      dwc_iterations()++;
#endif
    }
  }
}

/*
 * Input adapter of the kernel's AXI4-Stream input: WORDS words per image (one pixel each), their data passed on;
 * TLAST (set by the sender on an image's last word), TKEEP and TSTRB are not used (the image size is fixed).
 */
template <int W, int WORDS>
void axis_in(hls::stream<ap_axiu<W, 0, 0, 0> > &in, hls::stream<ap_uint<W> > &out) {
  COSEARCH_PRAGMA(HLS INLINE off)
  for (int i = 0; i < WORDS; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    const ap_axiu<W, 0, 0, 0> v = in.read();
    out.write(v.data);
  }
}

/*
 * Output adapter: unpack words of E signed ACC-bit logits into one sign-extended 32-bit logit per AXI4-Stream word,
 * TOTAL logits per image, TLAST on the last logit of each image, TKEEP / TSTRB all ones.
 */
template <int E, int ACC, int TOTAL>
void logits_out(hls::stream<ap_uint<E * ACC> > &in, hls::stream<ap_axiu<32, 0, 0, 0> > &out) {
  static_assert(ACC <= 32, "logits wider than 32 bits");
  COSEARCH_PRAGMA(HLS INLINE off)
  int k = 0;
  ap_uint<E * ACC> x = 0;
  for (int i = 0; i < TOTAL; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    if (k == 0) x = in.read();
    const ap_int<ACC> v = ap_uint<ACC>(x.range(k * ACC + ACC - 1, k * ACC));
    ap_axiu<32, 0, 0, 0> w;
    w.data = ap_uint<32>(ap_int<32>(v));
    w.keep = -1;
    w.strb = -1;
    w.last = i == TOTAL - 1 ? 1 : 0;
    out.write(w);
    if (++k == E) k = 0;
  }
}

}  // namespace cosearch

#endif
