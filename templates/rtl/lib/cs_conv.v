// cosearch RTL library: convolution layer control = sliding-window generator fused with the MVAU loop.
// Input: one pixel (C channels of IB bits, channel 0 in the LSBs) per stream word, raster order, HWC.
// Line buffer: R = 2^RB >= K+1 rows of IW pixels (ring indexed by the global row number), written as pixels
// arrive and read by the MVAU loop, so the window is never copied (FINN's ConvolutionInputGenerator keeps
// K + 1 rows in the same way). Stride 1, zero padding P (code 0).
// Loop per image: for oy, ox (output pixels): for nf < NF: for sf < SF: one MVAU step per cycle, so a layer
// takes OH*OW*NF*SF cycles per image when neither starved nor back-pressured.
// SIMD word sf: when SIMD divides C (M = 1) it is chunk CH = sf % CPP of window position sf / CPP; when
// SIMD = C*M (CPP = 1) it is the M whole pixels at window positions sf*M .. sf*M+M-1, read from M copies
// of the line buffer (one read port each).
// DW = 1 (depthwise convolution, src/layers/depthwise): SIMD = PE channels, CPP = C/PE channel groups, NF = CPP,
// SF = K*K: for every pixel, channel group nf gets its K*K window positions (word = chunk nf of the pixel), the order
// the VVAU datapath (cs_mvau.v DW = 1) consumes.
`default_nettype none
module cs_conv #(
  parameter IH = 8, parameter IWD = 8, parameter C = 1, parameter IB = 8,
  parameter OH = 6, parameter OWD = 6, parameter K = 3, parameter P = 0,
  parameter PE = 1, parameter SIMD = 1, parameter NF = 1, parameter SF = 1,
  parameter M = 1, parameter CPP = 1, parameter KG = 9, // KG = K*K/M window groups
  parameter RB = 2, parameter AW = 4, parameter WAW = 4, parameter TAW = 1,
  parameter DW = 0
) (
  input  wire                clk,
  input  wire                rst,
  input  wire                in_valid,
  output wire                in_ready,
  input  wire [C*IB-1:0]     in_data,
  // to the MVAU datapath / weight and threshold memories
  input  wire                en,
  output wire                w_en,
  output wire [WAW-1:0]      w_addr,
  output wire [TAW-1:0]      t_addr,
  output reg                 v1,
  output reg                 first1,
  output reg                 last1,
  output wire [SIMD*IB-1:0]  x1
);
  localparam R = 1 << RB;
  localparam PW = C * IB;
  // row counters are kept modulo 2^B: the writer is never behind row 0 of the image being read and never more
  // than IH + R rows ahead of it, so differences fit in B bits (and R divides 2^B for the ring slot)
  localparam B = $clog2(IH + R + 1) + 1;
  localparam XB = $clog2(IWD + 1);
  localparam OYB = $clog2(OH + 1);
  localparam OXB = $clog2(OWD + 1);
  localparam NFB = $clog2(NF + 1);
  localparam KGB = $clog2(KG + 1);
  localparam CHB = $clog2(CPP + 1);
  localparam CL = DW ? 1 : CPP; // chunks iterated per window position (depthwise: the chunk is the channel group nf)
  localparam WDB = $clog2(NF * SF + 1);
  localparam YB = $clog2(IH + 2 * P + 1);
  localparam XPB = $clog2(IWD + 2 * P + 1);

  // ---------------- write side ----------------
  reg [B-1:0] wrow;      // rows completely written (global count, modulo 2^B)
  reg [XB-1:0] wx;       // column being written
  reg [B-1:0] rd_base;   // global row number of row 0 of the image being read (modulo 2^B)
  reg [OYB-1:0] oy;
  reg [OXB-1:0] ox;
  reg [NFB-1:0] nf;
  reg [KGB-1:0] kg;
  reg [CHB-1:0] ch;
  reg [WDB-1:0] wcnt;
  reg [7:0] kbase;      // kg * M, kept as a register (no multiplier)
  wire [B-1:0] ahead = wrow - rd_base;
  wire [B-1:0] need_lo = (oy >= P) ? (oy - P) : 0;
  wire [B-1:0] need_hi = (oy + K - P < IH) ? (oy + K - P) : IH;
  assign in_ready = (ahead < need_lo + R);
  wire wr = in_valid && in_ready;
  wire [RB-1:0] wslot = wrow[RB-1:0];
  wire [AW-1:0] waddr = slot_base(wslot) + wx;
  always @(posedge clk) begin
    if (rst) begin
      wrow <= 0;
      wx <= 0;
    end else if (wr) begin
      if (wx == IWD - 1) begin
        wx <= 0;
        wrow <= wrow + 1'b1;
      end else wx <= wx + 1'b1;
    end
  end

  // ---------------- read side: the MVAU loop ----------------
  wire can = (ahead >= need_hi);
  wire issue = en && can;
  wire last_sf = (kg == KG - 1) && (ch == CL - 1);
  always @(posedge clk) begin
    if (rst) begin
      oy <= 0; ox <= 0; nf <= 0; kg <= 0; ch <= 0; rd_base <= 0; wcnt <= 0; kbase <= 0;
    end else if (issue) begin
      wcnt <= (wcnt == NF * SF - 1) ? 0 : wcnt + 1'b1;
      if (ch != CL - 1) ch <= ch + 1'b1;
      else begin
        ch <= 0;
        if (kg != KG - 1) begin
          kg <= kg + 1'b1;
          kbase <= kbase + M;
        end else begin
          kg <= 0;
          kbase <= 0;
          if (nf != NF - 1) nf <= nf + 1'b1;
          else begin
            nf <= 0;
            if (ox != OWD - 1) ox <= ox + 1'b1;
            else begin
              ox <= 0;
              if (oy != OH - 1) oy <= oy + 1'b1;
              else begin
                oy <= 0;
                rd_base <= rd_base + IH;
              end
            end
          end
        end
      end
    end
  end
  assign w_en = en;
  assign w_addr = wcnt;
  assign t_addr = nf;

  reg [CHB-1:0] ch1;
  always @(posedge clk) begin
    if (rst) v1 <= 1'b0;
    else if (en) v1 <= can;
    if (en) begin
      first1 <= (kg == 0) && (ch == 0);
      last1 <= last_sf;
      ch1 <= DW ? nf[CHB-1:0] : ch;
    end
  end

  // window position -> (ky, kx) without a divider: kpos < K*K is small
  function [7:0] div_k(input [7:0] kp);
    integer t;
    begin
      div_k = 0;
      for (t = 1; t < K; t = t + 1) if (kp >= t * K) div_k = t;
    end
  endfunction
  function [7:0] mod_k(input [7:0] kp);
    integer t;
    begin
      mod_k = kp;
      for (t = 1; t < K; t = t + 1) if (kp >= t * K) mod_k = kp - t * K;
    end
  endfunction
  // first line-buffer address of ring slot s (a constant table: no multiplier)
  function [AW-1:0] slot_base(input [RB-1:0] sl);
    integer t;
    begin
      slot_base = 0;
      for (t = 1; t < R; t = t + 1) if (sl == t) slot_base = t * IWD;
    end
  endfunction

  wire [M*PW-1:0] pix;
  genvar i;
  generate
    for (i = 0; i < M; i = i + 1) begin : g_bank
      wire [7:0] kpos = kbase + i;
      wire [7:0] ky = div_k(kpos);
      wire [7:0] kx = mod_k(kpos);
      wire [YB-1:0] iyp = oy + ky;
      wire [XPB-1:0] ixp = ox + kx;
      wire in_win = (iyp >= P) && (iyp < IH + P) && (ixp >= P) && (ixp < IWD + P);
      wire [B-1:0] grow = rd_base + iyp - P;
      wire [RB-1:0] rslot = grow[RB-1:0];
      wire [AW-1:0] raddr = slot_base(rslot) + (ixp - P);
      reg in_win1;
      wire [PW-1:0] q;
      always @(posedge clk) if (en) in_win1 <= in_win;
      cs_ram #(.W(PW), .D(R * IWD), .AW(AW)) u_lb (
        .clk(clk), .we(wr), .waddr(waddr), .wdata(in_data), .re(en), .raddr(raddr), .q(q));
      assign pix[i*PW +: PW] = in_win1 ? q : {PW{1'b0}};
    end
    if (M > 1 || CPP == 1) begin : g_whole
      assign x1 = pix[SIMD*IB-1:0];
    end else begin : g_chunk
      // chunk select as an explicit one-hot mux (no multiplier in the index arithmetic)
      reg [SIMD*IB-1:0] xs;
      integer j;
      always @* begin
        xs = pix[SIMD*IB-1:0];
        for (j = 1; j < CPP; j = j + 1) if (ch1 == j) xs = pix[j*SIMD*IB +: SIMD*IB];
      end
      assign x1 = xs;
    end
  endgenerate
endmodule
`default_nettype wire
