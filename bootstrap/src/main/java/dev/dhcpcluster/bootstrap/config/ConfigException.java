package dev.dhcpcluster.bootstrap.config;

import java.util.List;

/** A node file cannot be used. Carries every error found, each with the path of its field. */
public final class ConfigException extends Exception {

    private final String source;
    private final List<ConfigError> errors;

    /**
     * @param source what was read (a file name), for the message
     * @param errors at least one error
     */
    public ConfigException(String source, List<ConfigError> errors) {
        super(describe(source, errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a config exception needs at least one error");
        }
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    /** What was read. */
    public String source() {
        return source;
    }

    /** The errors, in the order they were found. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String describe(String source, List<ConfigError> errors) {
        StringBuilder text = new StringBuilder(source).append(": ")
                .append(errors.size() == 1 ? "1 error" : errors.size() + " errors");
        for (ConfigError error : errors) {
            text.append(System.lineSeparator()).append("  ").append(error);
        }
        return text.toString();
    }
}
