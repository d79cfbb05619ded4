// cosearch RTL library: synchronous-read ROM initialised from a $readmemh file.
// STYLE 0: let the synthesizer choose, 1: LUTs (rom_style "logic"), 2: block RAM (rom_style "block").
// Read latency 1 cycle; `en` holds the output register (pipeline stall).
`default_nettype none
module cs_rom #(
  parameter W = 8,
  parameter D = 16,
  parameter AW = 4,
  parameter STYLE = 0,
  parameter FILE = "rom.mem"
) (
  input  wire          clk,
  input  wire          en,
  input  wire [AW-1:0] addr,
  output reg  [W-1:0]  q
);
  generate
    if (STYLE == 2) begin : g_bram
      (* rom_style = "block" *) reg [W-1:0] mem [0:D-1];
      initial $readmemh(FILE, mem);
      always @(posedge clk) if (en) q <= mem[addr];
    end else if (STYLE == 1) begin : g_lut
      (* rom_style = "logic" *) reg [W-1:0] mem [0:D-1];
      initial $readmemh(FILE, mem);
      always @(posedge clk) if (en) q <= mem[addr];
    end else begin : g_auto
      reg [W-1:0] mem [0:D-1];
      initial $readmemh(FILE, mem);
      always @(posedge clk) if (en) q <= mem[addr];
    end
  endgenerate
endmodule
`default_nettype wire
