package dev.dhcpcluster.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Lets tests of other packages print a status as the {@code status} command does. */
public final class StatusCommandAccess {

    private StatusCommandAccess() {
    }

    /** The {@code status} table of {@code status}. */
    public static List<String> table(JsonNode status) {
        return StatusCommand.table(status);
    }
}
