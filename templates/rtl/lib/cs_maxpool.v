// cosearch RTL library: streaming max-pool, K x K window, stride K (floor on odd sizes), PE channels per
// cycle (C/PE words per pixel). Partial maxima of the current pooled row are kept in a row buffer of
// OWD*C/PE words; a pooled pixel leaves when the last input of its window arrives. Codes are compared as
// unsigned numbers, which for bipolar codes orders -1 < +1. Takes IH*IW*C/PE cycles per image.
`default_nettype none
module cs_maxpool #(
  parameter IH = 4, parameter IWD = 4, parameter C = 1, parameter PE = 1, parameter EB = 1,
  parameter K = 2, parameter OH = 2, parameter OWD = 2, parameter CF = 1, // CF = C/PE
  parameter AW = 2
) (
  input  wire              clk,
  input  wire              rst,
  input  wire              in_valid,
  output wire              in_ready,
  input  wire [PE*EB-1:0]  in_data,
  output reg               out_valid,
  input  wire              out_ready,
  output reg  [PE*EB-1:0]  out_data
);
  localparam CFB = $clog2(CF + 1);
  localparam XB = $clog2(IWD + 1);
  localparam YB = $clog2(IH + 1);
  localparam KB = $clog2(K + 1);
  reg [CFB-1:0] cf;
  reg [XB-1:0] ix, ox;
  reg [YB-1:0] iy;
  reg [KB-1:0] kx, ky;
  reg [AW:0] base; // ox * CF
  reg [PE*EB-1:0] rowbuf [0:OWD*CF-1];
  assign in_ready = !out_valid || out_ready;
  wire acc = in_valid && in_ready;
  wire used = (ix < OWD * K) && (iy < OH * K);
  wire start = (kx == 0) && (ky == 0);
  wire fin = (kx == K - 1) && (ky == K - 1);
  wire [AW:0] addr = base + cf;
  wire [PE*EB-1:0] old = rowbuf[addr];
  reg [PE*EB-1:0] m;
  integer e;
  always @* begin
    for (e = 0; e < PE; e = e + 1)
      m[e*EB +: EB] = (start || in_data[e*EB +: EB] > old[e*EB +: EB]) ? in_data[e*EB +: EB] : old[e*EB +: EB];
  end
  always @(posedge clk) begin
    if (rst) begin
      cf <= 0; ix <= 0; iy <= 0; kx <= 0; ky <= 0; ox <= 0; base <= 0;
      out_valid <= 1'b0;
    end else begin
      if (out_valid && out_ready) out_valid <= 1'b0;
      if (acc) begin
        if (used) begin
          rowbuf[addr] <= m;
          if (fin) begin
            out_valid <= 1'b1;
            out_data <= m;
          end
        end
        if (cf != CF - 1) cf <= cf + 1'b1;
        else begin
          cf <= 0;
          if (ix != IWD - 1) begin
            ix <= ix + 1'b1;
            if (kx != K - 1) kx <= kx + 1'b1;
            else begin
              kx <= 0;
              ox <= ox + 1'b1;
              base <= base + CF;
            end
          end else begin
            ix <= 0; kx <= 0; ox <= 0; base <= 0;
            if (iy != IH - 1) begin
              iy <= iy + 1'b1;
              ky <= (ky == K - 1) ? 0 : ky + 1'b1;
            end else begin
              iy <= 0; ky <= 0;
            end
          end
        end
      end
    end
  end
endmodule
`default_nettype wire
