package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ReservationKey;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.pool.AddressPool;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One configured subnet at run time: its configuration, the bitmap of its dynamic addresses,
 * its reservations indexed for look-up, the addresses that are never handed out, and counters
 * of what its addresses are doing.
 *
 * <p>The network and broadcast address, the routers of option 3 and the server's own addresses
 * belong to the infrastructure: no client gets them, not even through a reservation or a
 * requested address. Reserved addresses are taken out of the dynamic pool, so they go only to
 * the client they are reserved for.
 *
 * <p>Not thread-safe: the server's single thread owns it.
 */
public final class ServedSubnet {

    private final SubnetConfig config;
    private final AddressPool pool;
    private final Set<Ipv4Address> infrastructure = new HashSet<>();
    private final Map<Ipv4Address, Reservation> reservationsByAddress = new HashMap<>();
    private final Map<HardwareAddress, Reservation> reservationsByHardware = new HashMap<>();
    private final Map<ClientKey, Reservation> reservationsByClientId = new HashMap<>();
    private int offered;
    private int bound;
    private int declined;
    private long lastExhaustionReport = Long.MIN_VALUE;

    /**
     * Builds the run-time state of a subnet, every address free.
     *
     * @param serverIdentifier the configured server identifier, kept out of the pool when it lies in it
     * @throws IllegalArgumentException if two reservations name the same address or the same client
     */
    public ServedSubnet(SubnetConfig config, Optional<Ipv4Address> serverIdentifier) {
        this.config = config;
        this.pool = new AddressPool(config.ranges());
        addInfrastructure(config.network());
        addInfrastructure(config.broadcastAddress());
        config.options().get(OptionCode.ROUTERS).ifPresent(routers -> {
            for (int i = 0; i + 4 <= routers.length; i += 4) {
                addInfrastructure(Ipv4Address.fromBytes(routers, i));
            }
        });
        serverIdentifier.ifPresent(this::addServerAddress);
        for (Reservation reservation : config.reservations()) {
            index(reservation);
        }
    }

    private void index(Reservation reservation) {
        Reservation sameAddress = reservationsByAddress.putIfAbsent(reservation.address(), reservation);
        if (sameAddress != null) {
            throw new IllegalArgumentException("subnet " + config + ": address " + reservation.address()
                    + " is reserved twice");
        }
        Reservation sameClient = null;
        if (reservation.key() instanceof ReservationKey.ByHardwareAddress byHardware) {
            sameClient = reservationsByHardware.putIfAbsent(byHardware.hardwareAddress(), reservation);
        } else if (reservation.key() instanceof ReservationKey.ByClientId byClientId) {
            sameClient = reservationsByClientId.putIfAbsent(byClientId.clientId(), reservation);
        }
        if (sameClient != null) {
            throw new IllegalArgumentException("subnet " + config + ": " + reservation.key() + " has two reservations");
        }
        // A reserved address inside a pool range must not be allocated to anyone else.
        pool.exclude(reservation.address());
    }

    private void addInfrastructure(Ipv4Address address) {
        infrastructure.add(address);
        pool.exclude(address);
    }

    /** Marks one of the server's own addresses as never to be handed out, if it is in this subnet. */
    void addServerAddress(Ipv4Address address) {
        if (config.contains(address)) {
            addInfrastructure(address);
        }
    }

    /** The configuration this subnet was built from. */
    public SubnetConfig config() {
        return config;
    }

    /** True if {@code address} is the network or broadcast address, a router, or the server's own address. */
    public boolean isInfrastructure(Ipv4Address address) {
        return infrastructure.contains(address);
    }

    /** The reservation for a client with this key and hardware address: by client id first, then by hw-address. */
    public Optional<Reservation> reservationFor(ClientKey key, HardwareAddress hardwareAddress) {
        Reservation byId = key.kind() == ClientKey.Kind.CLIENT_ID ? reservationsByClientId.get(key) : null;
        if (byId != null) {
            return Optional.of(byId);
        }
        return Optional.ofNullable(reservationsByHardware.get(hardwareAddress));
    }

    /** The reservation of this address, if any. */
    public Optional<Reservation> reservationAt(Ipv4Address address) {
        return Optional.ofNullable(reservationsByAddress.get(address));
    }

    AddressPool pool() {
        return pool;
    }

    void countOffer(int delta) {
        offered += delta;
    }

    void countBound(int delta) {
        bound += delta;
    }

    void countDeclined(int delta) {
        declined += delta;
    }

    /**
     * True if the exhaustion of this subnet should be reported now: the first time, and then at
     * most once per {@code intervalMillis}, so that a flood of DISCOVERs makes one log line, not
     * one per packet.
     */
    public boolean exhaustionReportDue(long nowMillis, long intervalMillis) {
        if (lastExhaustionReport != Long.MIN_VALUE && nowMillis - lastExhaustionReport < intervalMillis) {
            return false;
        }
        lastExhaustionReport = nowMillis;
        return true;
    }

    /** What the subnet's addresses are doing now. */
    public SubnetUsage usage() {
        return new SubnetUsage(config.network(), config.prefixLength(), pool.size(), bound, offered, declined,
                pool.freeCount());
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
