package dev.dhcpcluster.bootstrap.config;

import java.util.List;
import java.util.Optional;

/**
 * Reads the node file's {@code relay} section: the relay that runs in one process with the node.
 * The section belongs to the relay, as a transport's fields belong to its adapter, so the node's
 * loader does not read it; it hands the file to the reader it was given
 * ({@link ConfigLoader#withCompanion}), once the node's own sections are read, and reports the
 * reader's problems with the file's own, all at once. A loader without one refuses the section:
 * only a program that runs the relay beside the node may accept it.
 */
@FunctionalInterface
public interface CompanionSection {

    /**
     * Checks the {@code relay} section of a node file.
     *
     * @param json the node file's text, which has the section
     * @param node the node's own config, if its sections are valid: the rules that tie the section
     *     to the node's ({@code transport}, {@code cluster}) are checked only then
     * @return every problem, each naming the JSON path of its field; empty if the section is good
     */
    List<ConfigError> check(String json, Optional<NodeConfig> node);
}
