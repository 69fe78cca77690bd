package dev.dhcpcluster.bootstrap.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Something that runs beside a node in its process and is reloaded and shown with it: the relay of
 * a node file's {@code relay} section. The node knows it only through this: its reload runs within
 * the node's ({@link NodeRuntime#reload}), its status is a field of the node's {@code /status}.
 */
public interface NodeCompanion {

    /**
     * Its section's name in the node file: the field of the node's {@code /status} that holds its
     * {@link #status()}, and the prefix of its lines in a reload's outcome.
     */
    String name();

    /**
     * Reads its section of the node file again and applies it, as the node's reload does with the
     * rest of the file; every line of the outcome names its field from the file's root
     * ({@code relay.servers: ...}). A refused outcome refuses the node's reload too.
     */
    ReloadOutcome reload();

    /** What it reports of itself now, as a JSON object. */
    JsonNode status();
}
