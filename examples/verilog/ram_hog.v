// Asks for 160 kbit of block RAM (40 SB_RAM40_4K of 256x16), more than any
// supported iCE40 has (the UP5K has 30, the HX8K 32): the flow must refuse it
// with the resource and the numbers.

module ram_hog (
    input  wire        clk,
    input  wire [13:0] addr,
    input  wire [15:0] din,
    input  wire        we,
    output reg  [15:0] dout
);
    reg [15:0] mem [0:10239];
    always @(posedge clk) begin
        if (we) mem[addr] <= din;
        dout <= mem[addr];
    end
endmodule
