package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.core.cluster.LoadBalancing;

/**
 * The RFC 3074 hash bucket of a request's client ({@link LoadBalancing}): the hash of the value of
 * the client identifier option (61), type octet included, when the request carries a non-empty
 * one, else of the first {@code hlen} octets of {@code chaddr}. These are the identities a lease is
 * keyed on ({@link DhcpMessage#clientKey()}), so every request of one client falls in one bucket,
 * whichever node hears it. Reads the message in place and allocates nothing.
 */
public final class ClientBuckets {

    private ClientBuckets() {
    }

    /**
     * The bucket, 0 to 255, of the client that sent {@code request}. A request with neither a
     * client identifier nor a hardware address ({@code hlen} 0) falls in the bucket of the empty
     * key; one with {@code hlen} above 16 is hashed over the whole of {@code chaddr} (the server
     * drops both kinds before asking).
     */
    public static int bucketOf(DhcpMessage request) {
        byte[] clientId = request.options().valueOrNull(OptionCode.CLIENT_IDENTIFIER);
        if (clientId != null && clientId.length > 0) {
            return LoadBalancing.hash(clientId);
        }
        return LoadBalancing.hash(request.chaddrField(), 0, Math.min(request.hlen(), DhcpMessage.CHADDR_LENGTH));
    }
}
