package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.cluster.ConfigDistribution.OwnChange;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingPeerTransport;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage.ServerConfigOffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who serves which Dhcp4 configuration: a leader's and a follower's side, on a manual clock. */
class ConfigDistributionTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final Duration CHECK = Duration.ofSeconds(1);
    private static final Duration REFRESH = Duration.ofSeconds(30);

    private static final String MINE = "{\"valid-lifetime\":3600}";
    private static final String LEADERS = "{\"valid-lifetime\":7200}";
    private static final String NEWER = "{\"valid-lifetime\":600}";

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingPeerTransport peers = new RecordingPeerTransport();
    private final RecordingTarget target = new RecordingTarget();
    private Leadership leadership = alone();

    /** What the target was asked, one line each, and what it answers. */
    private static final class RecordingTarget implements ConfigDistribution.Target {
        final List<String> calls = new ArrayList<>();
        boolean refuse;

        @Override
        public boolean followLeader(ServerConfigOffer offer, String own) {
            calls.add("follow " + offer.from() + " " + offer.label() + " " + offer.dhcp4Json() + " own " + own);
            return !refuse;
        }

        @Override
        public boolean serveOwn(String own, Optional<ServerConfigOffer> leaving) {
            calls.add("own " + own + leaving.map(offer -> " leaving " + offer.label()).orElse(""));
            return !refuse;
        }

        @Override
        public void ownSetAside(ServerConfigOffer followed, String own) {
            calls.add("set aside " + own + " for " + followed.label());
        }

        @Override
        public void tooLarge(long epoch, long version, int bytes, int limit) {
            calls.add("too large " + epoch + "." + version + " " + bytes + " > " + limit);
        }
    }

    private ConfigDistribution node(NodeId self, String own) {
        return node(self, own, 1 << 20);
    }

    private ConfigDistribution node(NodeId self, String own, int maxBytes) {
        ConfigDistribution distribution = new ConfigDistribution(self, clock, scheduler, peers, () -> leadership,
                target, CHECK, REFRESH, maxBytes);
        distribution.start(own);
        return distribution;
    }

    private static Leadership alone() {
        return new Leadership(0, Optional.empty(), false, true, Optional.empty());
    }

    private static Leadership leads(NodeId self, long epoch) {
        return new Leadership(epoch, Optional.of(self), true, false, Optional.of(self));
    }

    private static Leadership follows(NodeId leader, long epoch) {
        return new Leadership(epoch, Optional.of(leader), false, true, Optional.of(leader));
    }

    private static Leadership electing(NodeId acknowledged, long epoch) {
        return new Leadership(epoch, Optional.of(acknowledged), false, false, Optional.empty());
    }

    private static ServerConfigOffer offer(NodeId from, long epoch, long version, String json) {
        return new ServerConfigOffer(from, epoch, version, ServerConfigOffer.sha256(json), json);
    }

    private List<ServerConfigOffer> offersToAll() {
        return peers.sent().stream().filter(sent -> sent.to().isEmpty())
                .map(RecordingPeerTransport.Sent::message).filter(ServerConfigOffer.class::isInstance)
                .map(ServerConfigOffer.class::cast).toList();
    }

    // ---- the leader ----

    @Test
    @DisplayName("a node that starts leading offers its own configuration to every member, as version epoch.1")
    void aLeaderOffersWhenItStartsLeading() {
        ConfigDistribution three = node(THREE, MINE);
        assertEquals(List.of(), offersToAll(), "a node that does not lead offers nothing");

        leadership = leads(THREE, 4);
        scheduler.advance(CHECK);

        assertEquals(List.of(offer(THREE, 4, 1, MINE)), offersToAll());
        assertEquals(Optional.of(offer(THREE, 4, 1, MINE)), three.offering());
        assertEquals(List.of(), target.calls, "it serves its own file already");
    }

    @Test
    @DisplayName("a leader offers its configuration to a member that connects, and to no one else")
    void aLeaderOffersToAMemberThatConnects() {
        leadership = leads(THREE, 4);
        ConfigDistribution three = node(THREE, MINE);
        peers.clear();

        three.connected(ONE);

        assertEquals(List.of(new RecordingPeerTransport.Sent(Optional.of(ONE), offer(THREE, 4, 1, MINE))),
                peers.sent());
    }

    @Test
    @DisplayName("a leader whose own file changes serves it and offers it as the next version of its epoch")
    void aLeaderOffersAChangeAsTheNextVersion() {
        leadership = leads(THREE, 4);
        ConfigDistribution three = node(THREE, MINE);

        assertEquals(OwnChange.SERVED, three.ownChanged(NEWER));

        assertEquals(List.of(offer(THREE, 4, 1, MINE), offer(THREE, 4, 2, NEWER)), offersToAll());
        assertEquals(List.of("own " + NEWER), target.calls);
        assertEquals(ServerConfigOffer.sha256(NEWER), three.servedSha256());
    }

    @Test
    @DisplayName("a leader offers again every refresh interval, under the same version")
    void aLeaderRefreshes() {
        leadership = leads(THREE, 4);
        node(THREE, MINE);

        scheduler.advance(REFRESH.minus(CHECK));
        assertEquals(1, offersToAll().size());
        scheduler.advance(CHECK);

        assertEquals(List.of(offer(THREE, 4, 1, MINE), offer(THREE, 4, 1, MINE)), offersToAll());
    }

    @Test
    @DisplayName("a leader whose configuration does not fit an offer sends none, and says so once per version")
    void aConfigurationTooLargeIsNotSent() {
        leadership = leads(THREE, 4);
        ConfigDistribution three = node(THREE, MINE, 10);
        three.connected(ONE);
        scheduler.advance(REFRESH);

        assertEquals(List.of(), peers.sent());
        assertEquals(List.of("too large 4.1 " + MINE.length() + " > 10"), target.calls);
    }

    @Test
    @DisplayName("a node that starts leading leaves the old leader's configuration for its own file")
    void aNewLeaderServesItsOwnFile() {
        leadership = follows(TWO, 3);
        ConfigDistribution three = node(THREE, MINE);
        three.received(offer(TWO, 3, 1, LEADERS));

        leadership = leads(THREE, 4);
        three.electionChanged();

        assertEquals(List.of("follow node-2 3.1 " + LEADERS + " own " + MINE, "own " + MINE + " leaving 3.1"),
                target.calls);
        assertEquals(Optional.empty(), three.followedLeader());
        assertEquals(List.of(offer(THREE, 4, 1, MINE)), offersToAll());
    }

    // ---- the follower ----

    @Test
    @DisplayName("a follower serves the configuration of the leader it follows when it differs from what it serves")
    void aFollowerFollowsItsLeader() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);

        two.received(offer(THREE, 4, 1, LEADERS));

        assertEquals(List.of("follow node-3 4.1 " + LEADERS + " own " + MINE), target.calls);
        assertEquals(Optional.of(offer(THREE, 4, 1, LEADERS)), two.followedLeader());
        assertEquals(ServerConfigOffer.sha256(LEADERS), two.servedSha256());
    }

    @Test
    @DisplayName("a follower applies only a later version: a repeat or an earlier one of its leader changes nothing")
    void aFollowerAppliesOnlyALaterVersion() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        two.received(offer(THREE, 4, 2, LEADERS));

        two.received(offer(THREE, 4, 2, LEADERS));
        two.received(offer(THREE, 4, 1, NEWER));
        assertEquals(1, target.calls.size(), target.calls.toString());

        two.received(offer(THREE, 4, 3, NEWER));
        assertEquals("follow node-3 4.3 " + NEWER + " own " + MINE, target.calls.get(1));
        assertEquals(Optional.of(offer(THREE, 4, 3, NEWER)), two.followedLeader());
    }

    @Test
    @DisplayName("a leader's configuration with the hash a follower serves is only recorded, not applied")
    void anEqualHashIsOnlyRecorded() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, LEADERS);

        two.received(offer(THREE, 4, 1, LEADERS));

        assertEquals(List.of(), target.calls);
        assertEquals(Optional.of(offer(THREE, 4, 1, LEADERS)), two.followedLeader());
    }

    @Test
    @DisplayName("an offer from a node the follower does not follow, or of an old leader's epoch, changes nothing")
    void anOldLeadersLateOfferIsIgnored() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        two.received(offer(THREE, 4, 1, LEADERS));

        two.received(offer(ONE, 3, 9, NEWER)); // the leader of epoch 3, late
        two.received(offer(THREE, 3, 9, NEWER)); // this leader's own earlier epoch
        scheduler.advance(REFRESH);

        assertEquals(List.of("follow node-3 4.1 " + LEADERS + " own " + MINE), target.calls);
        assertEquals(Optional.of(offer(THREE, 4, 1, LEADERS)), two.followedLeader());
    }

    @Test
    @DisplayName("a follower that moves to a leader of a later epoch takes its configuration, even with a lower counter")
    void aLaterEpochWins() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        two.received(offer(THREE, 4, 7, LEADERS));

        leadership = follows(ONE, 5);
        two.received(offer(ONE, 5, 1, NEWER));

        assertEquals("follow node-1 5.1 " + NEWER + " own " + MINE, target.calls.get(1));
    }

    @Test
    @DisplayName("a follower's own reload does not override the leader's configuration: it is set aside and said so")
    void aFollowersReloadDoesNotOverride() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        two.received(offer(THREE, 4, 1, LEADERS));

        assertEquals(OwnChange.SET_ASIDE, two.ownChanged(NEWER));

        assertEquals("set aside " + NEWER + " for 4.1", target.calls.get(1));
        assertEquals(2, target.calls.size());
        assertEquals(ServerConfigOffer.sha256(LEADERS), two.servedSha256());
    }

    @Test
    @DisplayName("a node that follows no leader's configuration serves its own reloaded file")
    void aNodeWithoutALeaderServesItsReload() {
        ConfigDistribution one = node(ONE, MINE);

        assertEquals(OwnChange.SERVED, one.ownChanged(NEWER));

        assertEquals(List.of("own " + NEWER), target.calls);
        assertEquals(ServerConfigOffer.sha256(NEWER), one.servedSha256());
    }

    @Test
    @DisplayName("a refused leader's configuration leaves the follower on what it served, and is tried again at the leader's next refresh")
    void aRefusedConfigurationKeepsWhatWasServed() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        target.refuse = true;

        two.received(offer(THREE, 4, 1, LEADERS));
        two.received(offer(THREE, 4, 1, LEADERS)); // repeated sooner than a refresh: not tried again

        assertEquals(1, target.calls.size());
        assertEquals(ServerConfigOffer.sha256(MINE), two.servedSha256());
        assertEquals(Optional.empty(), two.followedLeader());

        target.refuse = false;
        scheduler.advance(REFRESH);
        two.received(offer(THREE, 4, 1, LEADERS)); // the leader's refresh

        assertEquals(2, target.calls.size());
        assertEquals(ServerConfigOffer.sha256(LEADERS), two.servedSha256());
        two.received(offer(THREE, 4, 1, LEADERS));
        scheduler.advance(REFRESH);
        two.received(offer(THREE, 4, 1, LEADERS));
        assertEquals(2, target.calls.size(), "a version served is not applied again");
    }

    @Test
    @DisplayName("an offer that arrives before the node acknowledged its sender is followed once it does")
    void anEarlyOfferIsFollowedOnceTheNodeFollows() {
        leadership = electing(ONE, 3);
        ConfigDistribution two = node(TWO, MINE);

        two.received(offer(THREE, 4, 1, LEADERS));
        assertEquals(List.of(), target.calls);

        leadership = follows(THREE, 4);
        scheduler.advance(CHECK);

        assertEquals(List.of("follow node-3 4.1 " + LEADERS + " own " + MINE), target.calls);
    }

    @Test
    @DisplayName("after its leader reconnects (it may have restarted in the same epoch) the follower takes its next offer")
    void aRestartedLeaderIsFollowedAgain() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        two.received(offer(THREE, 4, 3, LEADERS));

        two.connected(THREE);
        two.received(offer(THREE, 4, 1, NEWER));

        assertEquals("follow node-3 4.1 " + NEWER + " own " + MINE, target.calls.get(1));
        two.received(offer(THREE, 4, 1, LEADERS)); // from here on versions count again
        assertEquals(2, target.calls.size());
    }

    @Test
    @DisplayName("a node between two leaders keeps the configuration it follows")
    void betweenLeadersTheConfigurationStays() {
        leadership = follows(THREE, 4);
        ConfigDistribution two = node(TWO, MINE);
        two.received(offer(THREE, 4, 1, LEADERS));

        leadership = electing(TWO, 5);
        scheduler.advance(REFRESH);

        assertEquals(1, target.calls.size());
        assertEquals(ServerConfigOffer.sha256(LEADERS), two.servedSha256());
        assertTrue(offersToAll().isEmpty(), "a candidate offers nothing");
    }
}
