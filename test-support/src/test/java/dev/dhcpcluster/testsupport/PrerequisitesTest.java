package dev.dhcpcluster.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {

    @Test
    @DisplayName("under CI a missing prerequisite fails the test, naming it")
    void underCiItFails() {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Prerequisites.unmet("program 'dhclient' is not installed", "end-to-end coverage", true));

        assertEquals("program 'dhclient' is not installed (CI=true: a missing prerequisite is a failure)",
                failure.getMessage());
    }

    @Test
    @DisplayName("elsewhere it skips the test, saying which coverage was lost")
    void elsewhereItSkips() {
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> Prerequisites.unmet("not running as root", "raw-frame coverage", false));

        assertEquals("not running as root (raw-frame coverage skipped; see .ci/run for what is needed)",
                skip.getMessage());
    }

    @Test
    @DisplayName("programs are found in the sbin directories too, where root's network tools live")
    void searchesSbin() {
        assertTrue(Prerequisites.searchPath().contains("/usr/sbin"), Prerequisites.searchPath().toString());
        assertTrue(Prerequisites.findProgram("sh").isPresent(), "every system has sh");
        assertTrue(Prerequisites.findProgram("no-such-program-dhcpcluster").isEmpty());
    }
}
