package dev.dhcpcluster.adapter.pcap;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * words, as IPv4 headers and UDP use it.
 */
final class Checksum {

    private Checksum() {
    }

    /**
     * Adds {@code length} bytes of {@code bytes} from {@code offset} to a running 32-bit sum, as
     * big-endian 16-bit words; an odd last byte is padded with a zero byte.
     */
    static long add(long sum, byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it: the value to put in the header. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of {@code length} bytes of {@code bytes} from {@code offset}. */
    static int of(byte[] bytes, int offset, int length) {
        return finish(add(0, bytes, offset, length));
    }
}
