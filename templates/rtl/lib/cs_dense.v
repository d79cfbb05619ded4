// cosearch RTL library: fully-connected layer control. Input: SIMD elements per stream word in flatten (HWC)
// order; the SF words of one input vector go into one half of a ping-pong buffer while the MVAU loop (for
// nf < NF: for sf < SF) reads the other half, so a layer takes NF*SF cycles per vector. A 1x1 convolution
// without padding uses the same control once per pixel (the vector is one pixel's channels).
`default_nettype none
module cs_dense #(
  parameter IB = 8, parameter SIMD = 1, parameter NF = 1, parameter SF = 1,
  parameter AW = 2, parameter WAW = 1, parameter TAW = 1
) (
  input  wire                clk,
  input  wire                rst,
  input  wire                in_valid,
  output wire                in_ready,
  input  wire [SIMD*IB-1:0]  in_data,
  input  wire                en,
  output wire                w_en,
  output wire [WAW-1:0]      w_addr,
  output wire [TAW-1:0]      t_addr,
  output reg                 v1,
  output reg                 first1,
  output reg                 last1,
  output wire [SIMD*IB-1:0]  x1
);
  localparam SFB = $clog2(SF + 1);
  localparam NFB = $clog2(NF + 1);
  localparam WDB = $clog2(NF * SF + 1);
  reg [1:0] full;
  reg wb, rb;
  reg [SFB-1:0] wcnt, sf;
  reg [NFB-1:0] nf;
  reg [WDB-1:0] wa;
  assign in_ready = !full[wb];
  wire wr = in_valid && in_ready;
  wire can = full[rb];
  wire issue = en && can;
  wire done = issue && (nf == NF - 1) && (sf == SF - 1);
  always @(posedge clk) begin
    if (rst) begin
      full <= 2'b00; wb <= 1'b0; rb <= 1'b0; wcnt <= 0; nf <= 0; sf <= 0; wa <= 0;
    end else begin
      if (wr) begin
        if (wcnt == SF - 1) begin
          wcnt <= 0;
          wb <= !wb;
        end else wcnt <= wcnt + 1'b1;
      end
      if (issue) begin
        wa <= (wa == NF * SF - 1) ? 0 : wa + 1'b1;
        if (sf != SF - 1) sf <= sf + 1'b1;
        else begin
          sf <= 0;
          if (nf != NF - 1) nf <= nf + 1'b1;
          else begin
            nf <= 0;
            rb <= !rb;
          end
        end
      end
      // set when a half fills, clear when its last step was issued
      full[0] <= (full[0] || (wr && wcnt == SF - 1 && wb == 1'b0)) && !(done && rb == 1'b0);
      full[1] <= (full[1] || (wr && wcnt == SF - 1 && wb == 1'b1)) && !(done && rb == 1'b1);
    end
  end
  assign w_en = en;
  assign w_addr = wa;
  assign t_addr = nf;
  always @(posedge clk) begin
    if (rst) v1 <= 1'b0;
    else if (en) v1 <= can;
    if (en) begin
      first1 <= (sf == 0);
      last1 <= (sf == SF - 1);
    end
  end
  cs_ram #(.W(SIMD*IB), .D(2*SF), .AW(AW)) u_buf (
    .clk(clk), .we(wr), .waddr(wb ? SF + wcnt : wcnt), .wdata(in_data), .re(en), .raddr(rb ? SF + sf : sf), .q(x1));
endmodule
`default_nettype wire
