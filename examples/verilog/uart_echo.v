// UART echo through a block RAM, for testing the board flow until the CPU
// exists. Every byte received on uart_rx (8N1) is written to a 256-byte ring
// in block RAM and sent back on uart_tx as read back from that RAM, so one
// small design exercises LUTs, carry chains, flip-flops, a SB_RAM40_4K and IO.
//
// Ports follow the board conventions (src/board/pcf.ts): clk, uart_rx,
// uart_tx, led[1:0]. led[0] toggles on every byte received, led[1] is lit
// while a byte is being sent (the polarity is the board's business).
//
// Every register but the RAM's read register has an initial value (the iCE40 powers its flip-flops up at
// the configured value), so simulation starts from the same state as the chip.

module uart_echo #(
    parameter integer CLKS_PER_BIT = 104  // 12 MHz / 115200 baud
) (
    input  wire       clk,
    input  wire       uart_rx,
    output wire       uart_tx,
    output wire [1:0] led
);
    localparam integer HALF_BIT = CLKS_PER_BIT / 2;

    // ---- receiver ---------------------------------------------------------
    // Two flip-flops bring the asynchronous line into the clock domain.
    reg rx_meta = 1'b1, rx_sync = 1'b1;
    always @(posedge clk) begin
        rx_meta <= uart_rx;
        rx_sync <= rx_meta;
    end

    reg  [1:0]  rx_state = 2'd0;  // 0 idle, 1 start bit, 2 data bits, 3 stop bit
    reg  [15:0] rx_count = 16'd0;
    reg  [2:0]  rx_bit = 3'd0;
    reg  [7:0]  rx_shift = 8'd0;
    reg         rx_valid = 1'b0;

    always @(posedge clk) begin
        rx_valid <= 1'b0;
        case (rx_state)
            2'd0: if (!rx_sync) begin
                rx_state <= 2'd1;
                rx_count <= 16'd0;
            end
            2'd1: if (rx_count == HALF_BIT - 1) begin
                // Middle of the start bit: still low, or it was a glitch.
                rx_count <= 16'd0;
                rx_bit <= 3'd0;
                rx_state <= rx_sync ? 2'd0 : 2'd2;
            end else rx_count <= rx_count + 16'd1;
            2'd2: if (rx_count == CLKS_PER_BIT - 1) begin
                rx_count <= 16'd0;
                rx_shift <= {rx_sync, rx_shift[7:1]};
                rx_bit <= rx_bit + 3'd1;
                if (rx_bit == 3'd7) rx_state <= 2'd3;
            end else rx_count <= rx_count + 16'd1;
            2'd3: if (rx_count == CLKS_PER_BIT - 1) begin
                rx_count <= 16'd0;
                rx_state <= 2'd0;
                rx_valid <= rx_sync;  // drop frames without a stop bit
            end else rx_count <= rx_count + 16'd1;
        endcase
    end

    // ---- ring buffer in block RAM -----------------------------------------
    reg [7:0] ring [0:255];
    reg [7:0] write_ptr = 8'd0, read_ptr = 8'd0;
    // No initial value: a BRAM's read register has none, and nothing reads
    // ring_out before a byte was written and read back into it.
    reg [7:0] ring_out;
    always @(posedge clk) begin
        if (rx_valid) ring[write_ptr] <= rx_shift;
        ring_out <= ring[read_ptr];  // synchronous read: what a BRAM does
    end
    always @(posedge clk) if (rx_valid) write_ptr <= write_ptr + 8'd1;

    // ---- transmitter --------------------------------------------------------
    reg [1:0]  tx_state = 2'd0;  // 0 idle, 1 RAM read in flight, 2 sending
    reg [15:0] tx_count = 16'd0;
    reg [3:0]  tx_bits_left = 4'd0;
    reg [9:0]  tx_shift = 10'h3ff;  // stop bit, 8 data bits, start bit; idles high

    always @(posedge clk) begin
        case (tx_state)
            2'd0: if (read_ptr != write_ptr) tx_state <= 2'd1;
            2'd1: begin
                // ring_out now holds ring[read_ptr] (read issued last cycle).
                tx_shift <= {1'b1, ring_out, 1'b0};
                tx_bits_left <= 4'd10;
                tx_count <= 16'd0;
                read_ptr <= read_ptr + 8'd1;
                tx_state <= 2'd2;
            end
            2'd2: if (tx_count == CLKS_PER_BIT - 1) begin
                tx_count <= 16'd0;
                tx_shift <= {1'b1, tx_shift[9:1]};
                tx_bits_left <= tx_bits_left - 4'd1;
                if (tx_bits_left == 4'd1) tx_state <= 2'd0;
            end else tx_count <= tx_count + 16'd1;
            default: tx_state <= 2'd0;
        endcase
    end
    assign uart_tx = tx_shift[0];

    // ---- LEDs ----------------------------------------------------------------
    reg got_byte = 1'b0;
    always @(posedge clk) if (rx_valid) got_byte <= !got_byte;
    assign led = {tx_state == 2'd2, got_byte};
endmodule
