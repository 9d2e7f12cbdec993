/*
 * bench_pcapfloor.c - the floor of reading a capture through libpcap, for
 * bench/sniff: every record taken by pcap_next_ex and its first byte read,
 * nothing decoded, nothing kept.  What any tool that reads its captures
 * through libpcap pays before it does anything with a packet.
 * usage: bench_pcapfloor FILE      prints "packets bytes" on stdout
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long long n = 0, bytes = 0;
	unsigned x = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_pcapfloor FILE\n");
		return 2;
	}
	if (!(p = pcap_open_offline(argv[1], eb))) {
		fprintf(stderr, "bench_pcapfloor: %s\n", eb);
		return 2;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		bytes += h->caplen;
		if (h->caplen)
			x += data[0];
	}
	if (rc != PCAP_ERROR_BREAK)
		fprintf(stderr, "bench_pcapfloor: %s\n", pcap_geterr(p));
	pcap_close(p);
	printf("%llu %llu %u\n", n, bytes, x & 1);
	return rc == PCAP_ERROR_BREAK ? 0 : 1;
}
