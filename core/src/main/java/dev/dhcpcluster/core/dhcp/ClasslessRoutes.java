package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.ByteArrayOutputStream;

/**
 * Classless static routes of option 121 (RFC 3442 §3): per route the prefix length, the
 * significant octets of the destination, and the router. The text form is Kea's:
 * {@code 198.18.1.0/24 - 198.18.0.1}.
 */
final class ClasslessRoutes {

    private ClasslessRoutes() {
    }

    /** Appends one route written as {@code destination/length - router}. */
    static void write(String route, ByteArrayOutputStream out) {
        String[] parts = route.split("-", -1);
        String[] destination = parts[0].trim().split("/", -1);
        if (parts.length != 2 || destination.length != 2) {
            throw new IllegalArgumentException("\"" + route + "\" is not a route (destination/prefix-length - router)");
        }
        Ipv4Address network = Ipv4Address.parse(destination[0].trim());
        Ipv4Address router = Ipv4Address.parse(parts[1].trim());
        int width;
        try {
            width = Integer.parseInt(destination[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + route + "\": prefix length is not a number", e);
        }
        if (width < 0 || width > 32) {
            throw new IllegalArgumentException("\"" + route + "\": prefix length must be 0-32");
        }
        int mask = width == 0 ? 0 : -1 << (32 - width);
        if ((network.value() & ~mask) != 0) {
            throw new IllegalArgumentException("\"" + route + "\": " + network + " has bits set beyond /" + width);
        }
        out.write(width);
        byte[] octets = network.toBytes();
        out.write(octets, 0, (width + 7) / 8);
        out.writeBytes(router.toBytes());
    }

    /** Reads the routes filling the value, or throws IllegalArgumentException if they do not. */
    static String readList(byte[] value, int offset, int length) {
        if (length == 0) {
            throw new IllegalArgumentException("no routes");
        }
        StringBuilder text = new StringBuilder();
        int position = offset;
        int end = offset + length;
        while (position < end) {
            int width = value[position] & 0xFF;
            int significant = (width + 7) / 8;
            if (width > 32 || position + 1 + significant + 4 > end) {
                throw new IllegalArgumentException("bad route");
            }
            byte[] destination = new byte[4];
            System.arraycopy(value, position + 1, destination, 0, significant);
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(Ipv4Address.fromBytes(destination)).append('/').append(width).append(" - ")
                    .append(Ipv4Address.fromBytes(value, position + 1 + significant));
            position += 1 + significant + 4;
        }
        return text.toString();
    }
}
