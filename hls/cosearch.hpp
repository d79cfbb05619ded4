/*
 * cosearch HLS layer library (header-only, written for cosearch): include this one header.
 *   cs_swg.hpp   sliding-window generator (conv input, stride 1, zero padding)
 *   cs_mvau.hpp  matrix-vector-activation unit with PE/SIMD folding and integer thresholds
 *   cs_pool.hpp  max-pool
 *   cs_dwc.hpp   stream width converters and the logits output adapter
 *   cs_arith.hpp XNOR-popcount and k-bit dot products, multi-threshold activation
 *   cs_tap.hpp   csim-only per-layer taps
 */
#ifndef COSEARCH_HLS_HPP
#define COSEARCH_HLS_HPP

#include "cs_common.hpp"
#include "cs_arith.hpp"
#include "cs_swg.hpp"
#include "cs_mvau.hpp"
#include "cs_pool.hpp"
#include "cs_dwc.hpp"
#include "cs_tap.hpp"

#endif
