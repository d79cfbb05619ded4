/*
 * cosearch csim-only compatibility header: a subset of the Vitis HLS arbitrary-precision integer types
 * (ap_int<W>, ap_uint<W>) for C simulation with plain g++. Written for cosearch; it is NOT the vendor header.
 *
 * Never put hls/compat on the Vitis HLS include path: synthesis must use the vendor's ap_int.h (this file
 * refuses to compile under __SYNTHESIS__).
 *
 * Semantics implemented (same as the vendor types for the operations cosearch uses):
 * - W bits of storage, any W >= 1 (multi-limb above 64 bits); assignment from any integer or ap type wraps
 *   modulo 2^W (two's complement for ap_int), sign-extending signed sources first.
 * - Reading: ap_int<W> converts to a signed 64-bit integer (sign-extended), ap_uint<W> to a signed 64-bit
 *   integer for W < 64 and to an unsigned one for W >= 64 (low 64 bits). Arithmetic therefore happens in 64-bit
 *   integers, which equals the vendor's exact widened result types whenever the result fits in 63 bits, and
 *   assigning the result back wraps to W bits exactly like the vendor types.
 * - range(hi, lo) / operator()(hi, lo) read and write slices of up to 64 bits; operator[] reads and writes bits.
 */
#ifndef COSEARCH_COMPAT_AP_INT_H
#define COSEARCH_COMPAT_AP_INT_H

#ifdef __SYNTHESIS__
#error "hls/compat/ap_int.h is a C-simulation stand-in; Vitis HLS must use its own ap_int.h (remove hls/compat from the include path)"
#endif

#define COSEARCH_COMPAT_AP_INT 1

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <type_traits>

namespace cosearch_compat {

inline void ap_fail(const char *what) {
  std::fprintf(stderr, "ap_int compat: %s\n", what);
  std::abort();
}

template <int W, bool S>
class ap_base;

/* x < 0 for signed integer types only (no always-false comparison for unsigned ones and bool) */
template <typename T>
constexpr bool ap_is_neg(T x, std::true_type) { return x < 0; }
template <typename T>
constexpr bool ap_is_neg(T, std::false_type) { return false; }

/* Reference to a slice [hi:lo] (at most 64 bits wide) of an ap value. */
template <int W, bool S>
class ap_range_ref {
 public:
  ap_range_ref(ap_base<W, S> *p, int hi, int lo) : p_(p), hi_(hi), lo_(lo) {
    if (__builtin_expect(hi < lo || lo < 0 || hi >= W || hi - lo >= 64, 0)) ap_fail("range(hi, lo) out of bounds or wider than 64 bits");
  }
  int length() const { return hi_ - lo_ + 1; }
  unsigned long long get() const { return p_->get_bits(hi_, lo_); }
  operator unsigned long long() const { return get(); }
  unsigned long long to_uint64() const { return get(); }
  unsigned to_uint() const { return static_cast<unsigned>(get()); }
  int to_int() const { return static_cast<int>(get()); }
  ap_range_ref &operator=(unsigned long long v) {
    p_->set_bits(hi_, lo_, v);
    return *this;
  }
  ap_range_ref &operator=(const ap_range_ref &o) { return *this = o.get(); }
  template <int W2, bool S2>
  ap_range_ref &operator=(const ap_base<W2, S2> &v) {
    return *this = v.to_uint64();
  }

 private:
  ap_base<W, S> *p_;
  int hi_;
  int lo_;
};

/* Reference to one bit of an ap value. */
template <int W, bool S>
class ap_bit_ref {
 public:
  ap_bit_ref(ap_base<W, S> *p, int i) : p_(p), i_(i) {
    if (__builtin_expect(i < 0 || i >= W, 0)) ap_fail("bit index out of bounds");
  }
  operator bool() const { return p_->get_bits(i_, i_) != 0; }
  ap_bit_ref &operator=(bool b) {
    p_->set_bits(i_, i_, b ? 1ULL : 0ULL);
    return *this;
  }
  ap_bit_ref &operator=(const ap_bit_ref &o) { return *this = static_cast<bool>(o); }

 private:
  ap_base<W, S> *p_;
  int i_;
};

template <int W, bool S>
class ap_base {
  static_assert(W >= 1, "ap_int width must be at least 1");

 public:
  static const int width = W;
  static const int N = (W + 63) / 64;
  /* storage word: the smallest unsigned type holding W bits for W <= 64 (keeps big weight ROMs compact in
   * simulation), 64-bit limbs above */
  typedef typename std::conditional<(W <= 8), std::uint8_t,
          typename std::conditional<(W <= 16), std::uint16_t,
          typename std::conditional<(W <= 32), std::uint32_t, std::uint64_t>::type>::type>::type limb_t;
  /* what the value converts to when read as a C++ integer */
  typedef typename std::conditional<S || (W < 64), long long, unsigned long long>::type value_type;

  constexpr ap_base() : v_{} {}

  template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
  constexpr ap_base(T x) : v_{} {
    const bool neg = ap_is_neg(x, std::integral_constant<bool, std::is_signed<T>::value>());
    v_[0] = static_cast<limb_t>(std::is_signed<T>::value ? static_cast<std::uint64_t>(static_cast<long long>(x)) : static_cast<std::uint64_t>(x));
    for (int i = 1; i < N; i++) v_[i] = static_cast<limb_t>(neg ? ~0ULL : 0ULL);
    mask_top();
  }

  template <int W2, bool S2>
  constexpr ap_base(const ap_base<W2, S2> &o) : v_{} {
    const bool neg = S2 && o.sign_bit();
    for (int i = 0; i < N; i++) v_[i] = static_cast<limb_t>(o.limb_extended(i, neg));
    mask_top();
  }

  template <int W2, bool S2>
  ap_base(const ap_range_ref<W2, S2> &r) : ap_base(r.get()) {}

  template <int W2, bool S2>
  ap_base(const ap_bit_ref<W2, S2> &b) : ap_base(static_cast<bool>(b) ? 1 : 0) {}

  /* ---- reading ---- */
  constexpr bool sign_bit() const { return ((u(N - 1) >> ((W - 1) % 64)) & 1ULL) != 0; }
  constexpr std::uint64_t limb(int i) const { return u(i); }
  /* limb i of the value sign- or zero-extended to infinite width */
  constexpr std::uint64_t limb_extended(int i, bool neg) const {
    return i < N ? (i == N - 1 && neg && (W % 64) != 0 ? (u(i) | (~0ULL << (W % 64))) : u(i)) : (neg ? ~0ULL : 0ULL);
  }
  long long to_int64() const {
    // sign-extend bit W-1: move it to bit 63, then shift back (arithmetic right shift, as g++/clang++ do)
    if (S && W < 64) return static_cast<long long>(u(0) << ((64 - W) % 64)) >> ((64 - W) % 64);
    return static_cast<long long>(u(0));
  }
  unsigned long long to_uint64() const { return u(0); }
  int to_int() const { return static_cast<int>(to_int64()); }
  unsigned to_uint() const { return static_cast<unsigned>(u(0)); }
  long to_long() const { return static_cast<long>(to_int64()); }
  bool to_bool() const {
    for (int i = 0; i < N; i++)
      if (v_[i]) return true;
    return false;
  }
  int length() const { return W; }
  operator value_type() const { return S ? static_cast<value_type>(to_int64()) : static_cast<value_type>(u(0)); }

  /* ---- slices and bits ---- */
  unsigned long long get_bits(int hi, int lo) const {
    const int n = hi - lo + 1;
    if (N == 1) return n == 64 ? u(0) : ((u(0) >> lo) & ((1ULL << n) - 1ULL));
    const int l0 = lo / 64, s0 = lo % 64;
    std::uint64_t x = u(l0) >> s0;
    const int l1 = l0 + 1 < N ? l0 + 1 : N - 1;
    if (N > 1 && s0 != 0 && l1 == l0 + 1 && 64 - s0 < n) x |= u(l1) << (64 - s0);
    return n == 64 ? x : (x & ((1ULL << n) - 1ULL));
  }
  void set_bits(int hi, int lo, unsigned long long val) {
    const int n = hi - lo + 1;
    const std::uint64_t m = n == 64 ? ~0ULL : ((1ULL << n) - 1ULL);
    val &= m;
    if (N == 1) {
      v_[0] = static_cast<limb_t>((u(0) & ~(m << lo)) | (val << lo));
      return;
    }
    const int l0 = lo / 64, s0 = lo % 64;
    v_[l0] = static_cast<limb_t>((u(l0) & ~(m << s0)) | (val << s0));
    const int l1 = l0 + 1 < N ? l0 + 1 : N - 1;  // (clamped only to keep the compiler's bounds analysis quiet)
    if (N > 1 && s0 != 0 && 64 - s0 < n && l1 == l0 + 1) {
      const int spill = n - (64 - s0);
      const std::uint64_t m1 = (1ULL << spill) - 1ULL;
      v_[l1] = static_cast<limb_t>((u(l1) & ~m1) | (val >> (64 - s0)));
    }
  }
  ap_range_ref<W, S> range(int hi, int lo) const { return ap_range_ref<W, S>(const_cast<ap_base *>(this), hi, lo); }
  ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }
  ap_bit_ref<W, S> operator[](int i) const { return ap_bit_ref<W, S>(const_cast<ap_base *>(this), i); }
  bool test(int i) const { return get_bits(i, i) != 0; }

  /* ---- compound assignment (widths up to 64 bits) ---- */
#define COSEARCH_COMPAT_CASSIGN(OP)                                                  \
  template <typename T>                                                              \
  ap_base &operator OP##=(const T &r) {                                              \
    static_assert(W <= 64, "compound arithmetic is provided for widths up to 64");   \
    *this = ap_base(static_cast<long long>(static_cast<value_type>(*this)) OP static_cast<long long>(r)); \
    return *this;                                                                    \
  }
  COSEARCH_COMPAT_CASSIGN(+)
  COSEARCH_COMPAT_CASSIGN(-)
  COSEARCH_COMPAT_CASSIGN(*)
  COSEARCH_COMPAT_CASSIGN(&)
  COSEARCH_COMPAT_CASSIGN(|)
  COSEARCH_COMPAT_CASSIGN(^)
#undef COSEARCH_COMPAT_CASSIGN
  ap_base &operator++() { return *this += 1; }
  ap_base &operator--() { return *this -= 1; }

 private:
  constexpr void mask_top() {
    if (W % 64 != 0) v_[N - 1] = static_cast<limb_t>(u(N - 1) & ((1ULL << (W % 64)) - 1ULL));
  }
  constexpr std::uint64_t u(int i) const { return static_cast<std::uint64_t>(v_[i]); }
  limb_t v_[N];
};

/* Bitwise operators on equal types keep the full width (also above 64 bits). */
template <int W, bool S>
inline ap_base<W, S> bitwise_op(const ap_base<W, S> &a, const ap_base<W, S> &b, int op) {
  ap_base<W, S> r;
  for (int i = 0; i < ap_base<W, S>::N; i++) {
    const std::uint64_t x = a.limb(i), y = b.limb(i);
    const std::uint64_t z = op == 0 ? (x & y) : op == 1 ? (x | y) : (x ^ y);
    for (int k = 0; k < 64 && i * 64 + k < W; k++) r[i * 64 + k] = ((z >> k) & 1ULL) != 0;
  }
  return r;
}

}  // namespace cosearch_compat

template <int W>
class ap_int : public cosearch_compat::ap_base<W, true> {
  typedef cosearch_compat::ap_base<W, true> Base;

 public:
  using Base::Base;
  constexpr ap_int() : Base() {}
  constexpr ap_int(const Base &b) : Base(b) {}
};

template <int W>
class ap_uint : public cosearch_compat::ap_base<W, false> {
  typedef cosearch_compat::ap_base<W, false> Base;

 public:
  using Base::Base;
  constexpr ap_uint() : Base() {}
  constexpr ap_uint(const Base &b) : Base(b) {}
};

template <int W>
inline ap_uint<W> operator&(const ap_uint<W> &a, const ap_uint<W> &b) { return cosearch_compat::bitwise_op(a, b, 0); }
template <int W>
inline ap_uint<W> operator|(const ap_uint<W> &a, const ap_uint<W> &b) { return cosearch_compat::bitwise_op(a, b, 1); }
template <int W>
inline ap_uint<W> operator^(const ap_uint<W> &a, const ap_uint<W> &b) { return cosearch_compat::bitwise_op(a, b, 2); }
template <int W>
inline bool operator==(const ap_uint<W> &a, const ap_uint<W> &b) {
  for (int i = 0; i < cosearch_compat::ap_base<W, false>::N; i++)
    if (a.limb(i) != b.limb(i)) return false;
  return true;
}
template <int W>
inline bool operator!=(const ap_uint<W> &a, const ap_uint<W> &b) { return !(a == b); }

template <int W, bool S>
inline std::ostream &operator<<(std::ostream &os, const cosearch_compat::ap_base<W, S> &x) {
  if (W <= 64) {
    if (S) return os << x.to_int64();
    return os << x.to_uint64();
  }
  os << "0x" << std::hex;
  for (int i = cosearch_compat::ap_base<W, S>::N - 1; i >= 0; i--) os << x.limb(i) << (i ? "_" : "");
  return os << std::dec;
}

#endif  // COSEARCH_COMPAT_AP_INT_H
