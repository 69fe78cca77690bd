package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ReservationKey;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.pool.AddressBlock;
import dev.dhcpcluster.core.pool.AddressPool;
import dev.dhcpcluster.core.pool.PoolRangeUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One configured subnet at run time: its configuration, a bitmap of the dynamic addresses of each
 * of its pools, its reservations indexed for look-up, the addresses that are never handed out,
 * the options of each pool merged with the levels below it, and counters of what its addresses
 * are doing.
 *
 * <p>The network and broadcast address, the routers of option 3 (configured at any level: global,
 * class, subnet, pool or reservation) that lie in the subnet and the server's own addresses belong
 * to the infrastructure: no client gets them, not even through a reservation or a requested
 * address. Reserved addresses are taken out of the dynamic pools, so they go only to the client
 * they are reserved for.
 *
 * <h2>Pools and classes</h2>
 * Each pool has its own {@link AddressPool}, so that a client can be given an address from the
 * pools it may use and no other: a pool restricted to a client class serves only members of that
 * class, an open pool everyone. Free addresses are taken from the allowed pools in configuration
 * order. Pools of one subnet must not overlap, so that every dynamic address has exactly one pool
 * (its options and its class).
 *
 * <h2>Blocks</h2>
 * Each pool is cut into address blocks ({@link AddressBlock}). In a cluster each node owns some of
 * them and gives new clients only free addresses of its own blocks ({@link #grant},
 * {@link #withdraw}); an address of any block is marked used or free as its leases change,
 * whichever node wrote them. A subnet owns every block when it is built, as a node alone does.
 *
 * <p>Not thread-safe: the server's single thread owns it.
 */
public final class ServedSubnet {

    private final SubnetConfig config;
    /** The pools in configuration order, with their bitmaps, classes (null: open) and options. */
    private final AddressPool[] pools;
    private final String[] poolClasses;
    private final DhcpOptions[] poolOptions;
    private final DhcpOptions[] poolOptionsWithGlobal;
    private final DhcpOptions subnetOptionsWithGlobal;
    /** The pools' ranges sorted by first address, for finding the pool of an address by binary search. */
    private final long[] sortedFirst;
    private final long[] sortedLast;
    private final int[] sortedPool;
    private final Set<Ipv4Address> infrastructure = new HashSet<>();
    private final Map<Ipv4Address, Reservation> reservationsByAddress = new HashMap<>();
    private final Map<HardwareAddress, Reservation> reservationsByHardware = new HashMap<>();
    private final Map<ClientKey, Reservation> reservationsByClientId = new HashMap<>();
    private final Map<Octets, Reservation> reservationsByCircuitId = new HashMap<>();
    private final Map<Octets, Reservation> reservationsByRemoteId = new HashMap<>();
    private int offered;
    private int bound;
    private int declined;
    /** The same counts per pool, for the pool's own addresses only (see {@link #poolOf}). */
    private final int[] poolOffered;
    private final int[] poolBound;
    private final int[] poolDeclined;
    private long lastExhaustionReport = Long.MIN_VALUE;

    /**
     * Builds the run-time state of a subnet of {@code server}, every address free.
     *
     * @param config the subnet
     * @param server the server configuration it belongs to: its server identifier is kept out of
     *     the pools, its global and class options rank below the subnet's, and the routers they
     *     name are infrastructure
     * @throws IllegalArgumentException if two reservations name the same address or the same
     *     client, or two pools overlap
     */
    public ServedSubnet(SubnetConfig config, ServerConfig server) {
        this.config = config;
        List<PoolConfig> configured = config.pools();
        int count = configured.size();
        pools = new AddressPool[count];
        poolClasses = new String[count];
        poolOptions = new DhcpOptions[count];
        poolOptionsWithGlobal = new DhcpOptions[count];
        poolOffered = new int[count];
        poolBound = new int[count];
        poolDeclined = new int[count];
        for (int i = 0; i < count; i++) {
            PoolConfig pool = configured.get(i);
            pools[i] = new AddressPool(List.of(pool.range()));
            poolClasses[i] = pool.clientClass().orElse(null);
            poolOptions[i] = pool.options().withDefaults(config.options());
            poolOptionsWithGlobal[i] = poolOptions[i].withDefaults(server.options());
        }
        subnetOptionsWithGlobal = config.options().withDefaults(server.options());
        int[] order = IntStream.range(0, count).boxed()
                .sorted(Comparator.comparing(i -> configured.get(i).range().first()))
                .mapToInt(Integer::intValue).toArray();
        sortedFirst = new long[count];
        sortedLast = new long[count];
        sortedPool = order;
        for (int i = 0; i < count; i++) {
            sortedFirst[i] = configured.get(order[i]).range().first().toUnsignedLong();
            sortedLast[i] = configured.get(order[i]).range().last().toUnsignedLong();
            if (i > 0 && sortedFirst[i] <= sortedLast[i - 1]) {
                throw new IllegalArgumentException("subnet " + config + ": pools " + configured.get(order[i - 1])
                        + " and " + configured.get(order[i]) + " overlap");
            }
        }
        addInfrastructure(config.network());
        addInfrastructure(config.broadcastAddress());
        addRouters(server.options());
        for (ClientClass clientClass : server.clientClasses()) {
            addRouters(clientClass.options());
        }
        addRouters(config.options());
        for (PoolConfig pool : configured) {
            addRouters(pool.options());
        }
        for (Reservation reservation : config.reservations()) {
            addRouters(reservation.options());
        }
        server.serverIdentifier().ifPresent(this::addServerAddress);
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
        Reservation sameClient;
        ReservationKey key = reservation.key();
        if (key instanceof ReservationKey.ByHardwareAddress byHardware) {
            sameClient = reservationsByHardware.putIfAbsent(byHardware.hardwareAddress(), reservation);
        } else if (key instanceof ReservationKey.ByClientId byClientId) {
            sameClient = reservationsByClientId.putIfAbsent(byClientId.clientId(), reservation);
        } else if (key instanceof ReservationKey.ByCircuitId byCircuitId) {
            sameClient = reservationsByCircuitId.putIfAbsent(byCircuitId.circuitId(), reservation);
        } else {
            sameClient = reservationsByRemoteId.putIfAbsent(((ReservationKey.ByRemoteId) key).remoteId(), reservation);
        }
        if (sameClient != null) {
            throw new IllegalArgumentException("subnet " + config + ": " + key + " has two reservations");
        }
        // A reserved address inside a pool range must not be allocated to anyone else.
        excludeFromPool(reservation.address());
    }

    private void addRouters(DhcpOptions options) {
        options.get(OptionCode.ROUTERS).ifPresent(routers -> {
            for (int i = 0; i + 4 <= routers.length; i += 4) {
                Ipv4Address router = Ipv4Address.fromBytes(routers, i);
                if (config.contains(router)) {
                    addInfrastructure(router);
                }
            }
        });
    }

    private void addInfrastructure(Ipv4Address address) {
        infrastructure.add(address);
        excludeFromPool(address);
    }

    private void excludeFromPool(Ipv4Address address) {
        int pool = poolIndexOf(address);
        if (pool >= 0) {
            pools[pool].exclude(address);
        }
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

    /**
     * The reservation for the client of a request with this identity. When several could match,
     * the first key kind in this order wins: client identifier, hardware address, circuit-id,
     * remote-id (the most specific identity of the client itself first, then where it is attached).
     */
    public Optional<Reservation> reservationFor(ClientIdentity client) {
        Reservation found = client.clientKey().kind() == ClientKey.Kind.CLIENT_ID
                ? reservationsByClientId.get(client.clientKey())
                : null;
        if (found == null) {
            found = reservationsByHardware.get(client.hardwareAddress());
        }
        if (found == null && client.circuitId().isPresent()) {
            found = reservationsByCircuitId.get(client.circuitId().get());
        }
        if (found == null && client.remoteId().isPresent()) {
            found = reservationsByRemoteId.get(client.remoteId().get());
        }
        return Optional.ofNullable(found);
    }

    /** The reservation of this address, if any. */
    public Optional<Reservation> reservationAt(Ipv4Address address) {
        return Optional.ofNullable(reservationsByAddress.get(address));
    }

    /**
     * True if {@code address} is a dynamic address (in a pool, not excluded) that a client in
     * {@code clientClasses} may be given: its pool is open or restricted to one of those classes.
     */
    public boolean isDynamicFor(Ipv4Address address, Set<String> clientClasses) {
        int pool = poolIndexOf(address);
        return pool >= 0 && pools[pool].contains(address) && allows(pool, clientClasses);
    }

    /** True if {@code address} is a dynamic address of one of the pools (not excluded), whatever the pool's class. */
    boolean isPoolAddress(Ipv4Address address) {
        int pool = poolIndexOf(address);
        return pool >= 0 && pools[pool].contains(address);
    }

    /**
     * The options configured for a client given {@code address}: those of the pool holding it over
     * the subnet's (only the subnet's outside the pools). Class and global options are not in it.
     */
    public DhcpOptions options(Ipv4Address address) {
        int pool = poolIndexOf(address);
        return pool >= 0 ? poolOptions[pool] : config.options();
    }

    /** {@link #options} over the global options: all a client in no class gets, merged once, up front. */
    public DhcpOptions optionsWithGlobal(Ipv4Address address) {
        int pool = poolIndexOf(address);
        return pool >= 0 ? poolOptionsWithGlobal[pool] : subnetOptionsWithGlobal;
    }

    /**
     * Takes a free address of an owned block from the first pool, in configuration order, that a
     * client in {@code clientClasses} may use and that has one.
     *
     * @return the address (network order), or {@link AddressPool#NONE} if none of them has one
     */
    int allocate(Set<String> clientClasses) {
        for (int i = 0; i < pools.length; i++) {
            if (allows(i, clientClasses)) {
                int address = pools[i].allocate();
                if (address != AddressPool.NONE) {
                    return address;
                }
            }
        }
        return AddressPool.NONE;
    }

    /**
     * The index of the pool whose range holds {@code address} ({@code int}, network order), or -1:
     * fixed for the life of the subnet, so the lease table looks it up once per address and keeps
     * it, then passes it to {@link #claim(int, int)}, {@link #release(int, int)} and
     * {@link #countedPool}.
     */
    int poolRangeOf(int address) {
        return poolIndexOf(Ipv4Address.of(address));
    }

    /** {@link #poolOf} from the address's {@link #poolRangeOf}: the pool counts it, or -1 if none does (excluded). */
    int countedPool(int rangePool, int address) {
        return rangePool >= 0 && pools[rangePool].contains(address) ? rangePool : -1;
    }

    /** {@link #claim(Ipv4Address)} of an address whose {@link #poolRangeOf} is {@code rangePool}. */
    void claim(int rangePool, int address) {
        if (rangePool >= 0) {
            pools[rangePool].claim(address);
        }
    }

    /** {@link #release(Ipv4Address)} of an address whose {@link #poolRangeOf} is {@code rangePool}. */
    void release(int rangePool, int address) {
        if (rangePool >= 0) {
            pools[rangePool].release(address);
        }
    }

    /** Marks a dynamic address used; addresses outside the pools are left alone. */
    void claim(Ipv4Address address) {
        int pool = poolIndexOf(address);
        if (pool >= 0) {
            pools[pool].claim(address);
        }
    }

    /** Marks a dynamic address free; addresses outside the pools are left alone. */
    void release(Ipv4Address address) {
        int pool = poolIndexOf(address);
        if (pool >= 0) {
            pools[pool].release(address);
        }
    }

    /** The address blocks of the subnet's pools: the pools in configuration order, each pool's blocks in address order. */
    public List<AddressBlock> blocks() {
        List<AddressBlock> all = new ArrayList<>();
        for (AddressPool pool : pools) {
            all.addAll(pool.blocks());
        }
        return all;
    }

    /** The block of a pool of this subnet that holds {@code address}, or empty if no pool's range holds it. */
    public Optional<AddressBlock> blockOf(Ipv4Address address) {
        int pool = poolIndexOf(address);
        return pool < 0 ? Optional.empty() : pools[pool].blockOf(address);
    }

    /**
     * Lets this node give the free addresses of {@code block} to new clients (see
     * {@link AddressPool#grant}). A subnet owns all its blocks when it is built.
     *
     * @return true if the block was not owned and now is
     * @throws IllegalArgumentException if {@code block} is not one of {@link #blocks()}
     */
    public boolean grant(AddressBlock block) {
        return poolOfBlock(block).grant(block);
    }

    /**
     * Stops this node giving the free addresses of {@code block} to new clients; its leases stay
     * as they are (see {@link AddressPool#withdraw}).
     *
     * @return true if the block was owned and no longer is
     * @throws IllegalArgumentException if {@code block} is not one of {@link #blocks()}
     */
    public boolean withdraw(AddressBlock block) {
        return poolOfBlock(block).withdraw(block);
    }

    /**
     * How many addresses of {@code block} are free now, owned or not.
     *
     * @throws IllegalArgumentException if {@code block} is not one of {@link #blocks()}
     */
    public int freeCount(AddressBlock block) {
        return poolOfBlock(block).freeCount(block);
    }

    /**
     * True if this node owns {@code block}.
     *
     * @throws IllegalArgumentException if {@code block} is not one of {@link #blocks()}
     */
    public boolean owns(AddressBlock block) {
        return poolOfBlock(block).owns(block);
    }

    private AddressPool poolOfBlock(AddressBlock block) {
        int pool = poolIndexOf(block.first());
        if (pool < 0) {
            throw new IllegalArgumentException("block " + block + " is not a block of subnet " + config);
        }
        return pools[pool];
    }

    private boolean allows(int pool, Set<String> clientClasses) {
        return poolClasses[pool] == null || clientClasses.contains(poolClasses[pool]);
    }

    /** The index (configuration order) of the pool whose range holds {@code address}, or -1. */
    private int poolIndexOf(Ipv4Address address) {
        long value = address.toUnsignedLong();
        int index = Arrays.binarySearch(sortedFirst, value);
        if (index < 0) {
            // Not a pool's first address: it can only be in the pool that starts before it.
            index = -index - 2;
            if (index < 0 || value > sortedLast[index]) {
                return -1;
            }
        }
        return sortedPool[index];
    }

    /**
     * The index (configuration order) of the pool that hands out {@code address}, or -1 for an
     * address outside every pool or excluded from its pool (reserved, infrastructure). Fixed for
     * the life of the subnet; a binary search over the pools, cheap enough for the lease table to
     * look it up at each change rather than keep it for every address.
     */
    int poolOf(Ipv4Address address) {
        int pool = poolIndexOf(address);
        return pool >= 0 && pools[pool].contains(address) ? pool : -1;
    }

    /** Counts offers of an address of {@code pool} ({@link #poolOf}, -1 for none). */
    void countOffer(int pool, int delta) {
        offered += delta;
        if (pool >= 0) {
            poolOffered[pool] += delta;
        }
    }

    void countBound(int pool, int delta) {
        bound += delta;
        if (pool >= 0) {
            poolBound[pool] += delta;
        }
    }

    void countDeclined(int pool, int delta) {
        declined += delta;
        if (pool >= 0) {
            poolDeclined[pool] += delta;
        }
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
        int size = 0;
        int free = 0;
        List<PoolRangeUsage> perPool = new ArrayList<>(pools.length);
        for (int i = 0; i < pools.length; i++) {
            AddressPool pool = pools[i];
            size += pool.size();
            free += pool.freeCount();
            PoolConfig configured = config.pools().get(i);
            perPool.add(new PoolRangeUsage(configured.range(), configured.clientClass(), pool.size(), poolBound[i],
                    poolOffered[i], poolDeclined[i], pool.freeCount(), pool.blockCount(), pool.ownedBlockCount(),
                    pool.ownedFreeCount()));
        }
        return new SubnetUsage(config.network(), config.prefixLength(), size, bound, offered, declined, free, perPool);
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
