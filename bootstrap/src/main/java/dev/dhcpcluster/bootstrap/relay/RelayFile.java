package dev.dhcpcluster.bootstrap.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A relay's config file exactly as written: every value still raw (strings for addresses, boxed
 * numbers so that "absent" stays visible). {@link RelayConfigReader} checks it and turns it into a
 * {@link RelayConfig}.
 */
record RelayFile(@JsonProperty("relay") Relay relay) {

    /** {@code "relay"}: everything the relay is. */
    record Relay(
            @JsonProperty("name") String name,
            @JsonProperty("transport") Transport transport,
            @JsonProperty("interfaces") List<Interface> interfaces,
            @JsonProperty("remote-id") String remoteId,
            @JsonProperty("max-hops") Integer maxHops,
            @JsonProperty("max-message-length") Integer maxMessageLength,
            @JsonProperty("servers") List<Server> servers,
            @JsonProperty("cluster") Cluster cluster,
            @JsonProperty("rate-limit") RateLimit rateLimit,
            @JsonProperty("overrides") List<Override> overrides,
            @JsonProperty("admin") Admin admin) {
    }

    /** {@code "relay.transport"}: how the relay meets its clients, and on which ports. */
    record Transport(
            @JsonProperty("type") String type,
            @JsonProperty("listen-address") String listenAddress,
            @JsonProperty("listen-port") Integer listenPort,
            @JsonProperty("server-port") Integer serverPort,
            @JsonProperty("client-port") Integer clientPort) {
    }

    /** {@code "relay.interfaces[i]"}: one client-facing interface. */
    record Interface(
            @JsonProperty("name") String name,
            @JsonProperty("address") String address,
            @JsonProperty("trusted") Boolean trusted) {
    }

    /** {@code "relay.servers[i]"}: one server requests go to. */
    record Server(
            @JsonProperty("address") String address,
            @JsonProperty("node") Integer node,
            @JsonProperty("peer") String peer) {
    }

    /** {@code "relay.cluster"}: the cluster the servers form, which the relay watches. */
    record Cluster(
            @JsonProperty("name") String name,
            @JsonProperty("secret-file") String secretFile,
            @JsonProperty("tls") Tls tls) {
    }

    /** {@code "relay.cluster.tls"}: the observer's TLS stores, as a node's {@code cluster.tls}. */
    record Tls(
            @JsonProperty("keystore") String keystore,
            @JsonProperty("keystore-password-file") String keystorePasswordFile,
            @JsonProperty("truststore") String truststore,
            @JsonProperty("truststore-password-file") String truststorePasswordFile) {
    }

    /** {@code "relay.rate-limit"}: the per-client token bucket. */
    record RateLimit(
            @JsonProperty("requests-per-second") Double requestsPerSecond,
            @JsonProperty("burst") Integer burst,
            @JsonProperty("max-clients") Integer maxClients) {
    }

    /** {@code "relay.overrides[i]"}: a client (by MAC or circuit-id) pinned to one server. */
    record Override(
            @JsonProperty("mac") String mac,
            @JsonProperty("circuit-id") String circuitId,
            @JsonProperty("server") String server,
            @JsonProperty("node") Integer node) {
    }

    /** {@code "relay.admin"}: the relay's HTTP endpoint. */
    record Admin(@JsonProperty("listen") String listen) {
    }
}
