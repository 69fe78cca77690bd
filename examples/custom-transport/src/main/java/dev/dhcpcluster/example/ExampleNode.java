package dev.dhcpcluster.example;

import dev.dhcpcluster.bootstrap.embed.DhcpNode;
import java.nio.file.Path;

/**
 * Runs a node inside this program, on a node file that names the example's adapters
 * ({@code "transport": {"type": "unix-socket", "path": "dhcp.sock"}, "lease-store": {"type": "map"}}):
 * the providers are found on the class path, as {@code dhcpcluster run} finds them.
 */
public final class ExampleNode {

    private ExampleNode() {
    }

    /** {@code java -cp ... dev.dhcpcluster.example.ExampleNode node.json}: serves until the process ends. */
    public static void main(String[] args) throws Exception {
        DhcpNode node = DhcpNode.builder().configFile(Path.of(args[0])).build();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        node.start();
        System.out.println("serving on " + node.status().endpoint());
    }
}
