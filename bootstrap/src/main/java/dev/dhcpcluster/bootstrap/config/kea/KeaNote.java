package dev.dhcpcluster.bootstrap.config.kea;

import java.util.Objects;

/**
 * One thing the import says about the Kea file: a setting it did not convert, or converted with a
 * change in meaning, or a value it chose itself.
 *
 * @param path the Kea JSON path, such as {@code Dhcp4.hooks-libraries[0]}, or a path of the node
 *     file for values the import chose ({@code node.id})
 * @param kind what happened
 * @param message why, in words
 */
public record KeaNote(String path, Kind kind, String message) {

    /** What happened to a setting. */
    public enum Kind {
        /** Dropped: the node file has no equivalent. */
        NOT_CONVERTED("not converted"),
        /** Converted, but the node will behave differently from Kea in the way the message says. */
        CHANGED("converted with a change"),
        /** A value the import chose, or something worth knowing that changes nothing. */
        NOTE("note");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How the kind is written in the report. */
        public String label() {
            return label;
        }
    }

    /** Validates the fields. */
    public KeaNote {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** The report line: {@code Dhcp4.hooks-libraries[0]: not converted: hooks are not supported}. */
    @Override
    public String toString() {
        return path + ": " + kind.label() + ": " + message;
    }
}
