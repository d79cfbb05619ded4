/*
 * cosearch csim-only compatibility header: the AXI4-Stream side-channel struct ap_axiu<D, U, TI, TD> of the Vitis HLS
 * header of the same name, for C simulation with plain g++ (written for cosearch; NOT the vendor header). Fields as
 * the vendor documents them (UG1399, "AXI4-Stream Interfaces with Side-Channels"): data (D bits), keep and strb (one
 * bit per byte), user (U), last (1), id (TI), dest (TD); as in the vendor header, ap_axiu<D, 0, 0, 0> has only data,
 * keep, strb and last. Works with the compat ap_int.h and with the vendor's open-source ap_int.h. Never on the Vitis
 * HLS include path.
 */
#ifndef COSEARCH_COMPAT_AP_AXI_SDATA_H
#define COSEARCH_COMPAT_AP_AXI_SDATA_H

#ifdef __SYNTHESIS__
#error "hls/compat/ap_axi_sdata.h is a C-simulation stand-in; Vitis HLS must use its own ap_axi_sdata.h"
#endif

#include <ap_int.h>

template <int D, int U, int TI, int TD>
struct ap_axiu {
  ap_uint<D> data;
  ap_uint<(D + 7) / 8> keep;
  ap_uint<(D + 7) / 8> strb;
  ap_uint<(U > 0 ? U : 1)> user;
  ap_uint<1> last;
  ap_uint<(TI > 0 ? TI : 1)> id;
  ap_uint<(TD > 0 ? TD : 1)> dest;
};

template <int D>
struct ap_axiu<D, 0, 0, 0> {
  ap_uint<D> data;
  ap_uint<(D + 7) / 8> keep;
  ap_uint<(D + 7) / 8> strb;
  ap_uint<1> last;
};

#endif  // COSEARCH_COMPAT_AP_AXI_SDATA_H
