# XDP in assembly: drop Ethernet frames shorter than 64 bytes, pass the rest.
# r1 = struct xdp_md *: data at offset 0, data_end at offset 4.
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]
sub %r3, %r2
mov %r0, 2
jge %r3, 64, done
mov %r0, 1
done:
exit
