// A counter driving the board's first two LEDs: the smallest design that
// exercises the whole flow (clock, carry chain, flip-flops, outputs).

module blinky (
    input  wire       clk,
    output wire [1:0] led
);
    reg [23:0] count = 24'd0;
    always @(posedge clk) count <= count + 24'd1;
    assign led = count[23:22];
endmodule
