package dev.dhcpcluster.core.dhcp;

import java.util.Locale;

/**
 * How much answering a received DHCP datagram is worth to a node that cannot answer everything,
 * most valuable first: what a node behind its traffic serves first and sheds last. Judged from the
 * raw bytes by {@link DatagramTriage}, before the datagram is decoded.
 */
public enum DatagramClass {

    /**
     * DHCPREQUEST, DHCPDECLINE, DHCPRELEASE and DHCPINFORM: clients that hold a lease, or that
     * finish an exchange whose DHCPOFFER the node has already paid for. Dropping one wastes that
     * work, or leaves a bound client without its renewal.
     */
    REQUEST,

    /** DHCPDISCOVER: a new exchange. Its client retransmits if it hears nothing. */
    DISCOVER,

    /**
     * Everything else: malformed datagrams, BOOTREPLY messages, messages without option 53 or of a
     * type a server does not answer. The server's decoder still counts the malformed ones.
     */
    OTHER;

    /** The class's name in metrics and logs: {@code request}, {@code discover}, {@code other}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
