/* Prime counter: how many primes are there in [2, n]?
 *
 * Each candidate is tested by trial division, the same inner loop as hBPF's
 * prime(67) benchmark (github.com/rprinz08/hBPF, tests/data/misc/prime.test),
 * so cycle counts can be compared; counting all primes up to n makes the run
 * long enough to measure. n is the first input byte (67 when the input is
 * empty): primes up to 67 -> 19.
 *
 *   clang -target bpf -O2 -mcpu=v3 -c primes.c -o primes.o
 */

static int is_prime(unsigned long n)
{
	for (unsigned long i = 2; i < n; i++)
		if (n % i == 0)
			return 0;
	return n >= 2;
}

unsigned long prog(const unsigned char *in, unsigned long len)
{
	unsigned long n = len > 0 ? in[0] : 67;
	unsigned long count = 0;
	for (unsigned long k = 2; k <= n; k++)
		count += is_prime(k);
	return count;
}
