package dev.dhcpcluster.bootstrap.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors of one validation pass, so that the operator sees all of them at once. */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();

    /** Records an error; the same error found twice (an inherited value, say) is kept once. */
    void add(String path, String message) {
        ConfigError error = new ConfigError(path, message);
        if (!errors.contains(error)) {
            errors.add(error);
        }
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    List<ConfigError> list() {
        return List.copyOf(errors);
    }
}
