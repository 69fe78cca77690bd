/**
 * The time ports: the {@link dev.dhcpcluster.port.time.Clock} the application reads instead of
 * the system's, and the {@link dev.dhcpcluster.port.time.Scheduler}, the application's one thread,
 * which runs its tasks now or later and returns a {@link dev.dhcpcluster.port.time.Cancellable}
 * for a task not yet run.
 *
 * <p>The node implements both with its event loop; tests implement them with a virtual clock they
 * move by hand, so that timers run without sleeping. An adapter receives them in its
 * {@link dev.dhcpcluster.port.plugin.NodeContext}: a callback that arrives on an adapter's own
 * thread and must touch the node's state hops onto the application thread with
 * {@link dev.dhcpcluster.port.time.Scheduler#execute}.
 */
package dev.dhcpcluster.port.time;
