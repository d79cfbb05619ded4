// cosearch RTL library: matrix-vector-activation datapath (after FINN's MVAU: Umuroglu et al., FPGA 2017;
// Blott et al., FINN-R, TRETS 2018). PE output channels in parallel, SIMD input lanes per PE, the matrix
// folded NF = MH/PE times in height and SF = MW/SIMD times in width. Memories live outside: the caller
// presents, aligned in stage 1 (one cycle after it issued the addresses), the input word x1, the PE weight
// words w1 and the PE threshold rows t1.
//
// Values: input code c is the value c (unsigned) or 2c-1 (IBIP=1, bipolar); a 1-bit weight bit b is 2b-1;
// a multi-bit weight is two's complement. 1-bit x 1-bit uses XNOR + popcount: dot = 2*popcount - SIMD.
// Products narrower than DSPMIN bits on either side are written as shift-add so that synthesis keeps them in
// LUTs (the cost model's dspMinOperandBits); wider ones use `*` (DSP-eligible).
// Output: code = #{t : acc >= T[t]} (NT thresholds, ACCB+1 bits each, clamped by the generator), or the raw
// accumulator (LAST=1, integer logits).
// DW = 1 (VVAU, depthwise convolution): x1 holds PE elements and PE p multiplies element p (SIMD = 1 per PE).
`default_nettype none
module cs_mvau #(
  parameter PE = 1,
  parameter SIMD = 1,
  parameter WB = 1,
  parameter IB = 1,
  parameter IBIP = 0,
  parameter ACCB = 8,
  parameter NT = 1,
  parameter OB = 1,
  parameter LAST = 0,
  parameter DSPMIN = 5,
  parameter OW = 1, // output element width: OB, or ACCB when LAST
  parameter DW = 0
) (
  input  wire                       clk,
  input  wire                       rst,
  input  wire                       en,
  input  wire                       v1,
  input  wire                       first1,
  input  wire                       last1,
  input  wire [(DW ? PE : SIMD)*IB-1:0] x1,
  input  wire [PE*SIMD*WB-1:0]      w1,
  input  wire [PE*NT*(ACCB+1)-1:0]  t1,
  output reg                        out_valid,
  output reg  [PE*OW-1:0]           out_data
);
  localparam TB = ACCB + 1;

  // Lane products at their natural width PB = WB + IB + 1 (signed), summed by a balanced adder tree whose
  // width grows by one bit per level (FINN-R's (W+A) * (2*SIMD - 1) adder-tree cost), then sign-extended to
  // the accumulator width.
  localparam PB = WB + IB + 1;
  localparam LV = (SIMD > 1) ? $clog2(SIMD) : 0;
  localparam SB = PB + LV;

  function signed [PB-1:0] lane_prod(input [WB-1:0] w, input [IB-1:0] x);
    reg signed [PB-1:0] xs, ws, p;
    integer b;
    begin
      xs = {{(PB-IB){1'b0}}, x};
      ws = {{(PB-WB){w[WB-1]}}, w};
      if (WB == 1 && IBIP == 0) p = w[0] ? xs : -xs;
      else if (WB > 1 && IBIP == 1) p = x[0] ? ws : -ws;
      else if (WB >= DSPMIN && IB >= DSPMIN) p = ws * xs;
      else if (WB <= IB) begin
        p = 0;
        for (b = 0; b < WB - 1; b = b + 1) if (w[b]) p = p + (xs <<< b);
        if (w[WB-1]) p = p - (xs <<< (WB - 1));
      end else begin
        p = 0;
        for (b = 0; b < IB; b = b + 1) if (x[b]) p = p + (ws <<< b);
      end
      lane_prod = p;
    end
  endfunction

  reg [PE*ACCB-1:0] acc;
  reg [PE*NT*TB-1:0] t2;
  reg v2;
  wire [PE*ACCB-1:0] dot;
  wire [PE*OW-1:0] res;

  genvar p;
  generate
    for (p = 0; p < PE; p = p + 1) begin : g_pe
      wire [SIMD*WB-1:0] wp = w1[p*SIMD*WB +: SIMD*WB];
      reg signed [ACCB-1:0] d;
      if (WB == 1 && IBIP == 1) begin : g_xnor
        reg [ACCB-1:0] pc;
        integer s;
        always @* begin
          pc = 0;
          for (s = 0; s < SIMD; s = s + 1) pc = pc + {{(ACCB-1){1'b0}}, ~(wp[s] ^ x1[DW ? p : s])};
          d = 2 * $signed({1'b0, pc}) - SIMD;
        end
      end else begin : g_mul
        // level lv holds ceil(SIMD / 2^lv) partial sums of PB + lv bits
        genvar lv, nd;
        for (lv = 0; lv <= LV; lv = lv + 1) begin : g_lv
          for (nd = 0; nd < ((SIMD + (1 << lv) - 1) >> lv); nd = nd + 1) begin : g_nd
            wire signed [PB+lv-1:0] v;
            if (lv == 0) begin : g_leaf
              assign v = lane_prod(wp[nd*WB +: WB], x1[(DW ? p : nd)*IB +: IB]);
            end else if (2 * nd + 1 < ((SIMD + (1 << (lv - 1)) - 1) >> (lv - 1))) begin : g_add
              assign v = g_lv[lv-1].g_nd[2*nd].v + g_lv[lv-1].g_nd[2*nd+1].v;
            end else begin : g_pass
              assign v = g_lv[lv-1].g_nd[2*nd].v;
            end
          end
        end
        always @* d = g_lv[LV].g_nd[0].v;
      end
      assign dot[p*ACCB +: ACCB] = d;

      wire signed [ACCB-1:0] a = acc[p*ACCB +: ACCB];
      if (LAST) begin : g_logit
        assign res[p*OW +: OW] = a;
      end else begin : g_thr
        reg [OB-1:0] code;
        integer t;
        always @* begin
          code = 0;
          for (t = 0; t < NT; t = t + 1)
            if ($signed({a[ACCB-1], a}) >= $signed(t2[(p*NT+t)*TB +: TB])) code = code + 1'b1;
        end
        assign res[p*OW +: OW] = code;
      end
    end
  endgenerate

  integer q;
  always @(posedge clk) begin
    if (rst) begin
      v2 <= 1'b0;
      out_valid <= 1'b0;
    end else if (en) begin
      v2 <= v1 && last1;
      out_valid <= v2;
    end
    if (en) begin
      if (v1) begin
        for (q = 0; q < PE; q = q + 1)
          acc[q*ACCB +: ACCB] <= (first1 ? {ACCB{1'b0}} : acc[q*ACCB +: ACCB]) + dot[q*ACCB +: ACCB];
        if (last1) t2 <= t1;
      end
      if (v2) out_data <= res;
    end
  end
endmodule
`default_nettype wire
