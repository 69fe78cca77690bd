package dev.dhcpcluster.port.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage.ServerConfigOffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The leader's configuration offer: a hash that is its text's, and versions ordered by epoch first. */
class ServerConfigOfferTest {

    private static final NodeId THREE = new NodeId(3);
    private static final String JSON = "{\"valid-lifetime\":3600}";

    private static ServerConfigOffer offer(long epoch, long version) {
        return new ServerConfigOffer(THREE, epoch, version, ServerConfigOffer.sha256(JSON), JSON);
    }

    @Test
    @DisplayName("the hash is the SHA-256 of the text's UTF-8 bytes, in lower-case hex")
    void hashIsSha256OfUtf8() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ServerConfigOffer.sha256(""));
        // UTF-8, not Latin-1: the two bytes of \u00e9.
        assertEquals("850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e", ServerConfigOffer.sha256("caf\u00e9"));
    }

    @Test
    @DisplayName("an offer whose hash is not its text's, or whose epoch or version is below 1, cannot be built")
    void impossibleOffersAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServerConfigOffer(THREE, 4, 1, ServerConfigOffer.sha256(JSON + " "), JSON));
        assertThrows(IllegalArgumentException.class,
                () -> new ServerConfigOffer(THREE, 4, 1, ServerConfigOffer.sha256(JSON).toUpperCase(java.util.Locale.ROOT), JSON));
        assertThrows(IllegalArgumentException.class, () -> offer(0, 1));
        assertThrows(IllegalArgumentException.class, () -> offer(4, 0));
    }

    @Test
    @DisplayName("versions order by the leader's epoch first, then by the version within it")
    void versionsOrderByEpochFirst() {
        assertTrue(offer(5, 1).isAfter(offer(4, 9)));
        assertTrue(offer(4, 2).isAfter(offer(4, 1)));
        assertFalse(offer(4, 1).isAfter(offer(4, 1)));
        assertFalse(offer(3, 9).isAfter(offer(4, 1)));
        assertEquals("4.2", offer(4, 2).label());
    }

    @Test
    @DisplayName("an offer prints its version and hash, not its whole text")
    void toStringLeavesTheTextOut() {
        String text = offer(4, 1).toString();

        assertFalse(text.contains("valid-lifetime"), text);
        assertTrue(text.contains("epoch=4, version=1, sha256=" + ServerConfigOffer.sha256(JSON)), text);
    }
}
