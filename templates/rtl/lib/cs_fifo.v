// cosearch RTL library: synchronous FIFO with valid/ready on both sides.
// `in_ready` and `out_valid` depend only on registered state, so a FIFO breaks combinational handshake paths
// between layers. DEPTH must be a power of two (>= 2).
`default_nettype none
module cs_fifo #(
  parameter W = 8,
  parameter DEPTH = 2,
  parameter AW = 1
) (
  input  wire         clk,
  input  wire         rst,
  input  wire         in_valid,
  output wire         in_ready,
  input  wire [W-1:0] in_data,
  output wire         out_valid,
  input  wire         out_ready,
  output wire [W-1:0] out_data
);
  reg [W-1:0] mem [0:DEPTH-1];
  reg [AW:0] wp, rp;
  wire full = (wp[AW-1:0] == rp[AW-1:0]) && (wp[AW] != rp[AW]);
  wire empty = (wp == rp);
  assign in_ready = !full;
  assign out_valid = !empty;
  assign out_data = mem[rp[AW-1:0]];
  always @(posedge clk) begin
    if (rst) begin
      wp <= 0;
      rp <= 0;
    end else begin
      if (in_valid && !full) begin
        mem[wp[AW-1:0]] <= in_data;
        wp <= wp + 1'b1;
      end
      if (out_ready && !empty) rp <= rp + 1'b1;
    end
  end
endmodule
`default_nettype wire
