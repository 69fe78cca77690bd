package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@link Lease} as a row of the {@code lease} table (schema version 3) and back. Every column
 * but one is text or a number an operator can read in the {@code sqlite3} shell; the text forms
 * are the ones the node's log lines print, so a value copied from a log finds its row. The
 * exception is {@code hostname_sent}, the host name as the client sent it: a BLOB, since it may hold
 * any octet, and only a BLOB keeps every octet as it was.
 *
 * <p>{@code address_int} is the key; {@code address} and {@code expiry} are its readable twins and
 * are not read back.
 */
final class LeaseRows {

    /**
     * Inserts a lease, or replaces the stored lease of its address only if the new version is
     * higher: the store's version rule, applied by SQLite row by row in the order written. SQLite
     * compares the row values (epoch, counter, writer_node) part by part, left to right, which is
     * {@link LeaseVersion}'s order.
     */
    static final String UPSERT = """
            INSERT INTO lease (address_int, address, hw_type, hw_address, client_key, hostname, state,
                               expiry_ms, expiry, epoch, counter, writer_node, hostname_sent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (address_int) DO UPDATE SET
                address = excluded.address, hw_type = excluded.hw_type, hw_address = excluded.hw_address,
                client_key = excluded.client_key, hostname = excluded.hostname, state = excluded.state,
                expiry_ms = excluded.expiry_ms, expiry = excluded.expiry, epoch = excluded.epoch,
                counter = excluded.counter, writer_node = excluded.writer_node, hostname_sent = excluded.hostname_sent
            WHERE (excluded.epoch, excluded.counter, excluded.writer_node)
                > (lease.epoch, lease.counter, lease.writer_node)""";

    /**
     * Every row, in address order, in the form {@link Decoder} reads fastest: the hardware address
     * is NULL where the client key already carries it ({@code hw:} followed by the type and the
     * same octets, as for nearly every client), and the state comes as a number as well as text,
     * so that most rows cost SQLite a little string work and the JVM two text columns fewer.
     */
    static final String SELECT_ALL = """
            SELECT address_int, hw_type,
                   CASE WHEN client_key = 'hw:' || printf('%02x', hw_type) || ':' || hw_address THEN NULL
                        ELSE hw_address END,
                   client_key, hostname,
                   CASE state WHEN 'bound' THEN 0 WHEN 'released' THEN 1 WHEN 'expired' THEN 2
                              WHEN 'declined' THEN 3 ELSE -1 END,
                   expiry_ms, epoch, counter, writer_node, hostname_sent, state
            FROM lease ORDER BY address_int""";

    /** How many leases the table holds (see {@link LeaseDatabase#countRows}). */
    static final String COUNT_ALL = "SELECT count(*) FROM lease";

    /** Deletes at most {@code ?2} leases whose expiry is before {@code ?1}, the oldest first. */
    static final String DELETE_EXPIRED = """
            DELETE FROM lease WHERE address_int IN (
                SELECT address_int FROM lease WHERE expiry_ms < ? ORDER BY expiry_ms LIMIT ?)""";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String CLIENT_ID_PREFIX = "id:";
    private static final String HARDWARE_PREFIX = "hw:";

    /** The {@code state} column's text of each {@link LeaseState}, by ordinal. */
    private static final String[] STATE_TEXT = java.util.Arrays.stream(LeaseState.values())
            .map(state -> state.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private LeaseRows() {
    }

    /**
     * The {@code expiry} column's text ({@code 2026-12-06T23:59:59.123Z}) of epoch milliseconds.
     * Leases bound in the same second expire in the same second: the text up to the second is
     * formatted once and kept, and only the milliseconds are added per row. One per thread.
     */
    static final class ExpiryText {
        private long second = Long.MIN_VALUE;
        private String prefix = "";

        String of(long epochMillis) {
            long thisSecond = Math.floorDiv(epochMillis, 1000);
            if (thisSecond != second) {
                String full = ISO_MILLIS.format(Instant.ofEpochMilli(thisSecond * 1000));
                prefix = full.substring(0, full.length() - "000Z".length()); // up to and with the '.'
                second = thisSecond;
            }
            int millis = (int) Math.floorMod(epochMillis, 1000);
            StringBuilder text = new StringBuilder(prefix.length() + 4).append(prefix);
            if (millis < 100) {
                text.append('0');
            }
            if (millis < 10) {
                text.append('0');
            }
            return text.append(millis).append('Z').toString();
        }
    }

    /**
     * The expiry as stored: epoch milliseconds (the precision of the {@code Clock} port).
     *
     * @throws IllegalArgumentException if the expiry is too far from 1970 to count in milliseconds
     */
    static long expiryMillis(Lease lease) {
        try {
            return lease.expiry().toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the expiry of the lease of " + lease.address() + " (" + lease.expiry()
                    + ") cannot be stored in epoch milliseconds", e);
        }
    }

    /** Binds the parameters of {@link #UPSERT}, with the expiry's text from {@code expiryText}. */
    static void bindUpsert(PreparedStatement upsert, Lease lease, ExpiryText expiryText) throws SQLException {
        long expiryMillis = expiryMillis(lease);
        upsert.setLong(1, lease.address().toUnsignedLong());
        upsert.setString(2, lease.address().toString());
        upsert.setInt(3, lease.hardwareAddress().type());
        upsert.setString(4, lease.hardwareAddress().toString());
        upsert.setString(5, lease.clientKey().toString());
        if (lease.hostname().isPresent()) {
            upsert.setString(6, lease.hostname().get());
        } else {
            upsert.setNull(6, Types.VARCHAR);
        }
        upsert.setString(7, STATE_TEXT[lease.state().ordinal()]);
        upsert.setLong(8, expiryMillis);
        upsert.setString(9, expiryText.of(expiryMillis));
        upsert.setLong(10, lease.version().epoch());
        upsert.setLong(11, lease.version().counter());
        upsert.setInt(12, lease.writer().value());
        if (lease.hostnameSent().isPresent()) {
            upsert.setBytes(13, lease.hostnameSent().get().octets());
        } else {
            upsert.setNull(13, Types.BLOB);
        }
    }

    /**
     * The lease of the current row of a {@link #SELECT_ALL} result.
     *
     * @throws UnreadableRowException naming the row and the column if a value is not one this
     *     store writes (for example a row edited by hand)
     */
    static Lease read(ResultSet row) throws SQLException {
        return new Decoder().read(row);
    }

    /** A row holds a value this store never writes: the message names the row and the column. */
    static final class UnreadableRowException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnreadableRowException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads rows of a {@link #SELECT_ALL} result into leases, fast enough for a million at start:
     * columns by index, hex parsed by hand, and the few writer ids and states shared rather than
     * made again for every row. One decoder per read; not thread-safe.
     */
    static final class Decoder {
        /** The states by the number {@link #SELECT_ALL} gives them. */
        private static final LeaseState[] STATES = {
            LeaseState.BOUND, LeaseState.RELEASED, LeaseState.EXPIRED, LeaseState.DECLINED};

        private final NodeId[] writers = new NodeId[64];

        /**
         * The lease of the current row.
         *
         * @throws UnreadableRowException naming the row and the column if a value is not one this
         *     store writes
         */
        Lease read(ResultSet row) throws SQLException {
            long addressNumber = row.getLong(1);
            if (addressNumber < 0 || addressNumber > 0xFFFF_FFFFL) {
                throw new UnreadableRowException("the row of address_int " + addressNumber
                        + ": address_int is not an IPv4 address", null);
            }
            Ipv4Address address = Ipv4Address.of((int) addressNumber);
            try {
                int hardwareType = row.getInt(2);
                // Text columns are read as their UTF-8 bytes: far cheaper through JDBC than as strings.
                byte[] hardwareText = row.getBytes(3);
                byte[] keyText = row.getBytes(4);
                ClientKey key = parseClientKey(keyText);
                HardwareAddress hardware = hardwareText == null
                        ? keyHardware(key, keyText)
                        : HardwareAddress.of(hardwareType, parseHex(hardwareText, 0, "hw_address"));
                byte[] hostnameText = row.getBytes(5);
                Optional<String> hostname = hostnameText == null ? Optional.empty()
                        : Optional.of(new String(hostnameText, StandardCharsets.UTF_8));
                int stateCode = row.getInt(6);
                LeaseState state = stateCode >= 0 ? STATES[stateCode] : parseAnyCase(row.getString(12));
                Instant expiry = Instant.ofEpochMilli(row.getLong(7));
                LeaseVersion version = new LeaseVersion(row.getLong(8), row.getLong(9), writer(row.getInt(10)));
                return new Lease(address, key, hardware, hostname, state, expiry, version, readSent(row, 11));
            } catch (IllegalArgumentException e) {
                throw new UnreadableRowException("the row of " + address + ": " + e.getMessage(), e);
            }
        }

        private NodeId writer(int id) {
            if (id <= 0 || id >= writers.length) {
                return new NodeId(id);
            }
            NodeId known = writers[id];
            if (known == null) {
                known = new NodeId(id);
                writers[id] = known;
            }
            return known;
        }
    }

    /** The BLOB in {@code column}: empty for NULL, an empty name for a BLOB of no octets. */
    private static Optional<HostNameSent> readSent(ResultSet row, int column) throws SQLException {
        byte[] octets = row.getBytes(column);
        if (row.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(HostNameSent.of(octets == null ? new byte[0] : octets));
    }

    private static ClientKey parseClientKey(byte[] text) {
        if (text != null && startsWith(text, CLIENT_ID_PREFIX)) {
            return ClientKey.ofClientId(parseHex(text, CLIENT_ID_PREFIX.length(), "client_key"));
        }
        if (text != null && startsWith(text, HARDWARE_PREFIX)) {
            byte[] bytes = parseHex(text, HARDWARE_PREFIX.length(), "client_key");
            if (bytes.length == 0) {
                throw new IllegalArgumentException("client_key \"" + string(text) + "\" has no hardware type");
            }
            byte[] octets = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, octets, 0, octets.length);
            return ClientKey.ofHardware(HardwareAddress.of(bytes[0] & 0xFF, octets));
        }
        throw new IllegalArgumentException("client_key \"" + string(text) + "\" starts with neither id: nor hw:");
    }

    /** The hardware address a {@code hw:} key carries, where the row's own was found equal to it. */
    private static HardwareAddress keyHardware(ClientKey key, byte[] keyText) {
        if (key.kind() != ClientKey.Kind.HARDWARE) {
            throw new IllegalArgumentException("client_key \"" + string(keyText) + "\" carries no hardware address");
        }
        byte[] bytes = key.bytes();
        byte[] octets = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, octets, 0, octets.length);
        return HardwareAddress.of(bytes[0] & 0xFF, octets);
    }

    /** True if {@code text} starts with the ASCII {@code prefix}, in either case. */
    private static boolean startsWith(byte[] text, String prefix) {
        if (text.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) (text[i] & 0xFF)) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] text) {
        return text == null ? "NULL" : new String(text, StandardCharsets.UTF_8);
    }

    /**
     * Octets written as two hex digits each, separated by ':' (either case), as the model types'
     * {@code toString} writes them, read from the text's bytes from {@code from} on.
     */
    private static byte[] parseHex(byte[] text, int from, String column) {
        if (text == null) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        int length = text.length - from;
        if (length == 0) {
            return new byte[0];
        }
        if (length % 3 != 2) {
            throw notHex(text, from, column);
        }
        byte[] octets = new byte[(length + 1) / 3];
        for (int i = 0, at = from; i < octets.length; i++, at += 3) {
            int high = Character.digit(text[at], 16);
            int low = Character.digit(text[at + 1], 16);
            if (high < 0 || low < 0 || at + 2 < text.length && text[at + 2] != ':') {
                throw notHex(text, from, column);
            }
            octets[i] = (byte) (high << 4 | low);
        }
        return octets;
    }

    /** The error for hex octets that are not, quoting the text from {@code from} on (after a key's prefix). */
    private static IllegalArgumentException notHex(byte[] text, int from, String column) {
        return new IllegalArgumentException(column + " \"" + new String(text, from, text.length - from,
                StandardCharsets.UTF_8) + "\" is not hex octets separated by ':'");
    }

    private static LeaseState parseAnyCase(String text) {
        try {
            return LeaseState.valueOf(String.valueOf(text).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state \"" + text + "\" is not a lease state", e);
        }
    }
}
