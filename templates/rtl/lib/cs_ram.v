// cosearch RTL library: simple dual-port RAM (one write port, one synchronous read port with enable).
// Used for line buffers and input buffers; yosys maps it to LUTRAM or block RAM by size.
`default_nettype none
module cs_ram #(
  parameter W = 8,
  parameter D = 16,
  parameter AW = 4
) (
  input  wire          clk,
  input  wire          we,
  input  wire [AW-1:0] waddr,
  input  wire [W-1:0]  wdata,
  input  wire          re,
  input  wire [AW-1:0] raddr,
  output reg  [W-1:0]  q
);
  reg [W-1:0] mem [0:D-1];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) q <= mem[raddr];
  end
endmodule
`default_nettype wire
