package dev.dhcpcluster.bootstrap.e2e;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards the one address rule of the end-to-end tests: every address and route they configure lies
 * in 198.18.0.0/15, the block reserved for benchmarking (RFC 2544), so a lab can never collide with
 * or leak into a real network.
 */
public final class LabAddresses {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})/(\\d{1,2})");

    private LabAddresses() {
    }

    /** Returns {@code address} if it is a dotted quad inside 198.18.0.0/15, else throws. */
    public static String requireAddress(String address) {
        Matcher matcher = DOTTED_QUAD.matcher(address);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            octets[i] = Integer.parseInt(matcher.group(i + 1));
            if (octets[i] > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
        }
        if (octets[0] != 198 || (octets[1] != 18 && octets[1] != 19)) {
            throw new IllegalArgumentException(
                    "end-to-end tests use addresses from 198.18.0.0/15 only, not " + address);
        }
        return address;
    }

    /** Returns {@code cidr} if it is an address/prefix inside 198.18.0.0/15 (prefix 15 to 32). */
    public static String requireCidr(String cidr) {
        Matcher matcher = CIDR.matcher(cidr);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an IPv4 address/prefix: " + cidr);
        }
        requireAddress(matcher.group(1));
        int prefix = Integer.parseInt(matcher.group(2));
        if (prefix < 15 || prefix > 32) {
            throw new IllegalArgumentException(
                    "end-to-end tests use prefixes inside 198.18.0.0/15 only, not " + cidr);
        }
        return cidr;
    }

    /** Returns the address part of {@code cidr} ({@code 198.18.0.1/24} gives {@code 198.18.0.1}). */
    public static String addressOf(String cidr) {
        return requireCidr(cidr).substring(0, cidr.indexOf('/'));
    }

    /** Returns whether dotted-quad {@code address} lies between {@code first} and {@code last} inclusive. */
    public static boolean inRange(String address, String first, String last) {
        long value = toLong(address);
        return toLong(first) <= value && value <= toLong(last);
    }

    /** Returns whether dotted-quad {@code address} lies inside {@code cidr}. */
    public static boolean inSubnet(String address, String cidr) {
        int slash = cidr.indexOf('/');
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
        return (toLong(address) & mask) == (toLong(cidr.substring(0, slash)) & mask);
    }

    private static long toLong(String address) {
        Matcher matcher = DOTTED_QUAD.matcher(address);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            value = (value << 8) | Integer.parseInt(matcher.group(i));
        }
        return value;
    }
}
