package dev.dhcpcluster.port.model;

/**
 * The identity of a node in the cluster. Node ids are ordered: in an election the higher id wins.
 *
 * @param value a positive number, unique in the cluster
 */
public record NodeId(int value) implements Comparable<NodeId> {

    public NodeId {
        if (value <= 0) {
            throw new IllegalArgumentException("a node id must be positive, not " + value);
        }
    }

    @Override
    public int compareTo(NodeId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "node-" + value;
    }
}
