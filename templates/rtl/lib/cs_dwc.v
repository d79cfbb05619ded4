// cosearch RTL library: stream width converter between words of IW and OW elements of EB bits each.
// Element 0 of a word sits in the least significant bits. The converter collects L = lcm(IW, OW) elements
// (L/IW input words), then emits them as L/OW output words; the next group may start filling in the cycle the
// last output word leaves. IW == OW is a plain wire.
`default_nettype none
module cs_dwc #(
  parameter EB = 1,
  parameter IW = 1,
  parameter OW = 1,
  parameter L = 1, // lcm(IW, OW), computed by the generator
  parameter NI = 1, // L / IW
  parameter NO = 1  // L / OW
) (
  input  wire             clk,
  input  wire             rst,
  input  wire             in_valid,
  output wire             in_ready,
  input  wire [IW*EB-1:0] in_data,
  output wire             out_valid,
  input  wire             out_ready,
  output wire [OW*EB-1:0] out_data
);
  generate
    if (IW == OW) begin : g_wire
      assign out_valid = in_valid;
      assign in_ready = out_ready;
      assign out_data = in_data;
    end else begin : g_conv
      reg [L*EB-1:0] buf_q;
      reg draining;
      reg [$clog2(NI + 1)-1:0] icnt;
      reg [$clog2(NO + 1)-1:0] ocnt;
      wire last_out = draining && (ocnt == NO - 1) && out_ready;
      assign in_ready = !draining || last_out;
      assign out_valid = draining;
      reg [OW*EB-1:0] od;
      integer j, k;
      always @* begin
        od = buf_q[OW*EB-1:0];
        for (j = 1; j < NO; j = j + 1) if (ocnt == j) od = buf_q[j*OW*EB +: OW*EB];
      end
      assign out_data = od;
      always @(posedge clk) begin
        if (rst) begin
          draining <= 1'b0;
          icnt <= 0;
          ocnt <= 0;
        end else begin
          if (draining && out_ready) begin
            if (ocnt == NO - 1) begin
              ocnt <= 0;
              draining <= 1'b0;
            end else ocnt <= ocnt + 1'b1;
          end
          if (in_valid && in_ready) begin
            for (k = 0; k < NI; k = k + 1) if (icnt == k) buf_q[k*IW*EB +: IW*EB] <= in_data;
            if (icnt == NI - 1) begin
              icnt <= 0;
              draining <= 1'b1;
            end else icnt <= icnt + 1'b1;
          end
        end
      end
    end
  endgenerate
endmodule
`default_nettype wire
