/*
 * cosearch csim-only compatibility header: hls::stream<T> for C simulation with plain g++, written for cosearch
 * (NOT the vendor header). An unbounded FIFO; reading an empty stream is a fatal simulation error, as a
 * read from an empty stream would deadlock the hardware. Never on the Vitis HLS include path.
 */
#ifndef COSEARCH_COMPAT_HLS_STREAM_H
#define COSEARCH_COMPAT_HLS_STREAM_H

#ifdef __SYNTHESIS__
#error "hls/compat/hls_stream.h is a C-simulation stand-in; Vitis HLS must use its own hls_stream.h"
#endif

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <string>

namespace hls {

template <typename T>
class stream {
 public:
  stream() : name_("stream") {}
  explicit stream(const char *name) : name_(name) {}
  stream(const stream &) = delete;
  stream &operator=(const stream &) = delete;

  T read() {
    if (q_.empty()) throw std::runtime_error("hls::stream '" + name_ + "' read while empty (the hardware would deadlock)");
    T v = q_.front();
    q_.pop_front();
    return v;
  }
  void read(T &v) { v = read(); }
  bool read_nb(T &v) {
    if (q_.empty()) return false;
    v = read();
    return true;
  }
  void write(const T &v) { q_.push_back(v); }
  bool write_nb(const T &v) {
    write(v);
    return true;
  }
  void operator>>(T &v) { v = read(); }
  void operator<<(const T &v) { write(v); }
  bool empty() const { return q_.empty(); }
  bool full() const { return false; }
  std::size_t size() const { return q_.size(); }
  const std::string &name() const { return name_; }

 private:
  std::deque<T> q_;
  std::string name_;
};

}  // namespace hls

#endif  // COSEARCH_COMPAT_HLS_STREAM_H
